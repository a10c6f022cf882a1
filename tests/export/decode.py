"""Readers for the exported files, used by the round-trip tests.

Each one goes through the reference decoder for its format: Garmin's FIT SDK
``Decoder`` for FIT, lxml with Garmin's XSDs for TCX, the csv module for CSV.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from garmin_fit_sdk import Decoder, Stream
from lxml import etree  # type: ignore[import-untyped]

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "support" / "tcx_schema"
TCD = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
AX2 = "http://www.garmin.com/xmlschemas/ActivityExtension/v2"
NS = {"tcd": TCD, "ax2": AX2}


@dataclass
class DecodedFit:
    is_fit: bool
    integrity_ok: bool
    messages: dict[str, list[dict[str, Any]]]
    errors: list[Exception]

    def mesgs(self, name: str) -> list[dict[str, Any]]:
        return self.messages.get(f"{name}_mesgs", [])


def decode_fit(payload: bytes) -> DecodedFit:
    """Decode with the SDK: header/CRC check first, then a fresh decoder reads."""
    checker = Decoder(Stream.from_byte_array(bytearray(payload)))
    is_fit = checker.is_fit()
    integrity = checker.check_integrity()
    reader = Decoder(Stream.from_byte_array(bytearray(payload)))
    messages, errors = reader.read()
    return DecodedFit(
        is_fit, integrity, cast(dict[str, list[dict[str, Any]]], dict(messages)), list(errors)
    )


def tcx_schema(combined: bool = True) -> etree.XMLSchema:
    """Garmin's TCD v2 schema; ``combined`` also loads ActivityExtension v2 for TPX/LX."""
    name = "combined.xsd" if combined else "TrainingCenterDatabasev2.xsd"
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / name)))


def parse_tcx(payload: bytes) -> Any:
    return etree.fromstring(payload)
