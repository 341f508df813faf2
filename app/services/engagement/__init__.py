"""The engagement file: opening, locking, migrating; its history, IDs, errors and field
descriptions."""
