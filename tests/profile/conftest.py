"""Fixtures for the profile tests: real YAML files in a temporary folder."""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from cadence.commands import profile as profile_command
from cadence.profile.loader import ENV_PROFILES_DIR


@pytest.fixture(autouse=True)
def _shipped_profiles_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests look programs up in the repository, whatever the caller's environment says."""
    monkeypatch.delenv(ENV_PROFILES_DIR, raising=False)


WriteYaml = Callable[..., Path]


@pytest.fixture
def write_yaml(tmp_path: Path) -> WriteYaml:
    """Write dedented YAML text to ``tmp_path/<name>`` and return the path."""

    def write(text: str, name: str = "profile.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


ProfileCli = Callable[..., int]


@pytest.fixture
def profile_cli() -> ProfileCli:
    """``cadence profile ...`` in-process, through the command's own argument parser."""

    def run(*argv: str) -> int:
        parser = argparse.ArgumentParser(prog="cadence profile")
        profile_command.add_arguments(parser)
        return profile_command.run(parser.parse_args(list(argv)))

    return run
