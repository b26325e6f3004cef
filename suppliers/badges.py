"""The badges a buyer sees, each decided by one function from the current facts.

- `supplier_badge(facts, today)` decides the supplier's public level and which of its production
  sites confer the **certified origin** mark on the listings made there.
- A listing carries the mark exactly when its production site confers it (the catalog copies the
  site's `confers_origin` onto the listing row in the same statement, by trigger).

The facts are the decisions and the evidence: the supplier's status (set by the certification
services), its current certification (level, status, validity and evidence), its documents'
validity dates, its production sites (verified or not, where) and its belt's region, its business
type. What the badges decide is stored where pages, search and API read it
(`Supplier.certification_level`, `Supplier.certified_until`, `ProductionSite.confers_origin`) and
written only by `badges_refresh`, which every service that changes a fact calls in its own
transaction. The nightly auditor (`badges_audit`) recomputes all of it from scratch and repairs
and records any difference.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from .levels import LEVEL_RANK, CertificationLevel

ORIGIN_RANK = LEVEL_RANK[CertificationLevel.CERTIFIED_ORIGIN]
VERIFIED = CertificationLevel.VERIFIED.value
NONE = CertificationLevel.NONE.value


@dataclass(frozen=True)
class DocumentFacts:
    id: int
    kind: str  # "licence" or "certificate"
    standard: str
    valid_from: datetime.date | None
    valid_until: datetime.date | None

    def is_current(self, today: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= today) and (
            self.valid_until is None or self.valid_until >= today
        )


@dataclass(frozen=True)
class SiteFacts:
    id: int
    province: str
    is_verified: bool


@dataclass(frozen=True)
class CertificationFacts:
    level: str
    status: str  # Certification.Status value
    valid_from: datetime.date
    valid_until: datetime.date
    manufacturing_evidenced: bool  # staff confirmed manufacturing against the licence's scope
    certificate_ids: frozenset[int] = frozenset()  # the certificate documents it rests on


@dataclass(frozen=True)
class BadgeFacts:
    """Everything a supplier's badges depend on, read in one go (`badge_facts`)."""

    supplier_id: int
    status: str  # Supplier.Status value
    business_type: str
    belt_province: str | None
    certification: CertificationFacts | None
    documents: tuple[DocumentFacts, ...] = ()
    sites: tuple[SiteFacts, ...] = ()


@dataclass(frozen=True)
class SupplierBadge:
    level: str
    valid_until: datetime.date | None  # the current certification's end, badge or not
    origin_site_ids: frozenset[int]
    # Why the level is below the certification's (codes, for admin and the audit trail).
    limits: tuple[str, ...] = field(default=())


def supplier_badge(facts: BadgeFacts, today: datetime.date) -> SupplierBadge:
    """The supplier's public level and the sites that confer the certified-origin mark, today.

    - No badge unless the supplier is certified and its current certification is active and
      within its dates, and unless a business licence is current (when any was handed in).
    - A certificate the certification rests on that has lapsed, with no current certificate of the
      same standard in its place, lowers the level to "verified".
    - A trading company is at most "verified".
    - The origin levels ("certified origin manufacturer", "audited factory") also need manufacturing
      evidenced by staff and at least one verified production site inside the belt's region;
      otherwise "verified".
    - Only sites verified inside the belt's region confer the mark, and only at an origin level.
    """
    cert = facts.certification
    if (
        facts.status != "certified"
        or cert is None
        or cert.status != "active"
        or LEVEL_RANK.get(cert.level, 0) == 0
        or not cert.valid_from <= today <= cert.valid_until
    ):
        return SupplierBadge(level=NONE, valid_until=cert.valid_until if cert else None, origin_site_ids=frozenset())
    licences = [d for d in facts.documents if d.kind == "licence"]
    if licences and not any(d.is_current(today) for d in licences):
        return SupplierBadge(level=NONE, valid_until=cert.valid_until, origin_site_ids=frozenset())
    level, limits = cert.level, []

    def lower_to_verified(reason: str) -> None:
        nonlocal level
        if LEVEL_RANK[level] > LEVEL_RANK[VERIFIED]:
            level = VERIFIED
            limits.append(reason)

    current_standards = {d.standard for d in facts.documents if d.kind == "certificate" and d.is_current(today)}
    for document in facts.documents:
        lapsed = document.id in cert.certificate_ids and not document.is_current(today)
        if lapsed and document.standard not in current_standards:
            lower_to_verified("certificate_lapsed")
    if facts.business_type != "manufacturer":
        lower_to_verified("trading_company")
    origin_sites = frozenset(
        s.id for s in facts.sites if s.is_verified and facts.belt_province and s.province == facts.belt_province
    )
    if LEVEL_RANK[level] >= ORIGIN_RANK and not cert.manufacturing_evidenced:
        lower_to_verified("manufacturing_not_evidenced")
    if LEVEL_RANK[level] >= ORIGIN_RANK and not origin_sites:
        lower_to_verified("no_site_in_region")
    return SupplierBadge(
        level=level,
        valid_until=cert.valid_until,
        origin_site_ids=origin_sites if LEVEL_RANK[level] >= ORIGIN_RANK else frozenset(),
        limits=tuple(limits),
    )


# --- reading the facts ---------------------------------------------------------------------------


