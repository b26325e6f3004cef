"""Who may open what: every URL pattern of the project, asked for by every role, against the rule its
view intends (STYLE.md 5: another company's object answers 404; RELIABILITY.md: IDOR and
permission checks letting the wrong people through).

The world (`build_world` in tests/factories.py) is built once for the module, in a transaction rolled back after
the module's last test; each request runs in a savepoint rolled back right after it, so an allowed
POST leaves the next request the same world. Outcomes are classes, not status codes:

- allowed: the request reached the view's work: 2xx, a redirect elsewhere than sign-in, or a 400
  or 410 about the request's content or the link's state;
- refused: the view's own guard said no about the object's state: a redirect back with an error
  message, or 409;
- login: sent to sign in (HTML), or 401/403 to an anonymous API client;
- forbidden: 403 to a signed-in person; hidden: 404; method: 405.

A request whose expected outcome is anything but "allowed" must also write nothing (read from
PostgreSQL's per-transaction row counters, sessions aside), and the POSTs that change a trade
object are checked on the object itself.
"""

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.generic.edit import ProcessFormView

from accounts.models import ApiToken
from buyers.models import BuyerInvitation, BuyerMember, CompanyAddress, Inquiry, SavedSupplier
from catalog.models import Listing, ListingCertificate, ListingImage, ListingImport, Lot, LotCertificate, SearchSynonym
from marketplace.health.services import worker_heartbeat_record
from orders.models import CartLine, Order, Quote, Rfq, WebhookDelivery, WebhookEndpoint
from suppliers.models import (
    BrandLicence,
    BrandLicenceEvent,
    Invitation,
    InvitationImport,
    ProductionSite,
    Supplier,
    SupplierDocument,
)
from tests.factories import ROLES, World, build_world

pytestmark = pytest.mark.django_db

# ==== the routes ==================================================================================

# Routes the matrix does not cover, each with its reason. Admin routes have their own test below.
NOT_IN_MATRIX = {
    r"^media/(?P<path>.*)$": "development-only static serving of public, re-encoded uploads "
    "(DJANGO_SERVE_MEDIA=false in production); private documents live outside MEDIA_ROOT "
    "(tests/suppliers/test_documents_download.py)",
}


@dataclass(frozen=True)
class Route:
    route: str  # the full route string, as Django writes it
    name: str | None  # namespaced name
    pattern: URLPattern

    @property
    def key(self) -> str:
        return self.name or self.route


def url_patterns() -> list[Route]:
    """Every URL pattern of the project, with its full route and namespaced name."""

    def walk(resolver: URLResolver, prefix: str, namespace: str | None) -> Any:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern, prefix + str(pattern.pattern), inner)
            else:
                name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
                yield Route(prefix + str(pattern.pattern), name, pattern)

    return list(walk(get_resolver(), "", None))


def is_admin(route: Route) -> bool:
    return route.route.startswith("admin/")


# ==== the expectations ============================================================================

A, R, L, F, H, M = "allowed", "refused", "login", "forbidden", "hidden", "method"

# One outcome per role, in the order of ROLES:
#                 anonymous  buyer  other_buyer  supplier  other_supplier  operator  staff
PUBLIC          = (A,        A,     A,           A,        A,              A,        A)  # fmt: skip
SIGNED_IN       = (L,        A,     A,           A,        A,              A,        A)  # fmt: skip
BUYERS          = (L,        A,     A,           H,        H,              H,        H)  # fmt: skip
BUYER_OWNED     = (L,        A,     H,           H,        H,              H,        H)  # fmt: skip
CART            = (L,        A,     A,           F,        F,              F,        F)  # fmt: skip
SUPPLIERS       = (L,        H,     H,           A,        A,              H,        H)  # fmt: skip
SUPPLIER_OWNED  = (L,        H,     H,           A,        H,              H,        H)  # fmt: skip
PARTIES         = (L,        A,     H,           A,        H,              H,        H)  # fmt: skip
RFQ_READERS     = (L,        A,     H,           A,        H,              H,        A)  # fmt: skip
OPERATOR        = (L,        H,     H,           H,        H,              A,        H)  # fmt: skip
STAFF           = (L,        H,     H,           H,        H,              H,        A)  # fmt: skip
NOBODY          = (L,        H,     H,           H,        H,              H,        H)  # fmt: skip
# /metrics: a scraper's bearer token or an allowed network, whoever is signed in (401 to all here).
SCRAPERS        = (L,        L,     L,           L,        L,              L,        L)  # fmt: skip
# A belt's analytics: its operators, and staff for any belt.
BELT_ANALYTICS  = (L,        H,     H,           H,        H,              A,        A)  # fmt: skip
# The API's lists of one side: the other side is told it is the wrong side (403).
API_BUYERS      = (L,        A,     A,           F,        F,              F,        F)  # fmt: skip
API_SUPPLIERS   = (L,        F,     F,           A,        A,              F,        F)  # fmt: skip
API_BUYER_OWNED = (L,        A,     H,           F,        F,              F,        F)  # fmt: skip
# Webhooks: every supplier's and buying company's people; the API tells the others they have none.
WEBHOOKS        = (L,        A,     A,           A,        A,              H,        H)  # fmt: skip
API_WEBHOOKS    = (L,        A,     A,           A,        A,              F,        F)  # fmt: skip
API_WEBHOOK     = (L,        H,     H,           A,        H,              F,        F)  # fmt: skip
# Staff decisions over the API: staff with the permission to change suppliers; anyone else 403.
API_STAFF       = (L,        F,     F,           F,        F,              F,        A)  # fmt: skip
# A draft's files: its own supplier previews them; to everyone else (staff too) the draft is not there.
PREVIEW         = (H,        H,     H,           A,        H,              H,        H)  # fmt: skip


def _rows(model: Any, pk: int) -> list[dict[str, Any]]:
    return list(model.objects.filter(pk=pk).values())


# What a POST by the wrong person must leave as it was (read before and after, in the savepoint).
def ORDER(w: World) -> Any:
    return _rows(Order, w.order.pk), w.order.events.count()


def RFQ(w: World) -> Any:
    return _rows(Rfq, w.rfq.pk), _rows(Quote, w.quote.pk), w.rfq.events.count(), Order.objects.count()


def LISTING(w: World) -> Any:
    return _rows(Listing, w.listing.pk), _rows(Listing, w.draft.pk), Listing.objects.count()


def IMAGES(w: World) -> Any:
    return list(ListingImage.objects.filter(listing=w.draft).values()), LISTING(w)


def CERTIFICATES(w: World) -> Any:
    return list(ListingCertificate.objects.filter(listing__in=[w.listing, w.draft]).values()), LISTING(w)


def INQUIRY(w: World) -> Any:
    return _rows(Inquiry, w.inquiry_pk), Inquiry.objects.get(pk=w.inquiry_pk).messages.count()


def TEAM(w: World) -> Any:
    return list(BuyerMember.objects.values()), list(BuyerInvitation.objects.values())


def ADDRESSES(w: World) -> Any:
    return list(CompanyAddress.objects.order_by("pk").values())


def SAVED(w: World) -> Any:
    return list(SavedSupplier.objects.values())


def CART_LINES(w: World) -> Any:
    return list(CartLine.objects.values()), Order.objects.count()


def IMPORTS(w: World) -> Any:
    return list(ListingImport.objects.values()), Listing.objects.count()


def SYNONYMS(w: World) -> Any:
    return list(SearchSynonym.objects.values())


def INVITATIONS(w: World) -> Any:
    return list(Invitation.objects.values()), list(InvitationImport.objects.values())


def TOKENS(w: World) -> Any:
    return list(ApiToken.objects.order_by("pk").values())


def WEBHOOK_STATE(w: World) -> Any:
    return list(WebhookEndpoint.objects.order_by("pk").values()), list(WebhookDelivery.objects.order_by("pk").values())


def webhook(w: World) -> dict[str, Any]:
    return {"pk": w.webhook.pk}


def webhook_delivery(w: World) -> dict[str, Any]:
    return {"pk": w.webhook.pk, "delivery_pk": w.webhook_delivery.pk}


