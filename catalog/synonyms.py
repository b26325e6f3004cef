"""Search synonyms: the list that ships with the marketplace (catalog/data/synonyms.yaml), and the
changes staff and belt operators make to it. The search reads them (catalog.search.text)."""

from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.core.exceptions import PermissionDenied
from django.db import transaction

if TYPE_CHECKING:
    from accounts.models import User
    from belts.models import Belt

    from .models import SearchSynonym

SYNONYMS_FILE = Path(__file__).resolve().parent / "data" / "synonyms.yaml"


def shipped_synonyms(path: Path = SYNONYMS_FILE) -> list[tuple[str, list[str]]]:
    """Every entry of the file: ("equivalent", terms) for `same`, ("one_way", terms) for `one_way`."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = [("equivalent", [str(t) for t in terms]) for terms in data.get("same") or []]
    entries += [("one_way", [str(t) for t in terms]) for terms in data.get("one_way") or []]
    return entries


def shipped_synonyms_load() -> int:
    """Add the shipped synonyms that are not there (same kind and terms, for every belt); how many
    were added. Staff's edits and additions stay as they are."""
    from .models import SearchSynonym

    have = {
        (kind, tuple(terms)) for kind, terms in SearchSynonym.objects.filter(belt=None).values_list("kind", "terms")
    }
    missing = [(kind, terms) for kind, terms in shipped_synonyms() if (kind, tuple(terms)) not in have]
    SearchSynonym.objects.bulk_create(SearchSynonym(kind=kind, terms=terms) for kind, terms in missing)
    return len(missing)


def synonym_editor_may(user: "User", belt: "Belt | None") -> bool:
    """Staff keep every synonym; a belt's operators keep their belt's."""
    from suppliers.models import BeltOperator

    if user.is_staff:
        return True
    return belt is not None and BeltOperator.objects.filter(user=user, belt=belt).exists()


@transaction.atomic
def search_synonym_save(*, actor: "User", synonym: "SearchSynonym", audit: bool = True) -> "SearchSynonym":
    """Add or change a synonym: checked (two to twelve terms, each English or Chinese), kept by
    `actor` (staff, or an operator of its belt), on the record. Searches use it from the next one.
    `audit=False` for the admin, which records its own change."""
    from .models import SearchSynonym

    if synonym.pk:
        stored = SearchSynonym.objects.select_for_update().filter(pk=synonym.pk).first()
        if stored is None:
            raise SearchSynonym.DoesNotExist
        if not synonym_editor_may(actor, stored.belt):
            raise PermissionDenied("Not an editor of this synonym")
    if not synonym_editor_may(actor, synonym.belt):
        raise PermissionDenied("Not an editor of this belt's synonyms")
    adding = synonym.pk is None
    synonym.full_clean(exclude=["keys", "updated_by"])
    synonym.updated_by = actor
    synonym.save()
    if audit:
        LogEntry.objects.log_actions(
            user_id=actor.pk,
            queryset=[synonym],
            action_flag=ADDITION if adding else CHANGE,
            change_message=[{"added": {}}] if adding else [{"changed": {"fields": ["terms", "kind", "note"]}}],
            single_object=True,
        )
    return synonym


@transaction.atomic
def search_synonym_delete(*, actor: "User", synonym_id: int, belt: "Belt | None") -> None:
    """Remove a synonym of `belt` (None: one of every search), on the record."""
    from .models import SearchSynonym

    synonym = SearchSynonym.objects.select_for_update().filter(pk=synonym_id, belt=belt).first()
    if synonym is None:
        return
    if not synonym_editor_may(actor, synonym.belt):
        raise PermissionDenied("Not an editor of this synonym")
    LogEntry.objects.log_actions(
        user_id=actor.pk, queryset=[synonym], action_flag=DELETION, change_message="", single_object=True
    )
    synonym.delete()
