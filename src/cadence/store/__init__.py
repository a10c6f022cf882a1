"""Session store: SQLite persistence, crash-safe recording, recovery and the summary cache."""
