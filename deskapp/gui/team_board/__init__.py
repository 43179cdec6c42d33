"""The team lead's board (Team ▸ Team board): one row per person of the team with their open
cases, SLA risks, promises, unread handoffs and kudos, who is signed in, and the team's handoff
quality. A number clicked opens its cases in the queue; cases dropped on a person start a
reassignment (the board only says which cases and to whom: ``cases_dropped``)."""
