"""The buyer's compare list: up to four public listings side by side, kept in a cookie.

No login is needed, and a public page must hold nothing of one visitor (marketplace.pagecache), so
the list lives in the browser's `compare` cookie ("12.45": listing ids, oldest first), which the
page's script reads to mark the listings on it (static/js/compare.js). Only ids are stored; the
page reloads them through `listing_list_for_compare`, which drops any that stopped being public
(unpublished, archived, supplier's certification lapsed). The server reads the cookie as a visitor
could have written it: anything but ids is ignored.
"""

import re
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from marketplace.exceptions import ApplicationError
from marketplace.i18n import current_language_suffix

from .models import Listing
from .selectors.public import listing_is_public

COOKIE = "compare"
COOKIE_MAX_AGE = 30 * 24 * 3600
LIMIT = 4
KEY_SPECIFICATIONS = 8  # rows of the specification part of the table; the rest is on each listing
_ID = re.compile(r"[1-9][0-9]{0,17}")


class CompareList:
    """The compare list of the request's cookie; `store(response)` writes it back if it changed."""

    def __init__(self, request: HttpRequest) -> None:
        ids: list[int] = []
        for part in request.COOKIES.get(COOKIE, "").split("."):
            if _ID.fullmatch(part) and int(part) not in ids:
                ids.append(int(part))
        self.ids = ids[:LIMIT]
        self._read = list(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, listing_id: object) -> bool:
        return listing_id in self.ids

    def store(self, response: HttpResponse) -> HttpResponse:
        if self.ids != self._read:
            if self.ids:
                response.set_cookie(
                    COOKIE, ".".join(map(str, self.ids)), max_age=COOKIE_MAX_AGE, samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )  # fmt: skip
            else:
                response.delete_cookie(COOKIE, samesite="Lax")
        return response


def compare_add(*, compare: CompareList, listing_id: int) -> list[int]:
    """Put a public listing on the list. Adding one already there changes nothing; a fifth is
    refused with a message the buyer can read, and so is a listing nobody may see."""
    if listing_id in compare.ids:
        return compare.ids
    if len(compare.ids) >= LIMIT:
        raise ApplicationError(
            _("You can compare up to %(n)s listings. Remove one from the compare list first.") % {"n": LIMIT}
        )
    if not listing_is_public(pk=listing_id):
        raise ApplicationError(_("This listing cannot be compared: it is not public."))
    compare.ids = [*compare.ids, listing_id]
    return compare.ids


def compare_remove(*, compare: CompareList, listing_id: int) -> list[int]:
    """Take a listing off the list (nothing happens if it was not on it)."""
    compare.ids = [pk for pk in compare.ids if pk != listing_id]
    return compare.ids


def compare_keep_only(*, compare: CompareList, visible: Iterable[int]) -> list[int]:
    """Forget the listings that stopped being public, so the count in the menu tells the truth."""
    keep = set(visible)
    compare.ids = [pk for pk in compare.ids if pk in keep]
    return compare.ids


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
