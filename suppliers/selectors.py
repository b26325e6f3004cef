"""Reads of suppliers, scoped by who asks."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextChoices,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from belts.models import Belt, Category
from marketplace.pagecache.pages import BeltOf

from .brand import HolderFacts, holder_is_certified
from .codes import verification_code_read
from .hooks import belt_listing_count
from .models import (
    AuditPointResult,
    BeltOperator,
    BrandLicence,
    BrandLicenceEvent,
    Certification,
    CertificationLevel,
    EvidenceItem,
    Invitation,
    InvitationImport,
    ProductionSite,
    Supplier,
    SupplierDocument,
    SupplierEvent,
    VerificationCheck,
    VerificationRun,
)
from .models.licences import licence_number_read


def supplier_get_public(*, slug: str) -> Supplier:
    """A certified supplier's public profile, or 404 (applicants are not public)."""
    supplier = Supplier.objects.certified().select_related("belt").filter(slug=slug).first()
    if supplier is None:
        raise Http404("No such supplier")
    return supplier


def supplier_for_member(*, user: User | AnonymousUser) -> Supplier | None:
    """The supplier `user` acts for (any status), with its belt and current certification, or None
    (buyers, operators, anonymous). One query. The only "which supplier is this?" lookup: pages,
    APIs, services and the `supplier_required` decorator all ask here."""
    if not user.is_authenticated:
        return None
    return Supplier.objects.select_related("belt", "current_certification").filter(members__user=user).first()


def supplier_for_member_or_404(*, user: User | AnonymousUser) -> Supplier:
    supplier = supplier_for_member(user=user)
    if supplier is None:
        raise Http404("You do not act for a supplier")
    return supplier


def belt_list_for_operator(*, user: User) -> QuerySet[Belt]:
    """The belts `user` operates."""
    return Belt.objects.filter(operators__user=user).order_by("position", "name_en")


def belt_onboarding_funnel(*, belt: Belt) -> dict[str, int]:
    """How many of the belt's suppliers stand at each stage of onboarding (one query)."""
    stages = {status: Count("pk", filter=Q(status=status)) for status in Supplier.Status.values}
    return Supplier.objects.filter(belt=belt).aggregate(**stages)


def supplier_list_for_operator(*, belt: Belt) -> QuerySet[Supplier]:
    return Supplier.objects.filter(belt=belt).order_by("status", "name_en")


# --- public trust pages and the certification API ------------------------------------------------


def _sites_with_region_mark() -> QuerySet[ProductionSite]:
    # "Verified site in the belt's region": a site that confers the certified-origin mark today
    # (suppliers.badges: verified, inside the belt's province, of a supplier at an origin level).
    return ProductionSite.objects.annotate(
        in_belt_region=ExpressionWrapper(Q(confers_origin=True), output_field=BooleanField())
    ).order_by("id")


def supplier_page_scopes(*, slug: str) -> BeltOf:
    """The scopes of supplier `slug`'s profile and API answers (marketplace.pagecache): its belt's."""
    return BeltOf(
        "SELECT b.slug FROM suppliers_supplier s JOIN belts_belt b ON b.id = s.belt_id WHERE s.slug = %s", (slug,)
    )


def supplier_get_public_profile(*, slug: str) -> Supplier:
    """A certified supplier with its trust section loaded, or 404 (applicants are not public).

    Sites carry `in_belt_region`; the current certification comes with its evidence pieces
    (checklist points are left to `audit_results`, which carry the outcomes) and its checklist.
    Four queries however many sites and pieces; documents are never loaded, they are not public.
    """
    supplier = (
        Supplier.objects.certified()
        .filter(slug=slug)
        .select_related("belt", "current_certification", "current_certification__checklist", "figures")
        .prefetch_related(
            Prefetch("sites", queryset=_sites_with_region_mark()),
            Prefetch(
                "current_certification__evidence",
                queryset=EvidenceItem.objects.exclude(kind=EvidenceItem.Kind.CHECKLIST_POINT).order_by("id"),
            ),
            Prefetch("current_certification__audit_results", queryset=AuditPointResult.objects.order_by("id")),
        )
        .first()
    )
    if supplier is None:
        raise Http404("No such supplier")
    return supplier


# The events that end a certificate in each of its final states, for "since when".
CERTIFICATE_ENDED_BY: dict[str, tuple[str, ...]] = {
    Certification.Status.SUPERSEDED: (
        SupplierEvent.Kind.CERTIFIED,
        SupplierEvent.Kind.LEVEL_CHANGED,
        SupplierEvent.Kind.RENEWED,
    ),
    Certification.Status.DOWNGRADED: (SupplierEvent.Kind.DOWNGRADED, SupplierEvent.Kind.SUSPENDED),
    Certification.Status.REVOKED: (SupplierEvent.Kind.REJECTED,),
}


