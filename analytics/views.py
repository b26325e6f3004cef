"""Analytics pages: a supplier's own, a belt's for its operators (and staff), a belt's public
statistics; each chart with its table under it and the table as CSV."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.decorators import supplier_required
from accounts.http import AuthenticatedHttpRequest
from belts.models import Belt
from marketplace.pagecache.pages import public_page
from suppliers.http import SupplierHttpRequest

from .charts import bar_chart, line_chart
from .selectors import (
    PERIOD_LABELS,
    belt_analytics,
    belt_get_for_analytics,
    belt_get_public,
    period_parse,
    supplier_analytics,
)
from .tables import Table, belt_tables, month_parts, short, supplier_tables


def _labels(table: Table) -> list[str]:
    first = table.columns[0]
    return [short(value, first.kind) for value in table.column(first.key)]


def _csv(table: Table, filename: str) -> HttpResponse:
    response = HttpResponse(table.csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{table.name}.csv"'
    return response


def _supplier_charts(tables: dict[str, Table]) -> dict[str, Any]:
    activity, countries, listings = tables["activity"], tables["countries"], tables["listings"]
    labels = _labels(activity)
    return {
        "activity": line_chart(
            str(activity.title),
            labels,
            [
                (_("Listing views"), activity.column("listing_views")),
                (_("Profile views"), activity.column("profile_views")),
            ],
        ),
        "trade": bar_chart(
            _("Inquiries, RFQs and orders"),
            labels,
            [
                (_("Inquiries"), activity.column("inquiries")),
                (_("RFQs quoted"), activity.column("rfqs_quoted")),
                (_("Orders"), activity.column("orders")),
            ],
        ),
        "revenue": bar_chart(_("Revenue (CNY)"), labels, [(_("Revenue (CNY)"), activity.column("revenue"))]),
        "countries": bar_chart(
            str(countries.title), _labels(countries), [(_("Orders"), countries.column("orders"))], horizontal=True
        )
        if countries.rows
        else None,
        "listings": bar_chart(
            str(listings.title),
            _labels(listings),
            [(_("Views"), listings.column("views")), (_("Orders"), listings.column("orders"))],
            horizontal=True,
        )
        if listings.rows
        else None,
    }


@require_GET
@supplier_required
def supplier_page(request: SupplierHttpRequest) -> HttpResponse:
    """The supplier's own analytics over the chosen period (`?period=30|90|365`)."""
    period = period_parse(request.GET.get("period"))
    data = supplier_analytics(supplier=request.supplier, period=period)
    tables = supplier_tables(data)
    return render(
        request,
        "analytics/supplier.html",
        {
            "supplier": request.supplier,
            "data": data,
            "period": period,
            "periods": list(PERIOD_LABELS.items()),
            "tables": tables,
            "charts": _supplier_charts(tables),
        },
    )


@require_GET
@supplier_required
def supplier_csv(request: SupplierHttpRequest, table: str) -> HttpResponse:
    period = period_parse(request.GET.get("period"))
    tables = supplier_tables(supplier_analytics(supplier=request.supplier, period=period))
    if table not in tables:
        raise Http404("No such table")
    return _csv(tables[table], f"{request.supplier.slug}-{period}")


def _belt_charts(tables: dict[str, Table], *, public: bool) -> dict[str, Any]:
    months, categories, prices, countries = (tables[n] for n in ("months", "categories", "prices", "countries"))
    labels = _labels(months)
    charts: dict[str, Any] = {
        "trade": bar_chart(_("Trade volume (CNY)"), labels, [(_("Trade volume (CNY)"), months.column("trade_volume"))]),
        "orders": line_chart(
            _("Orders and buying companies"),
            labels,
            [(_("Orders"), months.column("orders")), (_("Buying companies"), months.column("buyers"))],
        ),
        "categories": bar_chart(
            str(categories.title),
            _labels(categories),
            [(_("Trade volume (CNY)"), categories.column("trade_volume"))],
            horizontal=True,
        )
        if categories.rows
        else None,
        "countries": bar_chart(
            str(countries.title), _labels(countries), [(_("Orders"), countries.column("orders"))], horizontal=True
        )
        if countries.rows
        else None,
        "prices": None,
    }
    if prices.rows:
        # One line per category over the months that have a snapshot.
        month_values = sorted({row[0] for row in prices.rows})
        by_category: dict[str, dict[Any, Any]] = {}
        for month, category, _q, median, _n in prices.rows:
            by_category.setdefault(category, {})[month] = median
        charts["prices"] = line_chart(
            str(prices.title),
            [short(m, "month") for m in month_values],
            [(name, [values.get(m) or 0 for m in month_values]) for name, values in by_category.items()],
        )
    if not public:
        charts["funnel"] = bar_chart(
            _("Onboarding month by month"),
            labels,
            [
                (_("Applications started"), months.column("applications")),
                (_("Applications submitted"), months.column("submissions")),
                (_("Certified"), months.column("certifications")),
            ],
        )
    return charts


def _belt_context(belt: Belt, *, public: bool) -> dict[str, Any]:
    """The belt page's context: its figures, tables (the month table also in parts) and charts."""
    data = belt_analytics(belt=belt)
    tables = belt_tables(data, public=public)
    return {
        "belt": belt,
        "data": data,
        "tables": tables,
        "month_parts": month_parts(tables["months"]),
        "charts": _belt_charts(tables, public=public),
        "public": public,
    }


@require_GET
@login_required
def belt_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """A belt's analytics for its operators (staff: any belt); anyone else 404."""
    belt = belt_get_for_analytics(user=request.user, slug=slug)
    return render(request, "analytics/belt.html", _belt_context(belt, public=False))


@require_GET
@login_required
def belt_csv(request: AuthenticatedHttpRequest, slug: str, table: str) -> HttpResponse:
    belt = belt_get_for_analytics(user=request.user, slug=slug)
    tables = belt_tables(belt_analytics(belt=belt), public=False)
    if table not in tables:
        raise Http404("No such table")
    return _csv(tables[table], belt.slug)


@require_GET
@public_page(lambda request, slug, **kwargs: ["site", f"belt:{slug}", f"stats:{slug}"])
def belt_public_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The figures a region would publish about its belt; nothing of one supplier. Cached for
    anonymous visitors until the analytics job or a change to the belt bumps its versions."""
    belt = belt_get_public(slug=slug)
    return render(request, "analytics/belt.html", _belt_context(belt, public=True))


@require_GET
@public_page(lambda request, slug, table, **kwargs: ["site", f"belt:{slug}", f"stats:{slug}"])
def belt_public_csv(request: HttpRequest, slug: str, table: str) -> HttpResponse:
    belt = belt_get_public(slug=slug)
    tables = belt_tables(belt_analytics(belt=belt), public=True)
    if table not in tables:
        raise Http404("No such table")
    return _csv(tables[table], f"{belt.slug}-statistics")
