"""Deskapp: a desktop workstation for customer-service reps and their team leads."""

__version__ = "0.1.0"
APP_NAME = "Deskapp"
