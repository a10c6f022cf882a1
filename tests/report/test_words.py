"""One duration formatter and one table of end reasons for the whole app."""

from __future__ import annotations

import pytest

from cadence.coach.actions import StopReason
from cadence.report.words import END_REASON_WORDS, UNFINISHED, duration_text, end_reason_text


@pytest.mark.parametrize(("seconds", "text"), [
    (None, "--:--"), (0.0, "0:00"), (-3.0, "0:00"), (0.49, "0:00"), (0.5, "0:01"),
    (2.5, "0:03"), (59.6, "1:00"), (3599.4, "59:59"), (3600.0, "1:00:00"), (7322.0, "2:02:02"),
])
def test_durations(seconds: float | None, text: str) -> None:
    assert duration_text(seconds) == text


def test_every_way_a_session_can_end_has_words() -> None:
    for reason in [*StopReason, "recovered"]:
        assert end_reason_text(reason) == END_REASON_WORDS[reason]
        assert end_reason_text(reason) != reason
    assert end_reason_text(None) == UNFINISHED
    assert end_reason_text("") == UNFINISHED
    assert end_reason_text("something new") == "something new"
