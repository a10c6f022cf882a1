"""Read profile and program files from disk, and find programs by name.

Where things live:

- Profiles and programs ship in the repository's top-level ``profiles/`` folder
  (``profiles/default.yaml``, ``profiles/programs/<name>.yaml``). The package
  finds it relative to its own source (``src/cadence/../../profiles``), which is
  right for the editable install the setup script makes.
- ``CADENCE_PROFILES_DIR`` overrides that folder (its ``programs/`` subfolder
  holds the programs), e.g. for a packaged install or the tests.
- A profile's ``program:`` is a name or a path. A name is looked up first in a
  ``programs/`` folder next to the profile (so a runner can keep their own
  programs beside their copied profile), then in the shipped programs. A value
  containing ``/`` or ending in ``.yaml`` is a path, relative to the profile.

Every failure is a ``ProfileError`` naming file, line and field; nothing here
prints or exits (that is ``cadence.commands.profile``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode

from cadence.profile.errors import ProfileError, ProfileIssue
from cadence.profile.file_limits import compose_file
from cadence.profile.model import Profile, Program
from cadence.profile.program_schema import PROGRAM_NAME, read_program
from cadence.profile.schema import read_profile
from cadence.profile.yaml_reader import Issues, did_you_mean

ENV_PROFILES_DIR = "CADENCE_PROFILES_DIR"


def profiles_dir() -> Path:
    """The folder holding the shipped profiles (``CADENCE_PROFILES_DIR`` wins)."""
    override = os.environ.get(ENV_PROFILES_DIR)
    if override:
        return Path(override).expanduser()
    return Path(__file__).resolve().parents[3] / "profiles"


def programs_dir() -> Path:
    """The folder holding the shipped programs: ``<profiles_dir>/programs``."""
    return profiles_dir() / "programs"


def default_profile_path() -> Path:
    return profiles_dir() / "default.yaml"


def _compose_file(path: Path) -> Node | None:
    return compose_file(path)  # size, regular-file, depth and number limits: file_limits


def is_program_document(root: Node | None) -> bool:
    """Whether a composed document looks like a program (it has ``weeks:``)."""
    return isinstance(root, MappingNode) and any(
        isinstance(k, ScalarNode) and k.value == "weeks" for k, _ in root.value
    )


def load_program(name_or_path: str | Path, search_dirs: Sequence[Path] | None = None) -> Program:
    """Load a program by name (searched in ``search_dirs``, default the shipped
    programs) or by path.

    Raises:
        ProfileError: unknown name, unreadable file or invalid content.
    """
    path = resolve_program(name_or_path, search_dirs)
    if path is None:
        known = available_programs(search_dirs)
        raise ProfileError.one(
            str(name_or_path), None, "", _unknown_program_message(str(name_or_path), known)
        )
    return _load_program_file(path)


def _load_program_file(path: Path) -> Program:
    root = _compose_file(path)
    issues = Issues(str(path))
    program = read_program(root, issues, default_name=path.stem)
    issues.raise_if_any()
    assert program is not None
    return replace(program, source_path=path)


def _is_path(name: str) -> bool:
    return "/" in name or os.sep in name or name.endswith((".yaml", ".yml"))


def resolve_program(
    name_or_path: str | Path, search_dirs: Sequence[Path] | None = None, base: Path | None = None
) -> Path | None:
    """The file for a program name or path, or ``None`` when there is none."""
    text = str(name_or_path)
    if isinstance(name_or_path, Path) or _is_path(text):
        path = Path(text).expanduser()
        if not path.is_absolute() and base is not None:
            path = base / path
        return path  # a path is returned as given; reading it reports a missing file
    if not PROGRAM_NAME.match(text):
        return None
    for folder in search_dirs if search_dirs is not None else [programs_dir()]:
        for suffix in (".yaml", ".yml"):
            candidate = folder / f"{text}{suffix}"
            if candidate.is_file():
                return candidate
    return None


def available_programs(search_dirs: Sequence[Path] | None = None) -> list[str]:
    names: set[str] = set()
    for folder in search_dirs if search_dirs is not None else [programs_dir()]:
        if folder.is_dir():
            names.update(p.stem for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))
    return sorted(names)


def _unknown_program_message(name: str, known: list[str]) -> str:
    if not known:
        return f"unknown program {name!r} (no programs found in {programs_dir()})"
    return f"unknown program {name!r}" + did_you_mean(name, known)


def load_profile(path: str | Path) -> Profile:
    """Load and validate a profile, including the program it names.

    Raises:
        ProfileError: with every problem found (file, line, field each).
    """
    return load_profile_and_program(path)[0]


def load_profile_and_program(path: str | Path) -> tuple[Profile, Program]:
    """The profile and its resolved program (``cadence profile show`` and the coach)."""
    path = Path(path)
    root = _compose_file(path)
    issues = Issues(str(path))
    profile, ref = read_profile(root, issues)
    program: Program | None = None
    if ref.name_node is not None:
        search = [path.parent / "programs", programs_dir()]
        program_path = resolve_program(ref.name, search, base=path.parent)
        if program_path is None:
            known = available_programs(search)
            issues.add(ref.name_node, ref.field, _unknown_program_message(ref.name, known))
        else:
            try:
                program = _load_program_file(program_path)
            except ProfileError as exc:
                issues.add(ref.name_node, ref.field, f"program {ref.name!r} cannot be used:")
                issues.items.extend(exc.issues)
        if program is not None and profile.program_week > len(program.weeks):
            issues.add(
                ref.week_node or ref.name_node,
                ref.field.rsplit(".", 1)[0] + ".week" if "." in ref.field else "program.week",
                f"{program.name} has weeks 1-{len(program.weeks)} (got {profile.program_week})",
            )
    issues.raise_if_any()
    if program is None:  # no program named: the plain continuous run
        program = load_program("continuous")
    return replace(profile, source_path=path), program


def check_file(path: str | Path) -> list[ProfileIssue]:
    """Validate a profile or a program file (told apart by ``weeks:``); [] when fine."""
    path = Path(path)
    try:
        root = _compose_file(path)
        if is_program_document(root):
            _load_program_file(path)
        else:
            load_profile(path)
    except ProfileError as exc:
        return list(exc.issues)
    return []