def WEBHOOK_INPUT(w: World) -> dict[str, Any]:
    return {"url": "http://127.0.0.1:9/other", "events": ["order.shipped"]}


def LICENCES(w: World) -> Any:
    return list(BrandLicence.objects.order_by("pk").values()), BrandLicenceEvent.objects.count()


def LOTS(w: World) -> Any:
    return list(Lot.objects.order_by("pk").values()), list(LotCertificate.objects.order_by("pk").values())


def LOT_FORM(w: World) -> dict[str, Any]:
    return {"code": "MATRIX-LOT-1", "listings": [w.listing.pk], "site_name": "Plant 2", "site_address": "2 Laser Road",
            "site_region": "CN-HB", "produced_on": "2026-09-01", "quantity": 500, "unit": w.listing.unit}  # fmt: skip


def APPLICATION(w: World) -> Any:
    return (
        _rows(Supplier, w.supplier.pk),
        _rows(SupplierDocument, w.document.pk),
        _rows(ProductionSite, w.site.pk),
        Supplier.objects.count(),
    )


@dataclass(frozen=True)
class Case:
    method: str
    expect: tuple[str, ...]
    kwargs: Callable[[World], dict[str, Any]] = lambda w: {}
    query: Callable[[World], str] = lambda w: ""
    data: Callable[[World], dict[str, Any]] = lambda w: {}
    state: Callable[[World], Any] | None = None  # the object a refused request must leave unchanged
    note: str = ""


def get(expect: tuple[str, ...], kwargs: Callable[[World], dict[str, Any]] = lambda w: {}, **more: Any) -> Case:
    return Case("GET", expect, kwargs, **more)


def post(expect: tuple[str, ...], kwargs: Callable[[World], dict[str, Any]] = lambda w: {}, **more: Any) -> Case:
    return Case("POST", expect, kwargs, **more)


def listing(w: World) -> dict[str, Any]:
    return {"pk": w.listing.pk}


def draft(w: World) -> dict[str, Any]:
    return {"pk": w.draft.pk}


def lot(w: World) -> dict[str, Any]:
    return {"pk": w.lot.pk}


def draft_image(w: World) -> dict[str, Any]:
    return {"pk": w.draft.pk, "image_id": w.image.pk}


def listing_certificate(w: World) -> dict[str, Any]:
    return {"pk": w.listing.pk, "certificate_id": w.certificate.pk}


def draft_certificate(w: World) -> dict[str, Any]:
    return {"pk": w.draft.pk, "certificate_id": w.draft_certificate.pk}


def supplier_slug(w: World) -> dict[str, Any]:
    return {"slug": w.supplier.slug}


def code(w: World) -> dict[str, Any]:
    return {"code": w.certification.code}


def order(w: World) -> dict[str, Any]:
    return {"number": w.order.number}


def rfq(w: World) -> dict[str, Any]:
    return {"pk": w.rfq.pk}


def rfq_file(w: World) -> dict[str, Any]:
    return {"pk": w.rfq.pk, "attachment_pk": w.rfq_file.pk}


def inquiry(w: World) -> dict[str, Any]:
    return {"pk": w.inquiry_pk}


def address(w: World) -> dict[str, Any]:
    return {"pk": w.address.pk}


def ADDRESS(w: World) -> dict[str, Any]:
    return {"label": "Antwerp hub", "address": "Haven 1", "country": "BE"}


def attachment(w: World) -> dict[str, Any]:
    return {"pk": w.inquiry_pk, "message_pk": w.attachment.pk}


# Valid for every step of an order (each form reads its own fields): a refusal is then about who
# asks and the order's state, never about a missing field.
def STEP(w: World) -> dict[str, Any]:
    return {
        "expected_status": Order.Status.PLACED,
        "carrier": "COSCO",
        "tracking_number": "COSU6123456780",
        "reason": "Changed plans",
        "stars": 5,
        "text": "",
        "expected_total": str(w.order.total),
    }


def DISPUTE(w: World) -> dict[str, Any]:
    return {"reason": "quality", "description": "Cracked housings", "answer": "Packed to spec"}


def evidence(w: World) -> dict[str, Any]:
    return {"number": w.order.number, "pk": 1}


def NO_TOKEN(w: World) -> dict[str, Any]:
    return {"uidb64": "MQ", "token": "set-password"}


# --- order steps: who may take which step of a placed order ---------------------------------------
#                        anonymous  buyer  other_buyer  supplier  other_supplier  operator  staff
SUPPLIER_STEP          = (L,        R,     H,           A,        H,              H,        H)  # fmt: skip
API_SUPPLIER_STEP      = (L,        F,     H,           A,        H,              H,        H)  # fmt: skip
# A step the placed order is not at yet: refused to both parties, whichever side takes it.
LATER_STEP             = (L,        R,     H,           R,        H,              H,        H)  # fmt: skip
# The buyer's own step on its order (choose payment protection): the supplier is refused.
BUYER_STEP             = (L,        A,     H,           R,        H,              H,        H)  # fmt: skip
# --- the supplier application ---------------------------------------------------------------------
# Anyone may read the sign-up; a signed-in buyer may start one; operators and staff are refused (403).
# A buying company's people cannot turn their account into a supplier's.
APPLY                  = (A,        F,     F,           A,        A,              F,        F)  # fmt: skip
# The wizard's step page sends a person without an application to the start page.
APPLY_STEP             = (L,        A,     A,           A,        A,              A,        A)  # fmt: skip
# A certified supplier's application is no longer editable: its own members are refused.
OWN_LOCKED_APPLICATION = (L,        H,     H,           R,        H,              H,        H)  # fmt: skip
SUBMIT                 = (L,        H,     H,           R,        R,              H,        H)  # fmt: skip
# A buying company's invitation link: signed-in people with another address are told why not.
TEAM_JOIN              = (A,        F,     F,           F,        F,              F,        F)  # fmt: skip
# A supplier's document: its own members and platform staff.
DOCUMENT               = (L,        H,     H,           A,        H,              H,        A)  # fmt: skip
# "My orders": a supplier's member is sent on to its own list; people who trade for nobody get 404.
ORDER_LIST             = (L,        A,     A,           A,        A,              H,        H)  # fmt: skip

