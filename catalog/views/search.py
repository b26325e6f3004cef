"""The public search page: words, filters with facet counts, sort and keyset pages.

Thin: parse the form → one selector → shape the facets into links → render. A bad value is
shown beside its field and left out of the search; everything typed stays in the form.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from belts.models import Belt, Category
from belts.regions import province_name
from marketplace.dbrouter import public_data
from marketplace.pagecache.pages import EVERY_SCOPE, public_page
from suppliers.levels import LEVEL_RANK

from ..filters import LEVEL_CHOICES, ListingSearchForm
from ..search import Facets, InvalidCursor, SearchResult
from ..selectors.public import listing_search
from ..throttles import search_throttle

PAGE_SIZE = 24
ALL_FILTERS = (
    "belt", "category", "level", "province", "sample", "moq_max", "quantity", "price_min", "price_max",
    "hs", "origin_country", "market", "certificate",
)  # fmt: skip


@dataclass
class FacetOption:
    label: str
    count: str
    url: str
    active: bool = False
    depth: int = 0


@public_data  # the same public rows for everyone: signed-in users' searches may read the replica
@require_GET
@public_page(lambda request: EVERY_SCOPE)
@search_throttle  # inside the page cache: a page served whole from the cache runs no search
def search(request: HttpRequest) -> HttpResponse:
    form = ListingSearchForm(request.GET)
    form.is_valid()
    belts = list(Belt.objects.active())
    categories = list(Category.objects.all())
    try:
        result = _search(form, cursor=form.search_cursor())
    except InvalidCursor:
        form.add_error(None, _("That page link is out of date, so here is the first page again."))
        result = _search(form, cursor=None)
    facets = result.facets or Facets()
    return render(
        request,
        "catalog/search.html",
        {
            "form": form,
            "query": form.search_text(),
            "result": result,
            "page": result.page,
            "sort": result.sort,
            "total": _count(facets.total, exact=facets.exact),
            "total_n": facets.total,
            "order_fields": [form[name] for name in ("quantity", "moq_max", "price_min", "price_max")],
            "trade_fields": [form[name] for name in ("origin_country", "market", "certificate")],
            "total_exact": facets.exact,
            "facet_groups": _facet_groups(request, form, facets, belts, categories),
            "sample_option": _sample_option(request, form, facets),
            "next_url": _url(request, cursor=result.page.next_cursor) if result.page.next_cursor else "",
            "previous_url": _url(request, cursor=result.page.previous_cursor) if result.page.previous_cursor else "",
            "clear_url": "?" + urlencode({"q": form.search_text()}) if form.search_text() else "?",
            "has_filters": any(request.GET.get(name) for name in ALL_FILTERS),
            # The cards show the unit price at the quantity the buyer filters by (catalog.prices).
            "price_quantity": form.search_filters().quantity,
        },
    )


def _search(form: ListingSearchForm, *, cursor: str | None) -> SearchResult:
    return listing_search(
        text=form.search_text(),
        filters=form.search_filters(),
        sort=form.search_sort(),
        cursor=cursor,
        page_size=PAGE_SIZE,
        with_facets=True,
        with_suppliers=True,
    )


def _url(request: HttpRequest, **changes: Any) -> str:
    """This page's address with `changes` applied (None removes a parameter); a filter change
    starts again at the first page."""
    params = {key: value for key, value in request.GET.items() if value != ""}
    params.pop("cursor", None)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(params)


def _count(n: int, *, exact: bool) -> str:
    if exact or n < 100:
        return intcomma(n)
    rounded = round(n, -(len(str(n)) - 2))  # two significant figures
    return "≈" + intcomma(rounded)


def _facet_groups(
    request: HttpRequest, form: ListingSearchForm, facets: Facets, belts: list[Belt], categories: list[Category]
) -> list[dict[str, Any]]:
    chosen = form.search_filters()
    groups = []

    belt_options = [
        FacetOption(belt.name, _count(facets.belt.get(belt.pk, 0), exact=facets.exact),
                    _url(request, belt=None if belt.slug == chosen.belt else belt.slug), belt.slug == chosen.belt)
        for belt in sorted(belts, key=lambda b: -facets.belt.get(b.pk, 0))
        if facets.belt.get(belt.pk) or belt.slug == chosen.belt
    ]  # fmt: skip
    groups.append(_group(form, "belt", _("Belt"), chosen.belt, belt_options))
    category_options = _category_options(request, chosen.category, facets, categories)
    groups.append(_group(form, "category", _("Category"), chosen.category, category_options))

    level_options = []
    for value, label in LEVEL_CHOICES:
        n = sum(count for rank, count in facets.level.items() if rank >= LEVEL_RANK[value])
        if n or value == chosen.level:
            level_options.append(
                FacetOption(str(label), _count(n, exact=facets.exact),
                            _url(request, level=None if value == chosen.level else value), value == chosen.level)
            )  # fmt: skip
    groups.append(_group(form, "level", _("Certification"), chosen.level, level_options))

    province_options = [
        FacetOption(province_name(code), _count(n, exact=facets.exact),
                    _url(request, province=None if code == chosen.province else code), code == chosen.province)
        for code, n in sorted(facets.province.items(), key=lambda item: -item[1])
    ]  # fmt: skip
    if chosen.province and chosen.province not in facets.province:
        province_options.insert(0, FacetOption(province_name(chosen.province), "0", _url(request, province=None), True))
    groups.append(_group(form, "province", _("Province"), chosen.province, province_options))
    return groups


def _group(form: ListingSearchForm, name: str, title: str, value: str, options: list[FacetOption]) -> dict[str, Any]:
    return {"name": name, "title": title, "value": value, "errors": form.errors.get(name, []), "options": options}


def _category_options(
    request: HttpRequest, chosen: str, facets: Facets, categories: list[Category]
) -> list[FacetOption]:
    """Top categories with the listings of their whole subtree; the chosen one's path and children."""
    children: dict[int | None, list[Category]] = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)
    by_slug = {c.slug: c for c in categories}

    def subtree_count(category: Category) -> int:
        return facets.category.get(category.pk, 0) + sum(subtree_count(c) for c in children.get(category.pk, []))

    def option(category: Category, depth: int) -> FacetOption:
        active = category.slug == chosen
        url = _url(request, category=None if active else category.slug)
        return FacetOption(category.name, _count(subtree_count(category), exact=facets.exact), url, active, depth)

    selected = by_slug.get(chosen)
    path: list[Category] = []
    node = selected
    while node is not None and len(path) < 10:
        path.insert(0, node)
        node = next((c for c in categories if c.pk == node.parent_id), None)
    options = []
    top = [c for c in children.get(None, []) if subtree_count(c) or (path and c == path[0])]
    for category in sorted(top, key=lambda c: -subtree_count(c)):
        options.append(option(category, 0))
        if path and category == path[0]:
            for depth, below in enumerate(path[1:], start=1):
                options.append(option(below, depth))
            for child in sorted(children.get(selected.pk, []), key=lambda c: -subtree_count(c)):  # type: ignore[union-attr]
                if subtree_count(child):
                    options.append(option(child, len(path)))
    return options


def _sample_option(request: HttpRequest, form: ListingSearchForm, facets: Facets) -> FacetOption:
    active = form.search_filters().sample
    return FacetOption(
        _("Sample available"),
        _count(facets.sample, exact=facets.exact),
        _url(request, sample=None if active else "on"),
        active,
    )