@dataclass(frozen=True)
class CertificateStanding:
    """What the public verification page says about one genuine certificate."""

    CURRENT = "current"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    SUPERSEDED = Certification.Status.SUPERSEDED.value
    DOWNGRADED = Certification.Status.DOWNGRADED.value
    REVOKED = Certification.Status.REVOKED.value

    certification: Certification
    state: str
    since: datetime.date | None  # the day this state began, when known
    to_level: str  # the level it was replaced by or lowered to, when known
    company_current: Certification | None  # the company's certificate in force today, if another one

    @property
    def is_current(self) -> bool:
        return self.state == self.CURRENT

    @property
    def tone(self) -> str:
        """green when current; amber when the company still holds a current one; red otherwise."""
        if self.is_current:
            return "success"
        if self.state == self.REVOKED or self.company_current is None:
            return "danger"
        return "warning"

    @property
    def profile_is_public(self) -> bool:
        return self.certification.supplier.is_publicly_certified()

    @property
    def level_label(self) -> str:
        """The level this certificate stands for: while current, the badge the facts support today
        (suppliers.badges), which may be below the level decided; once ended, the level decided."""
        supplier = self.certification.supplier
        if self.is_current and supplier.current_certification_id == self.certification.pk:
            return str(supplier.level_label)
        return self.certification.level_label()

    @property
    def to_level_label(self) -> str:
        return str(CertificationLevel(self.to_level).label) if self.to_level in CertificationLevel.values else ""


def certificate_standing_by_code(*, code: str) -> CertificateStanding | None:
    """Whether the certificate with this code is genuine and current; None for no such code.

    A code is read as people type it (suppliers.codes: any case, dashes or spaces, I/L for 1, O
    for 0). A certificate issued before those codes matches its old code in any case too (its
    dashes and underscores are part of it); should two old codes differ only by case, only the
    exact one matches. Always a whole code (no prefix search), so the page cannot be used to list
    certificates. Two queries at most: the certificate with its company, belt and the company's
    current certificate, and, for one that has ended, the decision that ended it.
    """
    max_length = Certification._meta.get_field("code").max_length
    if not code or (max_length is not None and len(code) > max_length + 8):
        return None
    candidates = {c for c in (verification_code_read(code), code) if c and len(c) <= (max_length or 32)}
    if not candidates:
        return None
    found = list(
        Certification.objects.select_related("supplier", "supplier__belt", "supplier__current_certification")
        .filter(Q(code__in=candidates) | Q(code__iexact=code))
        .order_by("pk")[:3]
    )
    exact = [c for c in found if c.code in candidates]
    certification = exact[0] if exact else (found[0] if len(found) == 1 else None)
    if certification is None:
        return None
    supplier = certification.supplier
    today = timezone.localdate()
    since: datetime.date | None = None
    to_level = ""
    if certification.status == Certification.Status.ACTIVE:
        if supplier.status != Supplier.Status.CERTIFIED:
            state = CertificateStanding.REVOKED  # the company lost its badge by another road
        elif certification.valid_from > today:
            state, since = CertificateStanding.NOT_YET_VALID, certification.valid_from
        elif certification.valid_until < today:
            state, since = CertificateStanding.EXPIRED, certification.valid_until + datetime.timedelta(days=1)
        else:
            state = CertificateStanding.CURRENT
    else:
        state = certification.status
        ended_by = (
            SupplierEvent.objects.filter(
                supplier_id=supplier.pk,
                kind__in=CERTIFICATE_ENDED_BY.get(certification.status, ()),
                created_at__gte=certification.decided_at,
            )
            .exclude(data__contains={"certification": certification.pk})  # the event that created this one
            .order_by("created_at", "id")
            .first()
        )
        if ended_by is not None:
            since, to_level = timezone.localdate(ended_by.created_at), ended_by.to_level
    current = supplier.current_certification
    if not (current and current.pk != certification.pk and current.is_current() and supplier.is_publicly_certified()):
        current = None
    return CertificateStanding(
        certification=certification, state=state, since=since, to_level=to_level, company_current=current
    )


def verification_run_latest(*, supplier: Supplier) -> VerificationRun | None:
    """The supplier's most recent verification run, with its checks in the order they ran."""
    return (
        VerificationRun.objects.filter(supplier=supplier)
        .order_by("-created_at", "-id")
        .prefetch_related(Prefetch("checks", queryset=VerificationCheck.objects.order_by("id")))
        .first()
    )


