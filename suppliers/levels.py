"""The one vocabulary of certification levels: the enum, its rank table and the public levels.

Everything that compares, filters or lists levels reads them from here: the supplier and listing
querysets, the search (and its SQL function `catalog_level_rank`, which a test holds equal to
`LEVEL_RANK`), the search filters, RFQ routing, admin and API.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificationLevel(models.TextChoices):
    """Ordered from weakest to strongest; NONE means no badge."""

    NONE = "none", _("Not certified")
    VERIFIED = "verified", _("Verified")
    CERTIFIED_ORIGIN = "certified_origin", _("Certified origin manufacturer")
    AUDITED_FACTORY = "audited_factory", _("Audited factory")


# none 0, verified 1, certified origin 2, audited factory 3.
LEVEL_RANK: dict[str, int] = {level: rank for rank, level in enumerate(CertificationLevel.values)}

# The levels that carry a badge a buyer sees, weakest first.
PUBLIC_LEVELS: tuple[str, ...] = tuple(level for level in CertificationLevel.values if LEVEL_RANK[level] > 0)
PUBLIC_LEVEL_CHOICES: list[tuple[str, str]] = [c for c in CertificationLevel.choices if c[0] in PUBLIC_LEVELS]


def levels_at_least(level: str) -> tuple[str, ...]:
    """The public levels as strong as `level` or stronger ("certified_origin" → it and "audited_factory")."""
    return tuple(public for public in PUBLIC_LEVELS if LEVEL_RANK[public] >= LEVEL_RANK[level])


def level_label(level: str) -> str:
    """The level's name in the current language; an unknown value as itself."""
    return str(CertificationLevel(level).label) if level in CertificationLevel.values else level


def public_levels_sql() -> str:
    """The public levels as an SQL list literal, for raw SQL beside the ORM: ('verified', …)."""
    return "(" + ", ".join(f"'{level}'" for level in PUBLIC_LEVELS) + ")"
