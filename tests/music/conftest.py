"""Music tests need the ``music`` extra (pedalboard, librosa); setup.sh installs it with the tests."""

from __future__ import annotations

import pytest

pytest.importorskip("pedalboard")
pytest.importorskip("librosa")