# --- belt operators: the onboarding funnel, the lists behind it, and the applications of their belts


class OnboardingStage(TextChoices):
    """Where a company stands in its belt's onboarding, in funnel order."""

    INVITED = "invited", _("Invited")
    APPLIED = "applied", _("Applying")
    VERIFYING = "verifying", _("Under verification")
    CERTIFIED = "certified", _("Certified")
    EXPIRED = "expired", _("Certification expired")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")


# The supplier statuses behind each stage after "invited"; every status is in exactly one stage,
# so the stages add up to all the belt's companies.
STAGE_STATUSES: dict[str, tuple[str, ...]] = {
    OnboardingStage.APPLIED: (Supplier.Status.DRAFT,),
    OnboardingStage.VERIFYING: (Supplier.Status.UNDER_VERIFICATION, Supplier.Status.INFO_REQUESTED),
    OnboardingStage.CERTIFIED: (Supplier.Status.CERTIFIED,),
    OnboardingStage.EXPIRED: (Supplier.Status.EXPIRED,),
    OnboardingStage.REJECTED: (Supplier.Status.REJECTED,),
    OnboardingStage.SUSPENDED: (Supplier.Status.SUSPENDED,),
}


def belt_funnel_list_for_operator(*, user: User) -> QuerySet[Belt]:
    """The belts `user` operates, each annotated `n_<stage>` with its onboarding funnel: one query.

    `n_invited` counts the belt's invitations not yet turned into an application (a subquery, so
    invitations and suppliers are never joined row by row); the other stages count the belt's
    suppliers by status with conditional Counts.
    """
    pending = (
        Invitation.objects.filter(belt=OuterRef("pk"), supplier__isnull=True)
        .order_by()
        .values("belt")
        .annotate(n=Count("pk"))
        .values("n")
    )
    stages = {
        f"n_{stage}": Count("suppliers", filter=Q(suppliers__status__in=statuses))
        for stage, statuses in STAGE_STATUSES.items()
    }
    return (
        Belt.objects.filter(pk__in=BeltOperator.objects.filter(user=user).values("belt"))
        .annotate(n_invited=Coalesce(Subquery(pending), 0), **stages)
        .order_by("position", "name_en")
    )


def belt_get_for_operator(*, user: User, slug: str) -> Belt:
    """A belt `user` operates, or 404: another belt's funnel and invitations are not theirs to see."""
    belt = Belt.objects.filter(slug=slug, operators__user=user).first()
    if belt is None:
        raise Http404("No such belt")
    return belt


def invitation_import_list_for_operator(*, belt: Belt, user: User, limit: int = 10) -> list[InvitationImport]:
    """`user`'s latest invitation imports of `belt`, newest first, without their row reports."""
    return list(InvitationImport.objects.filter(belt=belt, created_by=user).defer("problems")[:limit])


def invitation_import_get_for_operator(*, belt: Belt, pk: int) -> InvitationImport:
    """One import of `belt` (whose operator the caller checked); another belt's import answers 404."""
    job = InvitationImport.objects.filter(belt=belt, pk=pk).first()
    if job is None:
        raise Http404("No such import")
    return job


def invitation_list_pending(*, belt: Belt) -> QuerySet[Invitation]:
    """The belt's invitations not yet turned into an application, newest first."""
    return Invitation.objects.filter(belt=belt, supplier__isnull=True).select_related("invited_by")


def application_list_awaiting_decision() -> QuerySet[Supplier]:
    """Submitted applications waiting for the platform's certification staff (under verification, or
    sent back for more information), with their belts: what staff decide on. One query."""
    statuses = (Supplier.Status.UNDER_VERIFICATION, Supplier.Status.INFO_REQUESTED)
    return Supplier.objects.filter(status__in=statuses).select_related("belt")


def supplier_get_for_staff(*, pk: int) -> Supplier:
    """Any supplier, with its belt, for the platform's certification staff (who see them all), or 404."""
    supplier = Supplier.objects.filter(pk=pk).select_related("belt").first()
    if supplier is None:
        raise Http404("No such supplier")
    return supplier


def application_list_for_operator(*, belt: Belt, stage: str = "") -> QuerySet[Supplier]:
    """The belt's companies that applied, all of them or those at one stage of the funnel."""
    qs = Supplier.objects.filter(belt=belt).order_by("name_en", "id")
    return qs.filter(status__in=STAGE_STATUSES[stage]) if stage in STAGE_STATUSES else qs


