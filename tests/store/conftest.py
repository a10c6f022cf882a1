"""Fixtures for the store tests: real SQLite files under tmp_path, never :memory:."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cadence.store.store import Store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "sessions.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    opened = Store.open(db_path)
    yield opened
    opened.close()
