"""Where the session database lives.

One file in the user's data folder (platformdirs picks the right place per OS),
so that runs are kept between launches without the runner choosing a path. Tests,
demos and people with several profiles point elsewhere with ``CADENCE_DATA_DIR``
or an explicit path; the explicit path always wins.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_DATA_DIR = "CADENCE_DATA_DIR"
DB_FILENAME = "sessions.sqlite3"
APP_NAME = "cadence"


def data_dir() -> Path:
    """The folder for cadence's own files: ``$CADENCE_DATA_DIR`` or the OS data folder."""
    override = os.environ.get(ENV_DATA_DIR, "").strip()
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return data_dir() / DB_FILENAME


def resolve_db_path(explicit: Path | str | None = None) -> Path:
    """The database file to use: ``explicit`` if given, else the default location.

    An explicit path that names an existing folder means the default file name
    inside that folder.
    """
    if explicit is None or str(explicit) == "":
        return default_db_path()
    path = Path(explicit).expanduser()
    if path.is_dir():
        return path / DB_FILENAME
    return path
