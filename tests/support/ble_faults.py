"""Radio faults the Bumble virtual link cannot produce by itself (tests only).

``RadioJam`` models a sensor moving out of range: its ACL traffic and its
advertisements vanish in both directions, but - like Bumble's LocalLink,
which models no supervision timeout - nobody is told the link is gone. Only
the app's own watchdog can notice.
"""

from __future__ import annotations

from typing import Any

from bumble.hci import Address
from bumble.link import LocalLink

from cadence.model.start_stop import StartStop


class RadioJam(StartStop):
    """Context manager (or start()/stop()) that silences one address on a LocalLink."""

    def __init__(self, link: LocalLink, address: str) -> None:
        self.link = link
        self.target = Address(address)
        self._orig_acl: Any = None
        self._orig_adv: Any = None

    def _involves(self, controller: Any) -> bool:
        return bool(
            controller.random_address == self.target or controller.public_address == self.target
        )

    def start(self) -> None:
        orig_acl = self._orig_acl = self.link.send_acl_data
        orig_adv = self._orig_adv = self.link.send_advertising_pdu

        def send_acl_data(sender: Any, dest: Any, transport: Any, data: bytes) -> None:
            if dest == self.target or self._involves(sender):
                return
            orig_acl(sender, dest, transport, data)

        def send_advertising_pdu(sender: Any, packet: Any) -> None:
            if self._involves(sender):
                return
            orig_adv(sender, packet)

        self.link.send_acl_data = send_acl_data  # type: ignore[method-assign,assignment]
        self.link.send_advertising_pdu = send_advertising_pdu  # type: ignore[method-assign,assignment]

    def stop(self) -> None:
        if self._orig_acl is not None:
            self.link.send_acl_data = self._orig_acl  # type: ignore[method-assign]
            self.link.send_advertising_pdu = self._orig_adv  # type: ignore[method-assign]
            self._orig_acl = self._orig_adv = None
