"""The buyer's compare list: up to four public listings side by side, kept in the session.

No login is needed, so the list lives in the session (`request.session`), not in a table; only
listing ids are stored, and the page reloads them through `listing_list_for_compare`, which drops
any that stopped being public (unpublished, archived, supplier's certification lapsed).
"""

from collections.abc import Iterable, MutableMapping
from typing import Any

from django.utils.translation import gettext as _

from marketplace.exceptions import ApplicationError
from marketplace.i18n import current_language_suffix

from .models import Listing
from .selectors.public import listing_is_public

SESSION_KEY = "compare_listings"
LIMIT = 4
KEY_SPECIFICATIONS = 8  # rows of the specification part of the table; the rest is on each listing

Session = MutableMapping[str, Any]


def compare_ids(session: Session) -> list[int]:
    """The listing ids on the compare list, oldest first (garbage in the session is ignored)."""
    stored = session.get(SESSION_KEY) or []
    return [pk for pk in stored if isinstance(pk, int)][:LIMIT] if isinstance(stored, list) else []


def compare_add(*, session: Session, listing_id: int) -> list[int]:
    """Put a public listing on the list. Adding one already there changes nothing; a fifth is
    refused with a message the buyer can read, and so is a listing nobody may see."""
    ids = compare_ids(session)
    if listing_id in ids:
        return ids
    if len(ids) >= LIMIT:
        raise ApplicationError(
            _("You can compare up to %(n)s listings. Remove one from the compare list first.") % {"n": LIMIT}
        )
    if not listing_is_public(pk=listing_id):
        raise ApplicationError(_("This listing cannot be compared: it is not public."))
    ids.append(listing_id)
    session[SESSION_KEY] = ids
    return ids


def compare_remove(*, session: Session, listing_id: int) -> list[int]:
    """Take a listing off the list (nothing happens if it was not on it)."""
    ids = compare_ids(session)
    if listing_id in ids:
        ids.remove(listing_id)
        session[SESSION_KEY] = ids
    return ids


def compare_clear(*, session: Session) -> None:
    session.pop(SESSION_KEY, None)


def compare_keep_only(*, session: Session, visible: Iterable[int]) -> list[int]:
    """Forget the listings that stopped being public, so the count in the menu tells the truth."""
    ids = compare_ids(session)
    keep = set(visible)
    kept = [pk for pk in ids if pk in keep]
    if kept != ids:
        session[SESSION_KEY] = kept
    return kept


def specification_matrix(listings: list[Listing], limit: int = KEY_SPECIFICATIONS) -> list[tuple[str, list[str]]]:
    """Rows of the specification part of the compare table: each specification name that any
    listing gives (in the order they first appear, matched on the English name), with every
    listing's value or an empty string. At most `limit` rows, those most listings share first."""
    suffix = current_language_suffix()
    names: dict[str, str] = {}
    values: dict[str, dict[int, str]] = {}
    for listing in listings:
        for spec in listing.specifications or []:
            if not isinstance(spec, dict) or not str(spec.get("value", "")).strip():
                continue
            key = str(spec.get("name_en") or spec.get("name_zh") or "").strip().casefold()
            if not key:
                continue
            names.setdefault(key, str(spec.get(f"name_{suffix}") or spec.get("name_en") or spec.get("name_zh")))
            values.setdefault(key, {}).setdefault(listing.pk, str(spec["value"]))
    order = list(names)
    shared_first = sorted(order, key=lambda key: (-len(values[key]), order.index(key)))[:limit]
    return [(names[key], [values[key].get(listing.pk, "") for listing in listings]) for key in shared_first]