MATRIX: dict[str, list[Case]] = {
    # ---- catalog: public pages ----
    "catalog:home": [get(PUBLIC)],
    "catalog:belt_detail": [get(PUBLIC, lambda w: {"slug": w.belt.slug})],
    "catalog:listing_detail": [
        get(PUBLIC, listing),
        get((H, H, H, A, H, H, H), draft, note="a draft: its supplier's preview only"),
    ],
    "catalog:search": [get(PUBLIC)],
    "catalog:compare": [get(PUBLIC)],
    "catalog:compare_add": [post(PUBLIC, listing)],
    "catalog:set_currency": [post(PUBLIC, data=lambda w: {"currency": "EUR"})],
    "catalog:compare_remove": [post(PUBLIC, listing)],
    # ---- catalog: the supplier's listings ----
    "catalog:listing_import": [get(SUPPLIERS), post(SUPPLIERS, state=IMPORTS)],
    "catalog:listing_import_detail": [get(SUPPLIER_OWNED, lambda w: {"pk": w.import_job.pk})],
    "catalog:listing_import_template": [get(SUPPLIERS, lambda w: {"fmt": "csv"})],
    "catalog:listing_export": [get(SUPPLIERS, lambda w: {"fmt": "csv"})],
    "catalog:manage_list": [get(SUPPLIERS)],
    "catalog:manage_new": [get(SUPPLIERS), post(SUPPLIERS, state=LISTING)],
    "catalog:manage_edit": [get(SUPPLIER_OWNED, draft), post(SUPPLIER_OWNED, draft, state=LISTING)],
    "catalog:manage_publish": [post(SUPPLIER_OWNED, draft, state=LISTING)],
    "catalog:manage_unpublish": [post(SUPPLIER_OWNED, listing, state=LISTING)],
    "catalog:manage_archive": [post(SUPPLIER_OWNED, listing, state=LISTING)],
    "catalog:manage_restore": [post(SUPPLIER_OWNED, listing, state=LISTING)],
    "catalog:manage_duplicate": [post(SUPPLIER_OWNED, listing, state=LISTING)],
    "catalog:manage_image_add": [post(SUPPLIER_OWNED, draft, state=IMAGES)],
    "catalog:manage_image_remove": [post(SUPPLIER_OWNED, draft_image, state=IMAGES)],
    "catalog:manage_image_first": [post(SUPPLIER_OWNED, draft_image, state=IMAGES)],
    # ---- catalog: the supplier's lots and the public lot page ----
    "catalog:lot_list": [get(SUPPLIERS)],
    "catalog:lot_new": [get(SUPPLIERS), post(SUPPLIERS, state=LOTS)],
    "catalog:lot_edit": [get(SUPPLIER_OWNED, lot), post(SUPPLIER_OWNED, lot, data=LOT_FORM, state=LOTS)],
    "catalog:lot_close": [post(SUPPLIER_OWNED, lot, state=LOTS)],
    "catalog:lot_certificate_add": [post(SUPPLIER_OWNED, lot, state=LOTS)],
    "catalog:lot_public": [get(PUBLIC, lambda w: {"token": w.lot.token})],
    "catalog:lot_certificate_download": [
        get(PUBLIC, lambda w: {"token": w.lot.token, "pk": w.lot_certificate.pk}),
    ],
    "catalog:manage_certificate_add": [post(SUPPLIER_OWNED, draft, state=CERTIFICATES)],
    "catalog:manage_certificate_remove": [post(SUPPLIER_OWNED, draft_certificate, state=CERTIFICATES)],
    "catalog:listing_certificate_document": [get(PUBLIC, listing_certificate), get(PREVIEW, draft_certificate)],
    # ---- suppliers: public trust pages ----
    "suppliers:detail": [get(PUBLIC, supplier_slug)],
    "suppliers:verify_lookup": [get(PUBLIC)],
    "suppliers:help_response_figures": [get(PUBLIC)],
    "suppliers:verify": [get(PUBLIC, code)],
    "suppliers:certificate_download": [get(PUBLIC, code)],
    "suppliers:certificate_keys": [get(PUBLIC)],
    "suppliers:certificate_revocations": [get(PUBLIC)],
    # ---- suppliers: private files ----
    "suppliers:document_download": [get(DOCUMENT, lambda w: {"pk": w.document.pk})],
    "suppliers:audit_report_download": [get(STAFF, lambda w: {"pk": w.certification.pk})],
    # A brand licence's document: staff, the belt's operators and the holder's members.
    "suppliers:brand_licence_document_download": [get((L, H, H, A, H, A, A), lambda w: {"pk": w.brand_licence.pk})],
    # ---- suppliers: the supplier's dashboard and application ----
    "suppliers:dashboard": [get(SUPPLIERS)],
    # ---- analytics ----
    "analytics:supplier": [get(SUPPLIERS)],
    "analytics:supplier_csv": [get(SUPPLIERS, lambda w: {"table": "activity"})],
    "analytics:belt": [
        get(BELT_ANALYTICS, lambda w: {"slug": w.belt.slug}),
        get((L, H, H, H, H, H, A), lambda w: {"slug": w.other_belt.slug}, note="a belt nobody here operates"),
    ],
    "analytics:belt_csv": [get(BELT_ANALYTICS, lambda w: {"slug": w.belt.slug, "table": "months"})],
    "analytics:belt_public": [get(PUBLIC, lambda w: {"slug": w.belt.slug})],
    "analytics:belt_public_csv": [get(PUBLIC, lambda w: {"slug": w.belt.slug, "table": "countries"})],
    "suppliers:application_checks": [get(SUPPLIERS)],
    "suppliers:renewal": [get(SUPPLIERS), post(SUPPLIERS, state=APPLICATION)],
    "suppliers:brand_licences": [get(SUPPLIERS)],
    "suppliers:renewal_document_remove": [
        post(OWN_LOCKED_APPLICATION, lambda w: {"document_id": w.document.pk}, state=APPLICATION)
    ],
    "suppliers:apply": [get(APPLY), post(APPLY, state=APPLICATION)],
    "suppliers:apply_invited": [
        get(APPLY, lambda w: {"token": w.supplier_invitation.token}),
        post(APPLY, lambda w: {"token": w.supplier_invitation.token}, state=APPLICATION),
    ],
    "suppliers:apply_submit": [post(SUBMIT, state=APPLICATION)],
    "suppliers:apply_document_remove": [
        post(OWN_LOCKED_APPLICATION, lambda w: {"document_id": w.document.pk}, state=APPLICATION)
    ],
    "suppliers:apply_site_remove": [post(OWN_LOCKED_APPLICATION, lambda w: {"site_id": w.site.pk}, state=APPLICATION)],
    "suppliers:apply_step": [
        get(APPLY_STEP, lambda w: {"step": "company"}),
        post((L, A, A, R, R, A, A), lambda w: {"step": "company"}, state=APPLICATION),
    ],
    # ---- suppliers: the belt operator ----
    "suppliers:operator_dashboard": [get(OPERATOR)],
    "suppliers:operator_application": [
        get(OPERATOR, lambda w: {"supplier_pk": w.supplier.pk}),
        post(OPERATOR, lambda w: {"supplier_pk": w.supplier.pk}, state=APPLICATION),
        get(NOBODY, lambda w: {"supplier_pk": w.other_supplier.pk}, note="a company of a belt nobody here operates"),
    ],
    "suppliers:operator_invite": [
        get(OPERATOR, lambda w: {"belt_slug": w.belt.slug}),
        post(OPERATOR, lambda w: {"belt_slug": w.belt.slug}, state=INVITATIONS),
        get(NOBODY, lambda w: {"belt_slug": w.other_belt.slug}, note="a belt nobody here operates"),
    ],
    "suppliers:operator_invite_import": [
        get(OPERATOR, lambda w: {"belt_slug": w.belt.slug, "pk": w.invitation_import.pk}),
        get(
            NOBODY,
            lambda w: {"belt_slug": w.other_belt.slug, "pk": w.invitation_import.pk},
            note="the import under a belt nobody here operates",
        ),
    ],
    "suppliers:operator_licences": [
        get(OPERATOR, lambda w: {"belt_slug": w.belt.slug}),
        post(OPERATOR, lambda w: {"belt_slug": w.belt.slug}, state=LICENCES),
        get(NOBODY, lambda w: {"belt_slug": w.other_belt.slug}, note="a belt nobody here operates"),
    ],
    "suppliers:operator_licence": [
        get(OPERATOR, lambda w: {"pk": w.brand_licence.pk}),
        post(OPERATOR, lambda w: {"pk": w.brand_licence.pk}, data=lambda w: {"action": "revoke"}, state=LICENCES),
    ],
    "suppliers:verify_licence": [get(PUBLIC, lambda w: {"number": w.brand_licence.number})],
    "catalog:operator_synonyms": [
        get(OPERATOR, lambda w: {"belt_slug": w.belt.slug}),
        post(OPERATOR, lambda w: {"belt_slug": w.belt.slug}, state=SYNONYMS),
        get(NOBODY, lambda w: {"belt_slug": w.other_belt.slug}, note="a belt nobody here operates"),
    ],
    "catalog:operator_synonym_edit": [
        get(OPERATOR, lambda w: {"belt_slug": w.belt.slug, "pk": w.synonym.pk}),
        post(OPERATOR, lambda w: {"belt_slug": w.belt.slug, "pk": w.synonym.pk}, state=SYNONYMS),
        get(
            NOBODY,
            lambda w: {"belt_slug": w.other_belt.slug, "pk": w.synonym.pk},
            note="the synonym under a belt nobody here operates",
        ),
    ],
    "catalog:operator_synonym_delete": [
        post(OPERATOR, lambda w: {"belt_slug": w.belt.slug, "pk": w.synonym.pk}, state=SYNONYMS),
        post(
            NOBODY,
            lambda w: {"belt_slug": w.other_belt.slug, "pk": w.synonym.pk},
            state=SYNONYMS,
            note="the synonym under a belt nobody here operates",
        ),
    ],
    # ---- buyers ----
    "buyers:signup": [get(PUBLIC), post(PUBLIC)],
    "buyers:dashboard": [get(BUYERS)],
    "buyers:inquiry_list": [get(BUYERS)],
    "buyers:inquiry_new": [
        get(BUYERS, query=lambda w: f"supplier={w.supplier.slug}"),
        post(BUYERS, query=lambda w: f"supplier={w.supplier.slug}", state=INQUIRY),
    ],
    "buyers:inquiry_detail": [get(PARTIES, inquiry), post(PARTIES, inquiry, state=INQUIRY)],
    "buyers:attachment_download": [get(PARTIES, attachment)],
    "buyers:inbox": [get(SUPPLIERS)],
    "buyers:supplier_save": [post(BUYERS, supplier_slug, state=SAVED)],
    "buyers:supplier_unsave": [post(BUYER_OWNED, supplier_slug, state=SAVED)],
    "buyers:team": [get(BUYERS), post(BUYERS, state=TEAM)],
    "buyers:team_invitation_withdraw": [post(BUYER_OWNED, lambda w: {"pk": w.invitation.pk}, state=TEAM)],
    "buyers:team_member_remove": [post(BUYER_OWNED, lambda w: {"pk": w.colleague.pk}, state=TEAM)],
    "buyers:addresses": [get(BUYERS), post(BUYERS, state=ADDRESSES)],
    "buyers:address_edit": [get(BUYER_OWNED, address), post(BUYER_OWNED, address, state=ADDRESSES)],
    "buyers:address_delete": [post(BUYER_OWNED, address, state=ADDRESSES)],
    "buyers:address_mark": [post(BUYER_OWNED, address, data=lambda w: {"use": "billing"}, state=ADDRESSES)],
    "buyers:team_join": [
        get(TEAM_JOIN, lambda w: {"token": w.invitation.token}),
        post(TEAM_JOIN, lambda w: {"token": w.invitation.token}, state=TEAM),
    ],
    # ---- orders: cart and checkout ----
    "orders:cart": [get(CART)],
    "orders:cart_add": [post(CART, listing, data=lambda w: {"quantity": 10}, state=CART_LINES)],
    "orders:cart_line_update": [
        post((L, A, H, F, F, F, F), lambda w: {"pk": w.cart_line.pk}, data=lambda w: {"quantity": 20}, state=CART_LINES)
    ],
    "orders:checkout": [get(CART), post(CART, state=CART_LINES)],
    "orders:checkout_done": [get((L, A, H, F, F, F, F), lambda w: {"pk": w.purchase.pk})],
    # ---- orders: placed orders ----
    "orders:order_list": [get(ORDER_LIST)],
    "orders:supplier_order_list": [get(SUPPLIERS)],
    "orders:order_detail": [get(PARTIES, order)],
    "orders:order_pdf": [get(LATER_STEP, order, note="a placed order has no purchase order yet (409)")],
    "orders:order_confirm": [post(SUPPLIER_STEP, order, data=STEP, state=ORDER)],
    "orders:order_accept_terms": [post(LATER_STEP, order, data=STEP, state=ORDER)],
    "orders:order_mark_deposit_paid": [post(LATER_STEP, order, data=STEP, state=ORDER)],
    "orders:order_mark_paid": [post(LATER_STEP, order, data=STEP, state=ORDER)],
    "orders:order_ship": [post(LATER_STEP, order, data=STEP, state=ORDER)],
    "orders:order_confirm_delivery": [post(LATER_STEP, order, data=STEP, state=ORDER)],
    "orders:order_complete": [post(LATER_STEP, order, data=STEP, state=ORDER)],
    "orders:order_cancel": [post(PARTIES, order, data=STEP, state=ORDER)],
    "orders:order_rate": [post(LATER_STEP, order, data=STEP, state=ORDER)],
    # ---- orders: payment protection of the placed (unprotected) order ----
    "orders:protection_open": [post(BUYER_STEP, order, state=ORDER)],
    "orders:dispute_open": [
        post(LATER_STEP, order, data=DISPUTE, state=ORDER, note="no protection, no dispute: refused to both sides")
    ],
    "orders:dispute_answer": [post(LATER_STEP, order, data=DISPUTE, state=ORDER)],
    "orders:dispute_evidence": [
        get(NOBODY, evidence, note="the world's order has no dispute; parties' downloads: test_protection_pages")
    ],
    # ---- orders: requests for quotation ----
    "orders:rfq_list": [get(BUYERS)],
    "orders:rfq_new": [get(BUYERS), post(BUYERS, state=RFQ)],
    "orders:rfq_detail": [get(BUYER_OWNED, rfq)],
    "orders:rfq_attachment": [get(RFQ_READERS, rfq_file)],
    "orders:rfq_award": [post(BUYER_OWNED, rfq, state=RFQ)],
    "orders:rfq_cancel": [post(BUYER_OWNED, rfq, state=RFQ)],
    "orders:rfq_opportunities": [get(SUPPLIERS)],
    "orders:rfq_opportunity": [get(SUPPLIER_OWNED, rfq), post(SUPPLIER_OWNED, rfq, state=RFQ)],
    "orders:rfq_withdraw": [post(SUPPLIER_OWNED, rfq, state=RFQ)],
    # ---- orders: webhooks of a supplier or a buying company ----
    "orders:webhook_list": [get(WEBHOOKS), post(WEBHOOKS, data=WEBHOOK_INPUT, state=WEBHOOK_STATE)],
    "orders:webhook_detail": [get(SUPPLIER_OWNED, webhook)],
    "orders:webhook_toggle": [post(SUPPLIER_OWNED, webhook, state=WEBHOOK_STATE)],
    "orders:webhook_delete": [post(SUPPLIER_OWNED, webhook, state=WEBHOOK_STATE)],
    "orders:webhook_redeliver": [post(SUPPLIER_OWNED, webhook_delivery, state=WEBHOOK_STATE)],
    # ---- accounts and wiring ----
    "accounts:login": [get(PUBLIC), post(PUBLIC)],
    "accounts:logout": [post(PUBLIC)],
    "accounts:activate": [get(PUBLIC, NO_TOKEN)],
    "accounts:password_reset": [get(PUBLIC), post(PUBLIC)],
    "accounts:password_reset_done": [get(PUBLIC)],
    "accounts:password_reset_confirm": [get(PUBLIC, NO_TOKEN), post(PUBLIC, NO_TOKEN)],
    "accounts:password_reset_complete": [get(PUBLIC)],
    "accounts:api_tokens": [get(SIGNED_IN), post(SIGNED_IN, data=lambda w: {"name": "ERP"}, state=TOKENS)],
    "accounts:api_token_revoke": [
        post(BUYER_OWNED, lambda w: {"pk": w.api_token.pk}, state=TOKENS, note="a person's own token")
    ],
    "dashboard": [get(SIGNED_IN)],
    "csrf": [get(PUBLIC)],
    "healthz": [get(PUBLIC)],
    "favicon": [get(PUBLIC)],  # a redirect to the static icon
    "readyz": [get(PUBLIC)],
    "readyz-web": [get(PUBLIC)],
    "metrics": [get(SCRAPERS)],
    "set_language": [post(PUBLIC, data=lambda w: {"language": "zh-hans"})],
    "api-schema": [get(PUBLIC)],
    "api-docs": [get(PUBLIC)],
    # ---- API: public catalog and trust ----
    "api:belt-list": [get(PUBLIC)],
    "api:belt-detail": [get(PUBLIC, lambda w: {"slug": w.belt.slug})],
    "api:category-list": [get(PUBLIC)],
    "api:listing-list": [get(PUBLIC)],
    "api:listing-detail": [get(PUBLIC, listing), get((H, H, H, A, H, H, H), draft, note="its supplier's preview only")],
    "api:supplier-list": [get(PUBLIC)],
    "api:supplier-detail": [get(PUBLIC, supplier_slug)],
    "api:supplier-certification": [get(PUBLIC, supplier_slug)],
    "api:certificate-verify": [get(PUBLIC, code)],
    "api:signed-certificate-verify": [post(PUBLIC)],
    "api:licence-verify": [get(PUBLIC, lambda w: {"number": w.brand_licence.number})],
    # ---- API: the belt operator's brand licences (another belt's answers 404) ----
    "api:operator-licence-list": [
        get(OPERATOR, lambda w: {"slug": w.belt.slug}),
        post(OPERATOR, lambda w: {"slug": w.belt.slug}, state=LICENCES),
        get(NOBODY, lambda w: {"slug": w.other_belt.slug}, note="a belt nobody here operates"),
    ],
    "api:operator-licence-detail": [get(OPERATOR, lambda w: {"pk": w.brand_licence.pk})],
    "api:operator-licence-renew": [post(OPERATOR, lambda w: {"pk": w.brand_licence.pk}, state=LICENCES)],
    "api:operator-licence-revoke": [post(OPERATOR, lambda w: {"pk": w.brand_licence.pk}, state=LICENCES)],
    # ---- API: the supplier's own ----
    "api:my-application": [
        get(SUPPLIERS),
        Case("PATCH", SUPPLIERS, data=lambda w: {"phone": "+86 27 0000"}, state=APPLICATION),
    ],
    "api:my-analytics": [get(SUPPLIERS)],
    "api:belt-analytics": [
        get(BELT_ANALYTICS, lambda w: {"slug": w.belt.slug}),
        get((L, H, H, H, H, H, A), lambda w: {"slug": w.other_belt.slug}, note="a belt nobody here operates"),
    ],
    "api:my-listing-list": [get(SUPPLIERS), post(SUPPLIERS, state=LISTING)],
    "api:my-listing-detail": [
        get(SUPPLIER_OWNED, draft),
        Case("PATCH", SUPPLIER_OWNED, draft, data=lambda w: {"title_en": "Renamed"}, state=LISTING),
        Case("PUT", SUPPLIER_OWNED, draft, data=lambda w: {"title_en": "Renamed"}, state=LISTING),
    ],
    "api:my-listing-certificates": [post(SUPPLIER_OWNED, draft, state=CERTIFICATES)],
    "api:my-listing-certificate-detail": [Case("DELETE", SUPPLIER_OWNED, draft_certificate, state=CERTIFICATES)],
    "api:my-listing-publish": [post(SUPPLIER_OWNED, draft, state=LISTING)],
    "api:my-listing-unpublish": [post(SUPPLIER_OWNED, listing, state=LISTING)],
    "api:my-listing-archive": [post(SUPPLIER_OWNED, listing, state=LISTING)],
    "api:my-listing-restore": [post(SUPPLIER_OWNED, listing, state=LISTING)],
    "api:my-listing-duplicate": [post(SUPPLIER_OWNED, listing, state=LISTING)],
    "api:my-lot-list": [get(API_SUPPLIERS), post(API_SUPPLIERS, state=LOTS)],
    "api:my-lot-detail": [
        get(SUPPLIER_OWNED, lot),
        Case("PATCH", SUPPLIER_OWNED, lot, data=lambda w: {"grade": "B"}, state=LOTS),
    ],
    "api:my-lot-close": [post(SUPPLIER_OWNED, lot, state=LOTS)],
    "api:my-lot-certificates": [post(SUPPLIER_OWNED, lot, state=LOTS)],
    "api:lot-detail": [get(PUBLIC, lambda w: {"token": w.lot.token})],
    # ---- API: inquiries and saved suppliers ----
    "api:inquiry-list": [get(SIGNED_IN), post(API_BUYERS, state=INQUIRY)],
    "api:inquiry-detail": [get(PARTIES, inquiry)],
    "api:inquiry-read": [post(PARTIES, inquiry, state=INQUIRY)],
    "api:inquiry-message-create": [post(PARTIES, inquiry, data=lambda w: {"body": "And for 40 units?"}, state=INQUIRY)],
    "api:inquiry-attachment": [get(PARTIES, attachment)],
    "api:saved-supplier-list": [get(API_BUYERS), post(API_BUYERS, state=SAVED)],
    "api:saved-supplier-detail": [Case("DELETE", API_BUYER_OWNED, supplier_slug, state=SAVED)],
    # ---- API: the company's addresses ----
    "api:buyer-address-list": [get(API_BUYERS), post(API_BUYERS, data=ADDRESS, state=ADDRESSES)],
    "api:buyer-address-detail": [
        get(API_BUYER_OWNED, address),
        Case("PATCH", API_BUYER_OWNED, address, data=lambda w: {"label": "Renamed"}, state=ADDRESSES),
        Case("PUT", API_BUYER_OWNED, address, data=ADDRESS, state=ADDRESSES),
        Case("DELETE", API_BUYER_OWNED, address, state=ADDRESSES),
    ],
    # ---- API: orders ----
    "api:order-list": [get(SIGNED_IN), post(API_BUYERS, state=CART_LINES)],
    "api:order-detail": [get(PARTIES, order)],
    "api:order-confirm": [post(API_SUPPLIER_STEP, order, data=STEP, state=ORDER)],
    "api:order-accept-terms": [post(LATER_STEP, order, data=STEP, state=ORDER)],
    "api:order-mark-deposit-paid": [post(LATER_STEP, order, data=STEP, state=ORDER)],
    "api:order-mark-paid": [post(LATER_STEP, order, data=STEP, state=ORDER)],
    "api:order-ship": [post(LATER_STEP, order, data=STEP, state=ORDER)],
    "api:order-confirm-delivery": [post(LATER_STEP, order, data=STEP, state=ORDER)],
    "api:order-complete": [post(LATER_STEP, order, data=STEP, state=ORDER)],
    "api:order-cancel": [post(PARTIES, order, data=STEP, state=ORDER)],
    "api:order-rate": [post(LATER_STEP, order, data=STEP, state=ORDER)],
    # ---- API: payment protection (no Idempotency-Key sent: the parties' steps answer 400) ----
    "api:order-protection": [get(NOBODY, order, note="the world's order is not protected (404 to all)")],
    "api:order-protection-open": [post(PARTIES, order, state=ORDER)],
    "api:order-protection-confirm-delivery": [post(PARTIES, order, state=ORDER)],
    "api:order-dispute-open": [post(PARTIES, order, data=DISPUTE, state=ORDER)],
    "api:order-dispute-answer": [post(PARTIES, order, data=DISPUTE, state=ORDER)],
    "api:order-dispute-evidence": [get(NOBODY, evidence)],
    # ---- API: requests for quotation ----
    "api:rfq-list": [get(API_BUYERS), post(API_BUYERS, state=RFQ)],
    "api:rfq-detail": [get(BUYER_OWNED, rfq)],
    "api:rfq-attachment": [get(RFQ_READERS, rfq_file)],
    "api:rfq-award": [post(BUYER_OWNED, rfq, state=RFQ)],
    "api:rfq-cancel": [post(BUYER_OWNED, rfq, data=lambda w: {"reason": "No longer needed"}, state=RFQ)],
    "api:rfq-opportunity-list": [get(API_SUPPLIERS)],
    "api:rfq-opportunity-detail": [get(SUPPLIER_OWNED, rfq)],
    "api:rfq-opportunity-quote": [post(SUPPLIER_OWNED, rfq, state=RFQ)],
    "api:rfq-opportunity-withdraw": [post(SUPPLIER_OWNED, rfq, state=RFQ)],
    # ---- API: tokens (everyone's own) and webhooks ----
    "api:me-token-list": [get(SIGNED_IN), post(SIGNED_IN, data=lambda w: {"name": "ERP"}, state=TOKENS)],
    "api:me-token-revoke": [post(BUYER_OWNED, lambda w: {"pk": w.api_token.pk}, state=TOKENS)],
    "api:webhook-list": [get(API_WEBHOOKS), post(API_WEBHOOKS, data=WEBHOOK_INPUT, state=WEBHOOK_STATE)],
    "api:webhook-detail": [
        get(API_WEBHOOK, webhook),
        Case("PATCH", API_WEBHOOK, webhook, data=lambda w: {"is_active": False}, state=WEBHOOK_STATE),
        Case("DELETE", API_WEBHOOK, webhook, state=WEBHOOK_STATE),
    ],
    "api:webhook-deliveries": [get(API_WEBHOOK, webhook)],
    "api:webhook-redeliver": [post(API_WEBHOOK, webhook_delivery, state=WEBHOOK_STATE)],
    # ---- API: the cart and its checkout (no Idempotency-Key sent: a buyer's checkout answers 400) ----
    "api:cart": [get(CART)],
    "api:cart-items": [
        post(CART, data=lambda w: {"listing": w.listing.pk, "quantities": [{"quantity": 10}]}, state=CART_LINES)
    ],
    "api:cart-line": [
        Case(
            "PATCH",
            API_BUYER_OWNED,
            lambda w: {"pk": w.cart_line.pk},
            data=lambda w: {"quantity": 10},
            state=CART_LINES,
        ),
        Case("DELETE", API_BUYER_OWNED, lambda w: {"pk": w.cart_line.pk}, state=CART_LINES),
    ],
    "api:cart-checkout": [post(CART, state=CART_LINES)],
    # ---- API: the supplier's application (the world's supplier is certified: its writes answer 400) ----
    "api:my-application-submit": [post(SUPPLIERS, state=APPLICATION)],
    "api:my-application-sites": [
        get(SUPPLIERS),
        post(
            SUPPLIERS,
            data=lambda w: {"name": "P", "address": "1 Rd", "province": "CN-HB", "city": "Wuhan", "products": "Lasers"},
            state=APPLICATION,
        ),
    ],
    "api:my-application-site": [Case("DELETE", SUPPLIER_OWNED, lambda w: {"pk": w.site.pk}, state=APPLICATION)],
    "api:my-application-documents": [get(SUPPLIERS), post(SUPPLIERS, state=APPLICATION)],
    "api:my-application-document": [Case("DELETE", SUPPLIER_OWNED, lambda w: {"pk": w.document.pk}, state=APPLICATION)],
    # ---- API: the supplier's listing pictures, imports and exports ----
    "api:my-listing-images": [get(SUPPLIER_OWNED, draft), post(SUPPLIER_OWNED, draft, state=IMAGES)],
    "api:my-listing-images-order": [
        Case("PUT", SUPPLIER_OWNED, draft, data=lambda w: {"images": [w.image.pk]}, state=IMAGES)
    ],
    "api:my-listing-image": [Case("DELETE", SUPPLIER_OWNED, draft_image, state=IMAGES)],
    "api:my-listing-image-cover": [post(SUPPLIER_OWNED, draft_image, state=IMAGES)],
    "api:my-listing-export": [get(SUPPLIERS)],
    "api:my-listing-import-template": [get(SUPPLIERS)],
    "api:my-listing-import-list": [get(SUPPLIERS), post(SUPPLIERS, state=IMPORTS)],
    "api:my-listing-import-detail": [get(SUPPLIER_OWNED, lambda w: {"pk": w.import_job.pk})],
    # ---- API: the buying company's team ----
    "api:buyer-team-member-list": [get(API_BUYERS)],
    "api:buyer-team-member-detail": [Case("DELETE", API_BUYER_OWNED, lambda w: {"pk": w.colleague.pk}, state=TEAM)],
    "api:buyer-team-invitation-list": [
        get(API_BUYERS),
        post(API_BUYERS, data=lambda w: {"email": "another@matrix.test"}, state=TEAM),
    ],
    "api:buyer-team-invitation-detail": [
        Case("DELETE", API_BUYER_OWNED, lambda w: {"pk": w.invitation.pk}, state=TEAM)
    ],
    # ---- API: the belt operator's work ----
    "api:operator-belt-list": [get(OPERATOR)],
    "api:operator-invitation-list": [get(OPERATOR, lambda w: {"slug": w.belt.slug})],
    "api:operator-invitation-import-list": [
        get(OPERATOR, lambda w: {"slug": w.belt.slug}),
        post(OPERATOR, lambda w: {"slug": w.belt.slug}, state=INVITATIONS),
    ],
    "api:operator-invitation-import-detail": [
        get(OPERATOR, lambda w: {"slug": w.belt.slug, "pk": w.invitation_import.pk})
    ],
    "api:operator-application-list": [get(OPERATOR, lambda w: {"slug": w.belt.slug})],
    "api:operator-application-detail": [get(OPERATOR, lambda w: {"pk": w.supplier.pk})],
    "api:operator-application-recommend": [
        post(
            OPERATOR,
            lambda w: {"pk": w.supplier.pk},
            data=lambda w: {"recommends": "reject", "reason": "x"},
            state=APPLICATION,
        )
    ],
    # ---- API: staff certification decisions ----
    "api:staff-application-list": [get(API_STAFF)],
    "api:staff-supplier-certify": [
        post(
            API_STAFF,
            lambda w: {"pk": w.supplier.pk},
            data=lambda w: {"level": "verified", "reason": "Checked"},
            state=APPLICATION,
        )
    ],
    "api:staff-supplier-reject": [
        post(API_STAFF, lambda w: {"pk": w.supplier.pk}, data=lambda w: {"reason": "Forged"}, state=APPLICATION)
    ],
    "api:staff-supplier-request-info": [
        post(API_STAFF, lambda w: {"pk": w.supplier.pk}, data=lambda w: {"message": "More"}, state=APPLICATION)
    ],
}


