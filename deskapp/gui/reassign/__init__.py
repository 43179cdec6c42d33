"""A team lead moves cases: reassigning a selection, and covering for a rep who is out."""
