"""The audit trail in the window: a case's "Audit history" (Case ▸ Audit history…, and the case
view's right-click menu) and, for leads and admins, the team-wide "Audit log" (Team ▸ Audit
log…). Both only read, through the task runner; every cell is plain text."""
