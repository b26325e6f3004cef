"""The search synonyms that ship with the marketplace (catalog/data/synonyms.yaml), as (kind, terms)."""

from pathlib import Path

import yaml

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
