"""Writing, submitting and receiving structured handoff notes (DESIGN.md §5, issue 7).

The editor is built in code from the team's template (its shape depends on data); behaviour
lives here, and the main window only wires the "Hand off…" action to it.
"""
