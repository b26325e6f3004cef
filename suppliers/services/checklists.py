"""Audit checklists are data that admins edit; every change of their points is a new version."""

from collections.abc import Mapping, Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.exceptions import ApplicationError

from ..models import AuditChecklist, AuditChecklistPoint

POINT_FIELDS = ("text_en", "text_zh", "position")


@transaction.atomic
def audit_checklist_save_points(*, checklist: AuditChecklist, points: Sequence[Mapping[str, object]]) -> bool:
    """Make the checklist's points exactly `points` (each: code, text_en, text_zh, position).

    Any difference (a point added, removed, reworded or moved) bumps `version`, so certifications
    made with the old wording keep a version that no longer matches. A checklist that had no
    points yet was never usable for an audit, so filling it keeps version 1. Returns whether
    anything changed.
    """
    # Lock the checklist: two admins saving at once must not both bump from the same version.
    checklist = AuditChecklist.objects.select_for_update().get(pk=checklist.pk)
    wanted: dict[str, tuple[object, ...]] = {}
    for point in points:
        code = str(point["code"])
        if code in wanted:
            raise ApplicationError(_("Two points have the code %(code)s.") % {"code": code})
        wanted[code] = tuple(point[field] for field in POINT_FIELDS)
    current = {p.code: p for p in checklist.points.all()}
    if {code: tuple(getattr(p, f) for f in POINT_FIELDS) for code, p in current.items()} == wanted:
        return False

    # Delete first: a code moved from one row to another must not collide with itself.
    AuditChecklistPoint.objects.filter(checklist=checklist).exclude(code__in=wanted).delete()
    for code, values in wanted.items():
        fields = dict(zip(POINT_FIELDS, values, strict=True))
        existing = current.get(code)
        if existing is None:
            AuditChecklistPoint.objects.create(checklist=checklist, code=code, **fields)
        elif tuple(getattr(existing, f) for f in POINT_FIELDS) != values:
            for field, value in fields.items():
                setattr(existing, field, value)
            existing.save(update_fields=list(POINT_FIELDS))
    if current:
        checklist.version += 1  # safe in Python: the row is locked
    checklist.save(update_fields=["version", "updated_at"])
    return True
