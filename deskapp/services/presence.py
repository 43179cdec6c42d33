"""Who is at work and who is looking at which case, from heartbeat rows (DESIGN.md §6).

A client refreshes its rows every ``HEARTBEAT_EVERY``; a row older than ``STALE_AFTER`` belongs to
a client that closed, crashed or lost the network, and counts as gone.
"""

from __future__ import annotations

from datetime import timedelta

HEARTBEAT_EVERY = timedelta(seconds=10)
# Three missed heartbeats: gone within 30 s of leaving or crashing.
STALE_AFTER = timedelta(seconds=30)
