"""``StartStop``: the ``with`` block for anything with a ``start()`` and a ``stop()``.

Why a base class: the audio stream, and the test rigs that run a private sound
server, record its output or jam a virtual radio, all follow the same shape -
``start()`` acquires, ``stop()`` releases and is safe to call twice - and each
wrote the same ``__enter__``/``__exit__`` pair. This module imports nothing from
the project, so pure and shell code (and tests) can all build on it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import TracebackType
from typing import Self


class StartStop(ABC):
    """``with obj:`` calls ``obj.start()`` on entry and ``obj.stop()`` on exit."""

    @abstractmethod
    def start(self) -> None:
        """Acquire whatever the object runs on."""

    @abstractmethod
    def stop(self) -> None:
        """Release it again; must be safe to call when not started."""

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
