"""Parts of a lower app's page that a higher app fills: how a page shows data from above it.

Apps depend on each other in one direction (README, "Architecture"). The supplier's dashboard
belongs to `suppliers`, yet it shows the supplier's listings (`catalog`) and orders waiting to
ship (`orders`). The lower app declares a `Slot` where such a part goes and its template names
it (`{% load panels %}{% panels "suppliers.dashboard.trade" %}`); the higher app adds a `Panel`
to the slot in its AppConfig.ready(): its own template and, if it needs data the page does not
have, a function computing it from the page's context. The panel renders like an `{% include %}`
at that spot, with the page's context plus its own.

A slot nobody filled renders nothing, so a lower app works alone.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.template import Context

PanelContext = Callable[[Context], Mapping[str, Any]]


@dataclass(frozen=True)
class Panel:
    template: str
    # The panel's own data, from the page's context (it may read `request`, the page's objects).
    context: PanelContext | None = None


class Slot:
    """A named place on a lower app's page that higher apps fill with panels, in the order added."""

    registry: dict[str, "Slot"] = {}

    def __init__(self, name: str) -> None:
        if name in Slot.registry:
            raise ValueError(f"The slot {name!r} is declared twice")
        self.name = name
        self.panels: list[Panel] = []
        Slot.registry[name] = self

    def add(self, panel: Panel) -> None:
        """Add `panel` (once: adding the same panel again, as a re-run ready() may, keeps one)."""
        if panel not in self.panels:
            self.panels.append(panel)

    def render(self, context: Context) -> str:
        parts = []
        for panel in self.panels:
            template = context.template.engine.get_template(panel.template)  # type: ignore[union-attr]
            extra = dict(panel.context(context)) if panel.context else {}
            with context.push(**extra):
                parts.append(template.render(context))
        return "".join(parts)

    def __repr__(self) -> str:
        return f"<Slot {self.name}: {len(self.panels)} panel(s)>"


def slot_get(name: str) -> Slot:
    try:
        return Slot.registry[name]
    except KeyError:
        raise LookupError(f"No slot named {name!r}: declare it in the page's app (slots.py)") from None
