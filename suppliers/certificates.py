"""Signed certificates of the platform: what a certificate says, the published keys, the revocation
list, and the QR code that leads to a certificate's page.

The cryptography is `suppliers.signing` (pure, no database); this module feeds it from the
settings and the database. Pages, the API, the purchase order PDF and the verifier command read
certificates through here.
"""

import datetime
from typing import Any

import segno
from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from .models import Certification, EvidenceItem, ProductionSite, Supplier, SupplierEvent
from .selectors import CERTIFICATE_ENDED_BY
from .signing import (
    CERTIFICATE_FORMAT,
    REVOCATIONS_FORMAT,
    KeyRing,
    sign_document,
)

ISSUER = "Belt Marketplace"


def certificate_keyring() -> KeyRing:
    """The platform's keys from `CERTIFICATE_SIGNING_KEYS` (checked when the settings loaded)."""
    return KeyRing.from_config(settings.CERTIFICATE_SIGNING_KEYS)


def certificate_verify_url(certification: Certification) -> str:
    """The absolute address of the certificate's public page (what its QR code holds)."""
    return settings.SITE_URL + certification.get_absolute_url()


def certificate_current(supplier: Supplier) -> Certification | None:
    """The supplier's certificate in force today, if its badge is public; reads loaded fields only
    (load `current_certification` with the supplier)."""
    certification = supplier.current_certification
    if certification is None or not certification.is_current() or not supplier.is_publicly_certified():
        return None
    return certification


# --- the signed certificate -----------------------------------------------------------------------


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def certificate_payload(certification: Certification) -> dict[str, Any]:
    """What a signed certificate states: the company, level, validity, the sites of certified origin
    (those that confer the mark today, `suppliers.badges`) and the evidence behind it. Reads the
    certification with its supplier, belt, those sites and its evidence (prefetched by
    `certificate_get_for_signing`)."""
    supplier = certification.supplier
    return {
        "issuer": ISSUER,
        "code": certification.code,
        # The current certificate states the badge the facts support today (suppliers.badges),
        # never more than that; an ended one states the level it was decided at.
        "level": supplier.certification_level
        if supplier.current_certification_id == certification.pk
        else certification.level,
        "status": certification.status,
        "valid_from": _date(certification.valid_from),
        "valid_until": _date(certification.valid_until),
        "issued_at": certification.decided_at.astimezone(datetime.UTC).isoformat(timespec="seconds"),
        "supplier": {
            "slug": supplier.slug,
            "name_en": supplier.name_en,
            "name_zh": supplier.name_zh,
            "business_type": supplier.business_type,
            "belt": supplier.belt.slug if supplier.belt else None,
        },
        "sites": [{"name": site.name, "city": site.city, "province": site.province} for site in supplier.sites.all()],
        "evidence": [
            {
                "kind": piece.kind,
                "title_en": piece.title_en,
                "performed_at": _date(timezone.localdate(piece.performed_at)),
                "valid_until": _date(piece.valid_until),
            }
            for piece in certification.evidence.all()
        ],
        "verify_url": certificate_verify_url(certification),
    }


def certificate_get_for_signing(*, code: str) -> Certification | None:
    """The certificate with exactly this code, if it has not ended (superseded, downgraded or
    withdrawn certificates are not issued again), with what its payload reads: three queries."""
    return (
        Certification.objects.filter(code=code, status=Certification.Status.ACTIVE)
        .select_related("supplier", "supplier__belt")
        .prefetch_related(
            Prefetch("supplier__sites", queryset=ProductionSite.objects.filter(confers_origin=True).order_by("id")),
            Prefetch(
                "evidence",
                queryset=EvidenceItem.objects.exclude(kind=EvidenceItem.Kind.CHECKLIST_POINT).order_by("id"),
            ),
        )
        .first()
    )


def certificate_document(certification: Certification) -> dict[str, Any]:
    """The certification as a document signed with the platform's active key."""
    return sign_document(
        format=CERTIFICATE_FORMAT, payload=certificate_payload(certification), keys=certificate_keyring()
    )


# --- the revocation list --------------------------------------------------------------------------


def certificate_revocation_list() -> list[dict[str, Any]]:
    """Every certificate that has ended (superseded, downgraded, withdrawn), by code, with its
    status and the day it ended when known. Two queries: the ended certificates, and the decisions
    that may have ended them (the first one after each certificate was issued)."""
    ended = list(
        Certification.objects.exclude(status=Certification.Status.ACTIVE)
        .order_by("decided_at", "id")
        .values("pk", "code", "status", "supplier_id", "decided_at")
    )
    kinds = {kind for kinds in CERTIFICATE_ENDED_BY.values() for kind in kinds}
    events: dict[int, list[tuple[datetime.datetime, str, Any]]] = {}
    for row in (
        SupplierEvent.objects.filter(supplier_id__in={c["supplier_id"] for c in ended}, kind__in=kinds)
        .order_by("created_at", "id")
        .values_list("supplier_id", "created_at", "kind", "data")
    ):
        events.setdefault(row[0], []).append(row[1:])
    entries = []
    for cert in ended:
        since = next(
            (
                timezone.localdate(created_at)
                for created_at, kind, data in events.get(cert["supplier_id"], ())
                if created_at >= cert["decided_at"]
                and kind in CERTIFICATE_ENDED_BY.get(cert["status"], ())
                and not (isinstance(data, dict) and data.get("certification") == cert["pk"])  # the one that made it
            ),
            None,
        )
        entries.append({"code": cert["code"], "status": cert["status"], "since": _date(since)})
    return entries


def certificate_revocations_document() -> dict[str, Any]:
    """The revocation list, signed like the certificates, with the moment it was drawn up."""
    payload = {
        "issuer": ISSUER,
        "issued_at": timezone.now().astimezone(datetime.UTC).isoformat(timespec="seconds"),
        "revoked": certificate_revocation_list(),
    }
    return sign_document(format=REVOCATIONS_FORMAT, payload=payload, keys=certificate_keyring())


# --- QR codes -------------------------------------------------------------------------------------


def qr_svg_data_uri(url: str) -> str:
    """A QR code of `url` as an SVG data URI (an <img> source; the page's CSP allows data: images)."""
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=2, title=url)


def qr_matrix(url: str) -> list[list[bool]]:
    """A QR code of `url` as rows of dark (True) and light modules, quiet zone included, for
    drawing it with something other than segno (the purchase order PDF)."""
    qr = segno.make(url, error="m", micro=False)
    return [[bool(module) for module in row] for row in qr.matrix_iter(border=2)]
