"""One seeding run: the world it writes, a tally of what it wrote, and the find-or-write helper
every step uses, so a second run finds everything in place and writes nothing."""

from collections import Counter
from collections.abc import Callable
from typing import Any

from django.db import models

from demo.world import World


class Run:
    def __init__(self, world: World, *, say: Callable[[str], None]) -> None:
        self.world = world
        self.tally: Counter[str] = Counter()
        self.say = say  # progress lines (a no-op when quiet)

    def sync[M: models.Model](
        self,
        model: type[M],
        lookup: dict[str, Any],
        values: dict[str, Any],
        *,
        create_only: dict[str, Any] | None = None,
    ) -> M:
        """Find the row by `lookup`; create it, or save only the fields that differ (usually none).

        Unlike `update_or_create`, an unchanged row is not written at all, so `auto_now` stamps
        stay put and a second seed really changes nothing.
        """
        name = model._meta.verbose_name
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            self.tally[f"created {name}"] += 1
            return model._default_manager.create(**lookup, **values, **(create_only or {}))
        changed = [field for field, value in values.items() if getattr(obj, field) != value]
        if changed:
            for field in changed:
                setattr(obj, field, values[field])
            auto_now = [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
            obj.save(update_fields=changed + auto_now)
            self.tally[f"updated {name}"] += 1
        return obj


def pick(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: data[key] for key in keys}