# ==== asking ======================================================================================


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    return tmp_path_factory.mktemp("access-matrix")


@pytest.fixture(autouse=True)
def _media_root(settings, media):
    """The world's files stay where the world put them, for every test of the module."""
    settings.MEDIA_ROOT = media / "media"
    settings.PRIVATE_MEDIA_ROOT = media / "private"


@dataclass
class Asked:
    world: World
    sessions: dict[str, str]  # role -> session key
    requests: int = 0
    checked: set[tuple[str, str]] = field(default_factory=set)  # (route, role)


@pytest.fixture(scope="module")
def asked(django_db_setup, django_db_blocker, media):
    """Build the world and sign each role in once; roll everything back after the module."""
    with (
        override_settings(MEDIA_ROOT=media / "media", PRIVATE_MEDIA_ROOT=media / "private"),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        world = build_world()
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMPORARY TABLE access_matrix_mark (id serial)")
        sessions = {}
        for role, user in world.users.items():
            client = Client()
            client.force_login(user)
            sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        yield Asked(world, sessions)
        transaction.set_rollback(True)


# Tables a request may write whatever it is refused: its session (messages, the compare list).
UNCHECKED_TABLES = {"django_session", "access_matrix_mark"}


def _row_writes() -> dict[str, tuple[int, int]]:
    """(rows inserted or updated, rows deleted) per table so far in this transaction. PostgreSQL counts
    the work of savepoints rolled back too, so an insert is confirmed by its row (`_rows_since`)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, n_tup_ins + n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables")
        return {table: (changed, deleted) for table, changed, deleted in cursor.fetchall()}


def _rows_since(table: str, mark: int) -> bool:
    """Whether `table` has a visible row written since `mark`: by the savepoint that took the mark or
    by one opened inside it (transaction ids only grow)."""
    with connection.cursor() as cursor:
        sql = f"SELECT EXISTS (SELECT 1 FROM {connection.ops.quote_name(table)} WHERE xmin::text::bigint >= %s)"  # noqa: S608 (a table name from the catalog)
        cursor.execute(sql, [mark])
        return bool(cursor.fetchone()[0])


@contextmanager
def writes_watched() -> Iterator[list[str]]:
    """Inside a savepoint: the tables the block left written (a row inserted, updated or deleted)."""
    written: list[str] = []
    with connection.cursor() as cursor:
        # Gives this savepoint its transaction id: every row the block writes has a later one.
        cursor.execute("INSERT INTO access_matrix_mark DEFAULT VALUES RETURNING xmin::text::bigint")
        [mark] = cursor.fetchone()
    before = _row_writes()
    yield written
    for table, counts in _row_writes().items():
        was = before.get(table, (0, 0))
        if table in UNCHECKED_TABLES or counts == was:
            continue
        if counts[1] != was[1] or _rows_since(table, mark):
            written.append(table)
    written.sort()


def _client(asked: Asked, role: str) -> Client:
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = asked.sessions[role]
    return client


def _send(client: Client, method: str, url: str, data: dict[str, Any], *, api: bool) -> Any:
    """GET; a form's POST to a page; JSON to the API (and for PUT, PATCH, DELETE)."""
    if method == "GET":
        return client.get(url)
    if api or method != "POST":
        return client.generic(method, url, json.dumps(data), content_type="application/json")
    return client.post(url, data)


LOGIN_PATHS = {"/accounts/login/", "/admin/login/"}


def outcome(response: Any, *, api: bool, anonymous: bool) -> str:
    status = response.status_code
    if status >= 500:
        return f"error {status}"
    if status == 405:
        return M
    if status == 404:
        return H
    if status == 401 or (status == 403 and api and anonymous):
        return L
    if status == 403:
        return F
    if 300 <= status < 400:
        if urlsplit(response["Location"]).path in LOGIN_PATHS:
            return L
        if any(m.level == message_levels.ERROR for m in get_messages(response.wsgi_request)):
            return R
        return A
    if status == 409:
        return R
    if status in (200, 201, 202, 204, 400, 410):
        return A
    return f"status {status}"


def ask(asked: Asked, name: str, case: Case, role: str, *, watch: bool = True) -> tuple[str, int, list[str], bool]:
    """One request, in a savepoint rolled back after it: (outcome, status, tables written, state kept);
    the object's state is read only when `watch`."""
    world = asked.world
    url = reverse(name, kwargs=case.kwargs(world))
    query = case.query(world)
    if query:
        url = f"{url}?{query}"
    api = name.startswith("api:")
    with transaction.atomic():
        state = case.state if watch else None
        state_before = state(world) if state else None
        if name == "readyz":  # the world's heartbeat may be older than the readiness check allows by now
            for queue in settings.CELERY_TASK_QUEUES:
                worker_heartbeat_record(worker="celery@access-matrix", queue=queue.name)
        with writes_watched() as written:
            response = _send(_client(asked, role), case.method, url, case.data(world), api=api)
        kept = state is None or state(world) == state_before
        transaction.set_rollback(True)
    if response.streaming:
        # Read to the end: the test client's wrapper then closes the file without closing the connection.
        b"".join(response.streaming_content)
    asked.requests += 1
    asked.checked.add((name, role))
    return outcome(response, api=api, anonymous=role == "anonymous"), response.status_code, written, kept


# ==== the tests ===================================================================================


def test_every_route_outside_the_admin_is_in_the_matrix_and_every_entry_is_a_route():
    routes = {route.key for route in url_patterns() if not is_admin(route)}
    missing = sorted(routes - set(MATRIX) - set(NOT_IN_MATRIX))
    gone = sorted((set(MATRIX) | set(NOT_IN_MATRIX)) - routes)
    assert missing == [], f"routes with no entry in MATRIX (say who may open them): {missing}"
    assert gone == [], f"MATRIX entries for routes that no longer exist: {gone}"


def test_every_entry_states_one_outcome_per_role():
    for name, cases in MATRIX.items():
        for case in cases:
            assert len(case.expect) == len(ROLES), name
            assert set(case.expect) <= {A, R, L, F, H, M}, name


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_the_outcome_the_route_intends_and_a_refused_request_changes_nothing(asked, name):
    wrong = []
    for case in MATRIX[name]:
        for role, expected in zip(ROLES, case.expect, strict=True):
            got, status, written, kept = ask(asked, name, case, role, watch=expected != A)
            where = f"{case.method} {name} as {role}"
            if got != expected:
                wrong.append(f"{where}: expected {expected}, got {got} ({status})")
            if expected != A and written:
                wrong.append(f"{where}: {got}, yet wrote to {written}")
            if expected != A and not kept:
                wrong.append(f"{where}: {got}, yet changed the object")
    assert wrong == [], "\n".join(wrong)


# Django's set_language answers a GET with a redirect and changes nothing: it is left out.
POST_ONLY = sorted(
    name
    for name, cases in MATRIX.items()
    if {case.method for case in cases} == {"POST"} and not name.startswith("api:") and name != "set_language"
)


@pytest.mark.parametrize("name", POST_ONLY)
def test_a_post_only_page_answers_405_to_a_get(asked, name):
    case = MATRIX[name][0]
    response = _client(asked, "buyer").get(reverse(name, kwargs=case.kwargs(asked.world)))
    assert response.status_code == 405


METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def declared_methods(route: Route) -> set[str] | None:
    """The methods a class-based view implements (DRF and Django's own), or None for a function view."""
    view_class = getattr(route.pattern.callback, "view_class", None)
    if view_class is None:
        return None
    # Django's form views answer PUT as they answer POST (ProcessFormView.put): the POST case covers it.
    return {
        method
        for method in METHODS
        if method.lower() in view_class.http_method_names
        and hasattr(view_class, method.lower())
        and not (method == "PUT" and getattr(view_class, "put", None) is ProcessFormView.put)
    }


def test_the_matrix_tries_every_method_each_class_based_view_implements():
    by_key = {route.key: route for route in url_patterns()}
    wrong = {}
    for name, cases in MATRIX.items():
        declared = declared_methods(by_key[name])
        tried = {case.method for case in cases}
        if declared is not None and declared != tried:
            wrong[name] = (sorted(declared), sorted(tried))
    assert wrong == {}, f"route: (methods the view implements, methods the matrix tries): {wrong}"


def _first_allowed(case: Case) -> str:
    return ROLES[case.expect.index(A)] if A in case.expect else "anonymous"


# Class-based views are held by the test above (Django's password reset link, for one, answers any
# method with its "invalid link" page, changing nothing).
FUNCTION_VIEWS = sorted(
    route.key for route in url_patterns() if route.key in MATRIX and declared_methods(route) is None
)


@pytest.mark.parametrize("name", FUNCTION_VIEWS)
def test_a_function_view_allows_no_method_beyond_those_in_the_matrix(asked, name):
    """A method the matrix does not list is refused, even to the person the route is for: one probe
    per page (POST to a page the matrix only reads, else DELETE)."""
    cases = MATRIX[name]
    tried = {case.method for case in cases}
    probe = Case("POST" if "POST" not in tried else "DELETE", cases[0].expect, cases[0].kwargs, cases[0].query)
    got, status, written, _kept = ask(asked, name, probe, _first_allowed(cases[0]))
    assert got != A or (name == "set_language" and status == 302), (probe.method, got, status)
    assert written == [] or name == "set_language", written


# ==== forged requests =============================================================================

# POSTs that read no session and write nothing, so carry no CSRF token.
CSRF_FREE = {"api:signed-certificate-verify": "checks a signed certificate file, signed in or not"}
UNSAFE = sorted(
    (name, index)
    for name, cases in MATRIX.items()
    for index, case in enumerate(cases)
    if case.method != "GET" and ({A, R} & set(case.expect[1:])) and name not in CSRF_FREE
)


@pytest.mark.parametrize(("name", "index"), UNSAFE, ids=[f"{name}-{index}" for name, index in UNSAFE])
def test_a_change_without_its_csrf_token_is_refused_to_a_signed_in_person(asked, name, index):
    """A page elsewhere cannot make a signed-in person's browser change something here: every unsafe
    request, sent by someone it is for but without the CSRF token, is refused (403) and writes nothing."""
    case = MATRIX[name][index]
    role = next(role for role, expected in zip(ROLES[1:], case.expect[1:], strict=True) if expected in (A, R))
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.cookies[settings.SESSION_COOKIE_NAME] = asked.sessions[role]
    url = reverse(name, kwargs=case.kwargs(asked.world))
    query = case.query(asked.world)
    with transaction.atomic():
        with writes_watched() as written:
            response = _send(
                client,
                case.method,
                f"{url}?{query}" if query else url,
                case.data(asked.world),
                api=name.startswith("api:"),
            )
        transaction.set_rollback(True)
    asked.requests += 1
    assert (response.status_code, written) == (403, []), (case.method, role)


# ==== ids in a request's body ======================================================================


def test_an_id_in_the_body_never_reaches_an_object_its_sender_may_not_use(asked):
    """The matrix asks for objects by their URL; these name them in the body instead: a draft
    listing (not for sale, not to be asked about), another buyer's quote, another supplier's site.
    Each is refused and writes nothing."""
    w = asked.world
    site = {"production_site": w.site.pk}
    step = {"shipping_address": "Keizersgracht 1", "ship_to_country": "NL", "incoterm": "FOB"}
    probes = [
        ("api:order-list", {}, "buyer", {**step, "lines": [{"listing": w.draft.pk, "quantity": 10}]}),
        ("orders:cart_add", {"pk": w.draft.pk}, "buyer", {"quantity": 10}),
        (
            "api:inquiry-list",
            {},
            "other_buyer",
            {"supplier": w.supplier.slug, "listing": w.draft.pk, "subject": "Prototype", "body": "Price?"},
        ),
        (
            "api:rfq-award",
            {"pk": w.other_rfq.pk},
            "other_buyer",
            {**step, "awards": [{"quote": w.quote.pk, "quantity": 10}]},
        ),
        ("api:my-listing-list", {}, "other_supplier", {**site, "title_en": "Borrowed site"}),
        ("api:my-listing-detail", {"pk": w.draft.pk}, "supplier", {"production_site": 10**9}),
        (
            "api:my-lot-list",
            {},
            "other_supplier",
            {
                "listings": [w.listing.pk],
                "code": "BORROWED",
                "site_name": "Plant",
                "site_address": "Road 1",
                "site_region": "CN-HB",
                "produced_on": "2026-09-01",
                "quantity": 10,
                "unit": w.listing.unit,
            },
        ),
    ]
    wrong = []
    for name, kwargs, role, data in probes:
        url = reverse(name, kwargs=kwargs)
        client = _client(asked, role)
        method = "PATCH" if name == "api:my-listing-detail" else "POST"
        with transaction.atomic():
            with writes_watched() as written:
                if name.startswith("api:"):
                    body = json.dumps(data)
                    response = client.generic(
                        method, url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="probe-1"
                    )
                else:
                    response = client.post(url, data)
            transaction.set_rollback(True)
        asked.requests += 1
        got = outcome(response, api=name.startswith("api:"), anonymous=False)
        if (response.status_code < 400 and got != R) or written:
            wrong.append(f"{name} as {role} with {data}: {response.status_code}, wrote to {written}")
    assert wrong == [], "\n".join(wrong)


# ==== the admin ===================================================================================

ADMIN_OUTSIDERS = ("anonymous", "buyer", "supplier", "operator")
ADMIN_ROUTES = [route for route in url_patterns() if is_admin(route)]
# The admin's own sign-in page answers everyone.
ADMIN_OPEN = {"admin:login"}
# Where the admin sends an outsider: its sign-in; from its logout, its index (which then does).
ADMIN_SENDS_TO = {"/admin/login/"}
ADMIN_LOGOUT_SENDS_TO = {"/admin/"}


def _admin_url(route: Route, world: World) -> str:
    if route.name is None:  # the catch-all
        return "/admin/no-such-page/"
    parts = route.route.split("/")
    try:
        model = apps.get_model(parts[1], parts[2]) if len(parts) > 3 else None
    except (LookupError, ValueError):
        model = None
    kwargs: dict[str, Any] = {}
    for group in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route.route):
        key = group[0] or group[1]
        if key == "object_id":
            first = model.objects.order_by("pk").first() if model is not None else None
            kwargs[key] = str(first.pk) if first is not None else "1"
        elif key == "id":
            kwargs[key] = str(world.users["buyer"].pk)
        elif key == "certification_id":
            kwargs[key] = world.certification.pk
        elif key == "supplier_id":
            kwargs[key] = world.supplier.pk
        elif key == "document_id":
            kwargs[key] = world.document.pk
        elif key in ("protection_id", "dispute_id", "evidence_id"):
            kwargs[key] = "1"  # none in the world: staff get 404, the others the sign-in
        elif key == "level":
            kwargs[key] = "verified"
        elif key == "content_type_id":
            kwargs[key] = str(ContentType.objects.get_for_model(Supplier).pk)
            kwargs["object_id"] = str(world.supplier.pk)
        elif key == "app_label":
            kwargs[key] = "suppliers"
    return reverse(route.name, kwargs=kwargs)