def badge_facts(supplier_ids: Iterable[int]) -> dict[int, BadgeFacts]:
    """The facts of these suppliers, from the database as it is now: four queries in all."""
    from .models import Certification, EvidenceItem, ProductionSite, Supplier, SupplierDocument

    ids = sorted(set(supplier_ids))
    if not ids:
        return {}
    suppliers = (
        Supplier.objects.filter(pk__in=ids)
        .select_related("belt", "current_certification")
        .prefetch_related(
            Prefetch(
                "documents",
                queryset=SupplierDocument.objects.filter(
                    kind__in=[SupplierDocument.Kind.LICENCE, SupplierDocument.Kind.CERTIFICATE], file_check="clean"
                ).only("id", "supplier_id", "kind", "standard", "valid_from", "valid_until"),
            ),
            Prefetch("sites", queryset=ProductionSite.objects.only("id", "supplier_id", "province", "is_verified")),
        )
    )
    loaded = list(suppliers)
    evidence: dict[int, list[tuple[str, int | None]]] = {}
    current = [s.current_certification_id for s in loaded if s.current_certification_id]
    for certification_id, kind, document_id in EvidenceItem.objects.filter(certification_id__in=current).values_list(
        "certification_id", "kind", "document_id"
    ):
        evidence.setdefault(certification_id, []).append((kind, document_id))
    result = {}
    for supplier in loaded:
        cert: Certification | None = supplier.current_certification
        cert_facts = None
        if cert is not None:
            items = evidence.get(cert.pk, [])
            cert_facts = CertificationFacts(
                level=cert.level,
                status=cert.status,
                valid_from=cert.valid_from,
                valid_until=cert.valid_until,
                manufacturing_evidenced=any(kind == EvidenceItem.Kind.MANUFACTURING for kind, _d in items),
                certificate_ids=frozenset(d for kind, d in items if kind == EvidenceItem.Kind.DOCUMENT and d),
            )
        result[supplier.pk] = BadgeFacts(
            supplier_id=supplier.pk,
            status=supplier.status,
            business_type=supplier.business_type,
            belt_province=supplier.belt.province if supplier.belt else None,
            certification=cert_facts,
            documents=tuple(
                DocumentFacts(d.pk, d.kind, d.standard, d.valid_from, d.valid_until) for d in supplier.documents.all()
            ),
            sites=tuple(SiteFacts(s.pk, s.province, s.is_verified) for s in supplier.sites.all()),
        )
    return result


# --- keeping the stored badges true --------------------------------------------------------------


@dataclass
class Drift:
    """One stored badge that differed from what the facts decide."""

    subject: str
    field: str
    stored: str
    expected: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.field} was {self.stored or '-'}, the facts say {self.expected or '-'}"


def _store(facts: dict[int, BadgeFacts], today: datetime.date) -> tuple[list[int], list[Drift]]:
    """Write what the badges decide wherever it differs from what is stored; what differed."""
    from .models import ProductionSite, Supplier

    changed: list[int] = []
    drifts: list[Drift] = []
    stored = {
        s["pk"]: s for s in Supplier.objects.filter(pk__in=facts).values("pk", "certification_level", "certified_until")
    }
    sites = {s["pk"]: s for s in ProductionSite.objects.filter(supplier_id__in=facts).values("pk", "confers_origin")}
    for supplier_id, supplier_facts in facts.items():
        badge = supplier_badge(supplier_facts, today)
        row = stored[supplier_id]
        updates: dict[str, object] = {}
        if row["certification_level"] != badge.level:
            updates["certification_level"] = badge.level
        if row["certified_until"] != badge.valid_until:
            updates["certified_until"] = badge.valid_until
        for name, value in updates.items():
            was = row["certification_level"] if name == "certification_level" else row["certified_until"]
            drifts.append(Drift(f"supplier {supplier_id}", name, str(was or ""), str(value or "")))
        if updates:
            Supplier.objects.filter(pk=supplier_id).update(**updates)
        on = [s.id for s in supplier_facts.sites if s.id in badge.origin_site_ids and not sites[s.id]["confers_origin"]]
        off = [
            s.id for s in supplier_facts.sites if s.id not in badge.origin_site_ids and sites[s.id]["confers_origin"]
        ]
        for site_id in on + off:
            drifts.append(Drift(f"site {site_id}", "confers_origin", str(site_id in off), str(site_id in on)))
        if on:
            ProductionSite.objects.filter(pk__in=on).update(confers_origin=True)
        if off:
            ProductionSite.objects.filter(pk__in=off).update(confers_origin=False)
        if updates or on or off:
            changed.append(supplier_id)
    return changed, drifts


def badges_refresh(supplier_ids: Iterable[int], *, today: datetime.date | None = None) -> list[Drift]:
    """Recompute the stored badges of these suppliers from their facts, in the caller's transaction,
    and let the apps above recompute their copies (`certification_changed`). Returns what changed.

    Called by every service that changes a fact a badge depends on, and by the nightly auditor
    (for which anything returned is drift: a stored badge that was not true).
    """
    from .hooks import certification_changed
    from .models import Supplier

    ids = sorted(set(supplier_ids))
    if not ids:
        return []
    with transaction.atomic():
        # Rows locked in id order, so two refreshes of overlapping suppliers cannot deadlock.
        belts = set(
            Supplier.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("belt_id", flat=True)
        )
        _changed, drifts = _store(badge_facts(ids), today or timezone.localdate())
        certification_changed.run(supplier_ids=ids, belt_ids=sorted(b for b in belts if b is not None))
    return drifts
