"""A second, independent FIT reader for the round-trip tests: fitdecode.

Garmin's SDK wrote the files (through ``export.fit``) and the SDK's own decoder
reads them in ``decode.py``; a bug shared by the SDK's encoder and decoder would
pass both. fitdecode is a separate implementation of the FIT protocol (the one
several upload tools use), so the figures below are what a third party sees.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import fitdecode  # type: ignore[import-untyped]


@dataclass
class Message:
    name: str
    values: dict[str, Any]
    units: dict[str, str]
    developer: dict[str, Any] = field(default_factory=dict)


@dataclass
class IndependentFit:
    messages: list[Message]

    def of(self, name: str) -> list[Message]:
        return [m for m in self.messages if m.name == name]


def read_fit(payload: bytes) -> IndependentFit:
    """Every data message, in file order; CRC errors and parse problems raise."""
    out: list[Message] = []
    with fitdecode.FitReader(io.BytesIO(payload), check_crc=fitdecode.CrcCheck.RAISE,
                             error_handling=fitdecode.ErrorHandling.RAISE) as reader:
        for frame in reader:
            if frame.frame_type != fitdecode.FIT_FRAME_DATA:
                continue
            values: dict[str, Any] = {}
            units: dict[str, str] = {}
            developer: dict[str, Any] = {}
            for f in frame.fields:
                if isinstance(f.field_def, fitdecode.types.DevFieldDefinition):
                    developer[f.name] = f.value
                    units[f.name] = f.units or ""
                else:
                    values[f.name] = f.value
                    units[f.name] = f.units or ""
            out.append(Message(frame.name, values, units, developer))
    return IndependentFit(out)