@pytest.mark.parametrize("route", ADMIN_ROUTES, ids=lambda route: route.name or route.route)
def test_the_admin_sends_everyone_but_staff_to_its_sign_in_and_never_fails_for_staff(asked, route):
    url = _admin_url(route, asked.world)
    for role in ADMIN_OUTSIDERS:
        response = _client(asked, role).get(url)
        asked.requests += 1
        asked.checked.add((route.key, role))
        if route.name not in ADMIN_OPEN:
            assert response.status_code != 200, (url, role)
        if 300 <= response.status_code < 400:
            allowed = ADMIN_LOGOUT_SENDS_TO if route.name == "admin:logout" else ADMIN_SENDS_TO
            assert urlsplit(response["Location"]).path in allowed, (url, role)
        assert response.status_code < 500, (url, role)
    with transaction.atomic():
        response = _client(asked, "staff").get(url)
        transaction.set_rollback(True)
    asked.requests += 1
    asked.checked.add((route.key, "staff"))
    assert response.status_code < 500, (url, response.status_code)
    if is_model_page(route):
        # Staff without the model's permissions: the admin's own pages and ours (documents, decisions,
        # re-runs) check them, so none of them opens.
        response = _client(asked, "clerk").get(url)
        asked.requests += 1
        if response.status_code == 405:  # a button (re-run the checks): its POST is refused too
            with transaction.atomic():
                with writes_watched() as written:
                    response = _client(asked, "clerk").post(url)
                transaction.set_rollback(True)
            asked.requests += 1
            assert written == [], (url, "clerk", written)
        assert response.status_code in (302, 403, 404), (url, "clerk", response.status_code)
        if response.status_code == 302:
            assert urlsplit(response["Location"]).path == "/admin/", (url, "clerk")


