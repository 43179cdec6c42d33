"""The notification centre: a bell with an unread count in the status bar, the list it opens,
a short toast, and the system's own notifications where the platform offers them (issue 9).
Events come from the Qt-free deskapp/services/notifications.py, polled on the task runner."""
