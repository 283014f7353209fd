"""What a rate-limit storage must do: one atomic check-and-charge, a peek, and a reset."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from kreyol_ia.ratelimit.windows import Decision, WindowLimit


class Backend(Protocol):
    """Storage for the bucketed windows; ``hit`` decides and charges in one atomic step."""

    name: str

    def hit(self, key: str, windows: Sequence[WindowLimit], cost: int) -> Decision:
        """Admit and charge ``cost`` in every window, or refuse and charge nothing."""
        ...

    def peek(self, key: str, windows: Sequence[WindowLimit]) -> Decision:
        """The windows' state without charging anything."""
        ...

    def reset(self, key: str) -> None:
        """Forget everything counted for ``key``."""
        ...
