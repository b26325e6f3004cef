"""Regional-brand licences: a belt operator (or staff) grants, renews and revokes a member's right to
carry the belt's regional brand or a geographical indication. Each change locks the rows it decides
on, checks who acts and the rules, and writes an immutable `BrandLicenceEvent`. The listings' mark
follows from these facts at read time (suppliers.brand); the pages of the belt are bumped in the
page cache by the licence tables' triggers when the change commits."""

import datetime
from collections.abc import Iterable, Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from belts.models import Category
from marketplace.exceptions import ConflictError, ForbiddenError, UnprocessableError
from marketplace.filecheck.services import file_check_later, file_receive, shown_name
from marketplace.uploads import CleanFile

from ..brand import HolderFacts, holder_is_certified
from ..models import BeltOperator, BrandLicence, BrandLicenceEvent, Supplier

MAX_YEARS = 10  # a licence runs at most this long from its grant or renewal


def _authorise(actor: User, belt_id: int | None) -> None:
    """Staff, or an operator of the belt: nobody else decides on its brand."""
    if actor.is_staff:
        return
    if belt_id is None or not BeltOperator.objects.filter(user=actor, belt_id=belt_id).exists():
        raise ForbiddenError(_("Only the belt's operators decide on the use of its regional brand."))


def _holder_certified(supplier: Supplier, today: datetime.date) -> bool:
    return holder_is_certified(
        HolderFacts(supplier.status, supplier.certification_level, supplier.certified_until, supplier.belt_id), today
    )


def _check_period(valid_from: datetime.date, valid_until: datetime.date, today: datetime.date) -> None:
    if valid_until < valid_from:
        raise UnprocessableError(_("A licence cannot end before it starts."))
    if valid_until < today:
        raise UnprocessableError(_("A licence must run until today or later."))
    if valid_until > valid_from.replace(year=valid_from.year + MAX_YEARS) - datetime.timedelta(days=1):
        raise UnprocessableError(_("A licence runs for at most ten years at a time."))


def brand_licence_scope_choices(*, belt_id: int) -> list[Category]:
    """The categories a licence of this belt may cover: the main categories of the belt's
    suppliers and their subcategories (every category while the belt has none yet)."""
    main = Category.objects.filter(pk__in=Supplier.objects.filter(belt_id=belt_id).values("main_categories"))
    ids = set(main.values_list("pk", flat=True))
    if not ids:
        return list(Category.objects.select_related("parent").order_by("parent_id", "position", "name_en"))
    ids |= set(Category.objects.filter(parent_id__in=ids).values_list("pk", flat=True))
    return list(Category.objects.filter(pk__in=ids).select_related("parent").order_by("position", "name_en"))


def _check_scope(belt_id: int, categories: Sequence[Category | int]) -> list[int]:
    ids = sorted({c if isinstance(c, int) else c.pk for c in categories})
    if not ids:
        raise UnprocessableError(_("Choose at least one category the licence covers."))
    allowed = {c.pk for c in brand_licence_scope_choices(belt_id=belt_id)}
    if not set(ids) <= allowed:
        raise UnprocessableError(_("A licence covers only categories of its belt."))
    return ids


def _event(licence: BrandLicence, kind: str, actor: User, reason: str = "") -> BrandLicenceEvent:
    return BrandLicenceEvent.objects.create(
        licence=licence,
        kind=kind,
        actor=actor,
        reason=reason,
        data={
            "valid_from": licence.valid_from.isoformat(),
            "valid_until": licence.valid_until.isoformat(),
            "categories": sorted(licence.categories.values_list("pk", flat=True)),
            "status": licence.status,
        },
    )


def _store_document(licence: BrandLicence, document: "UploadedFile[bytes]") -> None:
    """Keep the upload unchecked on the row (size and magic bytes checked here; ValidationError
    stores nothing); the worker checks its content (marketplace.filecheck) after commit."""
    file_receive(licence, document)
    licence.document_name = shown_name(getattr(document, "name", "") or "", fallback="licence")


