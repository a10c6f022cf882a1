"""App-level messages (screen-specific ones are nested in their screens).

Sensor readings arrive several times a second, from the BLE consumer task;
the sink posts ``ReadingsChanged`` instead of drawing, and a newer one replaces
an unprocessed older one, so a busy screen only ever draws the newest values.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class ReadingsChanged(Message):
    """New sensor values are in the session (posted for every notification; high rate).

    The handler reads the session's newest values, so a replaced message loses nothing.
    """

    item_t_s: float  # session time the newest item was stamped (for latency checks)

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ReadingsChanged)
