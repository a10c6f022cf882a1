"""The coach engine: pure decisions, time passed in, actions out.

Nothing in this package performs I/O or imports textual, sounddevice, bleak,
bumble or sqlite3; ``tests/coach/test_import_hygiene.py`` and the import-linter
contract in ``pyproject.toml`` enforce that.
"""
