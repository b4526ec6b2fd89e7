"""SQLite journal and store-and-forward."""