def application_get_for_operator(*, user: User, pk: int) -> Supplier:
    """An application of a belt `user` operates, with everything its review page shows, or 404.

    Fixed query count: documents, sites, categories and the audit trail (with its actors) are
    prefetched; the latest verification run comes from `verification_run_latest`.
    """
    supplier = (
        Supplier.objects.filter(pk=pk, belt__in=BeltOperator.objects.filter(user=user).values("belt"))
        .select_related("belt", "invitation")
        .prefetch_related(
            "main_categories",
            "sites",
            "documents",
            Prefetch("events", queryset=SupplierEvent.objects.select_related("actor")),
        )
        .first()
    )
    if supplier is None:
        raise Http404("No such application")
    return supplier


# --- the supplier's own application: wizard and dashboard (scoped by membership, never by an id in a URL)


_STEP_FIELDS = (
    "name_en", "name_zh", "uscc", "legal_representative", "registered_address", "province", "belt_id",
    "contact_name", "contact_email",
)  # fmt: skip


def application_steps_done(*, supplier: Supplier) -> dict[str, bool]:
    """Which wizard steps hold what submission needs (one query: the supplier row plus two EXISTS).

    Mirrors `services.application_missing`, step by step, for the progress indicator.
    """
    row = (
        Supplier.objects.filter(pk=supplier.pk)
        .annotate(
            has_licence=Exists(
                SupplierDocument.objects.filter(
                    supplier=OuterRef("pk"), kind=SupplierDocument.Kind.LICENCE, file_check="clean"
                )
            ),
            has_site=Exists(ProductionSite.objects.filter(supplier=OuterRef("pk"))),
        )
        .values(*_STEP_FIELDS, "has_licence", "has_site", "status")
        .get()
    )
    return {
        "company": all(row[f] for f in ("name_en", "name_zh", "uscc", "legal_representative")),
        "location": bool(row["registered_address"] and row["province"] and row["has_site"]),
        "belt": row["belt_id"] is not None,
        "documents": row["has_licence"],
        "contact": bool(row["contact_name"] and row["contact_email"]),
        "review": row["status"] != Supplier.Status.DRAFT,
    }


def supplier_uscc_taken(*, uscc: str, supplier: Supplier) -> bool:
    """Whether another supplier already holds this (compact) USCC."""
    return Supplier.objects.exclude(pk=supplier.pk).filter(uscc__iexact=uscc).exists()


# What an applicant hands in (and may remove while editable); staff-made documents are not among them.
_APPLICANT_DOCUMENT_KINDS = (
    SupplierDocument.Kind.LICENCE,
    SupplierDocument.Kind.CERTIFICATE,
    SupplierDocument.Kind.FACTORY_PHOTO,
)


def supplier_document_list_for_application(*, supplier: Supplier) -> QuerySet[SupplierDocument]:
    """The documents the applicant handed in: licence, then certificates, then photos."""
    rank = Case(
        *[When(kind=kind, then=Value(i)) for i, kind in enumerate(_APPLICANT_DOCUMENT_KINDS)],
        output_field=IntegerField(),
    )
    return (
        SupplierDocument.objects.filter(supplier=supplier, kind__in=_APPLICANT_DOCUMENT_KINDS)
        .annotate(kind_rank=rank)
        .order_by("kind_rank", "uploaded_at", "id")
    )


def supplier_document_get_for_application(*, supplier: Supplier, pk: int) -> SupplierDocument:
    """One of the supplier's own documents, or 404 (another supplier's id looks like no id at all)."""
    document = supplier_document_list_for_application(supplier=supplier).filter(pk=pk).first()
    if document is None:
        raise Http404("No such document")
    return document


def production_site_list_for_application(*, supplier: Supplier) -> QuerySet[ProductionSite]:
    return ProductionSite.objects.filter(supplier=supplier)


def production_site_get_for_application(*, supplier: Supplier, pk: int) -> ProductionSite:
    """One of the supplier's own production sites, or 404."""
    site = production_site_list_for_application(supplier=supplier).filter(pk=pk).first()
    if site is None:
        raise Http404("No such production site")
    return site