@transaction.atomic
def brand_licence_grant(
    *,
    supplier: Supplier,
    actor: User,
    categories: Sequence[Category | int],
    valid_until: datetime.date,
    document: "UploadedFile[bytes]",
    valid_from: datetime.date | None = None,
    kind: str = BrandLicence.Kind.REGIONAL_BRAND,
    mark_en: str = "",
    mark_zh: str = "",
) -> BrandLicence:
    """Grant `supplier` (a certified member of the belt) the use of the belt's regional brand, or of
    a geographical indication named by `mark_en`/`mark_zh`, for `categories` over the period, with
    the licence document. One licence of a kind in force per supplier: a new period is a renewal."""
    supplier = Supplier.objects.select_for_update(of=("self",)).select_related("belt").get(pk=supplier.pk)
    _authorise(actor, supplier.belt_id)
    today = timezone.localdate()
    if supplier.belt is None or supplier.belt_id is None or not _holder_certified(supplier, today):
        raise ConflictError(_("Only a certified member of the belt can be licensed to use its brand."))
    if kind not in BrandLicence.Kind.values:
        raise UnprocessableError(_("Choose what the licence is for."))
    start = valid_from or today
    _check_period(start, valid_until, today)
    scope = _check_scope(supplier.belt_id, categories)
    if kind == BrandLicence.Kind.REGIONAL_BRAND:
        mark_en, mark_zh = mark_en or supplier.belt.brand_en, mark_zh or supplier.belt.brand_zh
    if not (mark_en.strip() or mark_zh.strip()):
        raise UnprocessableError(_("Name the geographical indication the licence is for."))
    if BrandLicence.objects.filter(supplier=supplier, kind=kind, status=BrandLicence.Status.ACTIVE).exists():
        raise ConflictError(_("This company already holds such a licence: renew it or revoke it first."))
    licence = BrandLicence(
        supplier=supplier,
        belt_id=supplier.belt_id,
        kind=kind,
        mark_en=mark_en.strip()[:120],
        mark_zh=mark_zh.strip()[:120],
        valid_from=start,
        valid_until=valid_until,
        granted_by=actor,
    )
    _store_document(licence, document)
    licence.save()
    licence.categories.set(scope)
    _event(licence, BrandLicenceEvent.Kind.GRANTED, actor)
    file_check_later(licence)
    return licence


def _lock(licence: BrandLicence, actor: User) -> BrandLicence:
    locked = BrandLicence.objects.select_for_update().get(pk=licence.pk)
    _authorise(actor, locked.belt_id)
    return locked


@transaction.atomic
def brand_licence_renew(
    *,
    licence: BrandLicence,
    actor: User,
    valid_until: datetime.date,
    categories: Iterable[Category | int] | None = None,
    document: "UploadedFile[bytes] | None" = None,
) -> BrandLicence:
    """A new end date for a licence not revoked (an expired one starts again today, so the public
    check never shows a period it did not cover), optionally a new scope and a new document. The
    holder must be certified today, as at the grant."""
    licence = _lock(licence, actor)
    if licence.status == BrandLicence.Status.REVOKED:
        raise ConflictError(_("A revoked licence cannot be renewed: grant a new one."))
    supplier = Supplier.objects.select_for_update().get(pk=licence.supplier_id)
    today = timezone.localdate()
    if supplier.belt_id != licence.belt_id or not _holder_certified(supplier, today):
        raise ConflictError(_("Only a certified member of the belt can be licensed to use its brand."))
    if valid_until <= licence.valid_until:
        raise UnprocessableError(_("A renewal ends later than the licence does now."))
    start = today if licence.valid_until < today else licence.valid_from
    _check_period(today if start < today else start, valid_until, today)
    licence.valid_from, licence.valid_until = start, valid_until
    fields = ["valid_from", "valid_until"]
    if document is not None:
        _store_document(licence, document)
        fields += [
            "file_quarantine", "file_check", "file_received_at", "file_checked_at", "file_check_attempts",
            "file_refusal", "file_refusal_params", "document_name",
        ]  # fmt: skip
    licence.save(update_fields=fields)
    if categories is not None:
        licence.categories.set(_check_scope(licence.belt_id, list(categories)))
    _event(licence, BrandLicenceEvent.Kind.RENEWED, actor)
    if document is not None:
        file_check_later(licence)
    return licence


@transaction.atomic
def brand_licence_revoke(*, licence: BrandLicence, actor: User, reason: str) -> BrandLicence:
    """Withdraw the licence now, with the reason on record; its listings lose the mark on the next
    request. Revoking a revoked licence changes nothing."""
    licence = _lock(licence, actor)
    if licence.status == BrandLicence.Status.REVOKED:
        return licence
    reason = (reason or "").strip()
    if not reason:
        raise UnprocessableError(_("Say why the licence is revoked."))
    licence.status, licence.revoked_at, licence.revoke_reason = BrandLicence.Status.REVOKED, timezone.now(), reason
    licence.save(update_fields=["status", "revoked_at", "revoke_reason"])
    _event(licence, BrandLicenceEvent.Kind.REVOKED, actor, reason)
    return licence


def brand_licence_document_checked(licence: BrandLicence, clean: CleanFile | None, content_type: str) -> None:
    """The outcome of a licence document's check (marketplace.filecheck `on_checked`): nothing
    follows it; the operator's page shows the document once it is clean, or why it was refused."""
