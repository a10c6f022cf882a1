"""Checked number options for argparse: one clear line when a value is wrong.

Why one helper: every command's number options fail the same way - "not a
number" when the text does not parse, else the rule the value broke and what
was typed - so the wording stays the same across commands. Standard library
only, like the command modules that use it.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from typing import TypeVar

N = TypeVar("N", int, float)


def checked(
    convert: Callable[[str], N], accept: Callable[[N], bool], rule: str
) -> Callable[[str], N]:
    """An argparse ``type``: ``convert`` the text, then reject it unless ``accept(value)``.

    Args:
        convert: ``int`` or ``float``.
        accept: True for a good value.
        rule: what a good value is; shown as ``"{rule} (got {text})"``.
    """
    noun = "a whole number" if convert is int else "a number"

    def parse(text: str) -> N:
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not {noun}: {text!r}") from None
        if isinstance(value, float) and not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{rule} (got {text}, which is not a usable number)")
        if not accept(value):
            raise argparse.ArgumentTypeError(f"{rule} (got {text})")
        return value

    return parse


def finite_float(text: str) -> float:
    """An argparse ``type`` for a plain float: ``nan`` and ``inf`` are refused.

    Why: ``float("nan")`` parses, and every range check after it is False, so
    ``--speed nan`` slipped past ``speed <= 0 or speed > 60`` and the session
    ran with a clock that could not be saved.
    """
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"not a usable number: {text!r}")
    return value
