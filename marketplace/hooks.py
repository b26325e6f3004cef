"""Callbacks through which a lower app's change keeps a higher app's copies of its facts true.

Apps depend on each other in one direction (README, "Architecture"): `suppliers` never imports
`catalog`. Yet the catalog keeps figures derived from suppliers' facts (a belt's count of
certified suppliers). The lower app declares a `Hook` and runs it inside the transaction of the
change; the higher app connects its callback in its AppConfig.ready(). The callback runs in the
same transaction, so whatever it writes (or queues on commit) commits or rolls back with the
change itself.

Not Django signals: a hook is declared once by name where it is run, connected explicitly, and
running one that nobody connected is fine (a lower app works alone).
"""

from collections.abc import Callable
from typing import Any


class Hook:
    """A named point in a lower app's service where higher apps' callbacks run."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._callbacks: list[Callable[..., None]] = []

    def connect(self, callback: Callable[..., None]) -> Callable[..., None]:
        """Add `callback` (once: connecting twice, as a re-run ready() may, keeps one)."""
        if callback not in self._callbacks:
            self._callbacks.append(callback)
        return callback

    def disconnect(self, callback: Callable[..., None]) -> None:
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def run(self, **kwargs: Any) -> None:
        """Call every connected callback with these keyword arguments, in connection order."""
        for callback in list(self._callbacks):
            callback(**kwargs)

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._callbacks)} callback(s)>"
