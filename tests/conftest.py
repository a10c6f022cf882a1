"""Fixtures for every test: nothing a test does is left in the user's home folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from cadence.store.spill import ENV_SPILL_DIR


@pytest.fixture(autouse=True)
def _spill_dir_in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A spill that can't go beside its database (a full disk) goes here, not ~/.cache."""
    monkeypatch.setenv(ENV_SPILL_DIR, str(tmp_path / "spill-elsewhere"))
