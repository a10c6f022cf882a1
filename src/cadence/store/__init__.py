"""Session store: SQLite recorder, summaries, history and exports."""