def is_model_page(route: Route) -> bool:
    """A page of one model's admin: admin/<app>/<model>/…"""
    parts = route.route.split("/")
    try:
        return len(parts) > 3 and apps.get_model(parts[1], parts[2]) is not None
    except (LookupError, ValueError):
        return False


def test_the_checks_see_a_write_and_a_changed_object(asked):
    """The write counter and the object's state do move when an allowed request changes something,
    so their silence in the matrix means something."""
    confirm = MATRIX["api:order-confirm"][0]
    got, _status, written, kept = ask(asked, "api:order-confirm", confirm, "supplier")
    assert got == A and "orders_order" in written and not kept
    save = MATRIX["buyers:supplier_save"][0]
    got, _status, written, kept = ask(asked, "buyers:supplier_save", save, "other_buyer")
    assert got == A and "buyers_savedsupplier" in written and not kept
    read = MATRIX["api:inquiry-read"][0]  # a conditional UPDATE, no lock and no savepoint of its own
    got, _status, written, kept = ask(asked, "api:inquiry-read", read, "supplier")
    assert got == A and written == ["buyers_inquiry"] and not kept


# ==== the figure ==================================================================================


def test_the_matrix_figure(asked, record_property):
    """Last in the module: how many routes × roles were checked, with how many requests."""
    routes = {route for route, _role in asked.checked}
    admin = {route for route in routes if route.startswith("admin:") or route.startswith("admin/")}
    figure = (
        f"access matrix: {len(routes) - len(admin)} routes × {len(ROLES)} roles and {len(admin)} admin routes × "
        f"{len(ADMIN_OUTSIDERS) + 1} roles = {len(asked.checked)} route-role pairs, {asked.requests} requests"
    )
    record_property("figure", figure)
    print(figure)
    assert asked.requests >= len(asked.checked)