def belt_list_suggested(*, province: str, categories: list[int]) -> QuerySet[Belt]:
    """Active belts, the ones that suit the applicant first (one query).

    `in_province`: the belt lies in the applicant's province; `category_listing_count`: public
    listings of the belt in the chosen categories (or their subcategories), counted by the catalog
    (suppliers.hooks.belt_listing_count). `is_suggested` is either.
    """
    in_province = (
        Case(When(province=province, then=True), default=False, output_field=BooleanField())
        if province
        else Value(False, output_field=BooleanField())
    )
    listing_count = belt_listing_count(categories=categories) if categories else Value(0, output_field=IntegerField())
    return (
        Belt.objects.active()
        .annotate(in_province=in_province, category_listing_count=listing_count)
        .annotate(
            is_suggested=Case(
                When(Q(in_province=True) | Q(category_listing_count__gt=0), then=True),
                default=False,
                output_field=BooleanField(),
            )
        )
        .order_by("-in_province", "-category_listing_count", "position", "name_en")
    )


def supplier_event_latest(*, supplier: Supplier, kind: str) -> SupplierEvent | None:
    """The supplier's latest audit event of one kind (the admin's request or reason), or None."""
    return SupplierEvent.objects.filter(supplier=supplier, kind=kind).order_by("-created_at", "-id").first()


def invitation_get_by_token(*, token: str) -> Invitation:
    """The invitation behind an invitation link, with its belt, or 404."""
    invitation = Invitation.objects.select_related("belt").filter(token=token).first()
    if invitation is None:
        raise Http404("No such invitation")
    return invitation


# --- regional-brand licences: the belt operator's pages, the public check, the supplier's profile


def brand_licence_list_for_operator(*, belt: Belt) -> QuerySet[BrandLicence]:
    """The licences of a belt (whose operator the caller checked), newest first, with their holder
    and scope: two queries however many."""
    return (
        BrandLicence.objects.filter(belt=belt)
        .select_related("supplier")
        .prefetch_related(Prefetch("categories", queryset=Category.objects.order_by("position", "name_en")))
        .order_by("status", "-granted_at", "-id")
    )


def brand_licence_get_for_operator(*, user: User, pk: int) -> BrandLicence:
    """A licence of a belt `user` operates, with its holder, scope and history, or 404 (another
    belt's licence looks like no licence at all)."""
    licence = (
        BrandLicence.objects.filter(pk=pk, belt__in=BeltOperator.objects.filter(user=user).values("belt"))
        .select_related("supplier", "belt", "granted_by")
        .prefetch_related(
            Prefetch("categories", queryset=Category.objects.order_by("position", "name_en")),
            Prefetch("events", queryset=BrandLicenceEvent.objects.select_related("actor").order_by("created_at", "id")),
        )
        .first()
    )
    if licence is None:
        raise Http404("No such licence")
    return licence


def brand_licence_members_for_operator(*, belt: Belt) -> QuerySet[Supplier]:
    """The belt's members that may be licensed today: its publicly certified suppliers."""
    return Supplier.objects.certified().filter(belt=belt).order_by("name_en", "id")


def brand_licence_get_by_number(*, number: str) -> BrandLicence | None:
    """The licence with exactly this number (read as people type it: suppliers.models.licences),
    with its holder, belt and scope, for the public check; None for no such licence. Always a whole
    number (no prefix search), so the check cannot be used to list licences. Two queries."""
    canonical = licence_number_read(number)
    if canonical is None:
        return None
    return (
        BrandLicence.objects.filter(number=canonical)
        .select_related("supplier", "belt")
        .prefetch_related(Prefetch("categories", queryset=Category.objects.order_by("position", "name_en")))
        .first()
    )


def brand_licence_list_current_for_supplier(*, supplier: Supplier) -> list[BrandLicence]:
    """The licences the supplier's listings may carry today (granted in its belt, in their dates),
    with their scope; empty unless the supplier is certified today (suppliers.brand). Two queries."""
    today = timezone.localdate()
    holder = HolderFacts(supplier.status, supplier.certification_level, supplier.certified_until, supplier.belt_id)
    if supplier.belt_id is None or not holder_is_certified(holder, today):
        return []
    return list(
        BrandLicence.objects.filter(
            supplier=supplier,
            belt_id=supplier.belt_id,
            status=BrandLicence.Status.ACTIVE,
            valid_from__lte=today,
            valid_until__gte=today,
        )
        .prefetch_related(Prefetch("categories", queryset=Category.objects.order_by("position", "name_en")))
        .order_by("-valid_until", "number")
    )


def brand_licence_list_for_holder(*, supplier: Supplier) -> QuerySet[BrandLicence]:
    """The supplier's own licences, any status, newest first, with their belt and scope (two queries)."""
    return (
        BrandLicence.objects.filter(supplier=supplier)
        .select_related("belt")
        .prefetch_related(Prefetch("categories", queryset=Category.objects.order_by("position", "name_en")))
        .order_by("-granted_at", "-id")
    )
