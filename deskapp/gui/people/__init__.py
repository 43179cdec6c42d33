"""Team ▸ People…: adding people, roles, deactivating, temporary passwords (issue 8)."""
