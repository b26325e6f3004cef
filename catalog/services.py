"""Writes to the catalog. Every state change happens here, once."""

import logging
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Field, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from belts.hs import normalise_hs_code
from belts.regions import PROVINCES
from marketplace.i18n import validate_country_code

from .figures import belt_figures_refresh_later
from .models import Listing, ListingEvent, ListingImage, ListingVariant, PriceTier
from .pictures import listing_image_create
from .rules import Tier, validate_tiers
from .tradedata import DEFAULT_ORIGIN_COUNTRY, DEFAULT_PRICE_BASIS, MAX_EXPORT_MARKETS

logger = logging.getLogger(__name__)

# --- Suppliers managing their listings ----------------------------------------------------------
#
# One function per state change, each atomic, locking the listing row first where two people (two
# members of one supplier, a member and the API) can race, and writing a ListingEvent. They raise
# django ValidationError keyed by field ("tiers", "variants", "specifications" for the nested
# parts), so the form shows each message beside what it is about and the API answers 400 with the
# same keys. Who may call them (a member of the listing's supplier) is checked by the caller, through
# `catalog.selectors.manage`, which answers 404 for anyone else's listing.

DRAFT, PUBLISHED, ARCHIVED = Listing.Status.DRAFT, Listing.Status.PUBLISHED, Listing.Status.ARCHIVED

# What a supplier may write, and nothing else (no status, supplier, denormalised columns…).
# The denormalised columns (is_public, belt, province, level_rank, price_from, search_vector) are
# kept true by the database's triggers (migration 0005) on every write of a listing or its tiers.
WRITABLE_FIELDS = frozenset(
    {
        "category", "sku", "title_en", "title_zh", "description_en", "description_zh", "unit", "currency",
        "moq", "moq_mode", "order_multiple", "lead_time_days", "monthly_capacity", "sample_available",
        "sample_price", "sample_fee_credited", "oem", "odm", "customisation_en", "customisation_zh",
        "specifications", "production_site", "sold_by_lot",
        "hs_code", "origin_country", "origin_region", "export_markets", "price_incoterm", "price_incoterm_place",
    }
)  # fmt: skip
TITLE_FIELDS = ("title_en", "title_zh")
VARIANT_FIELDS = ("sku", "size", "colour", "model", "moq")
MAX_TIERS = 10
MAX_VARIANTS = 100
MAX_SPECIFICATIONS = 40
MAX_SPEC_NAME = 80
MAX_SPEC_VALUE = 200
MAX_IMAGES = 12
COPY_SUFFIX = "-copy"


def _lock(listing: Listing) -> Listing:
    """The listing row, locked until the transaction ends, with its supplier (not locked) joined."""
    return Listing.objects.select_for_update(of=("self",)).select_related("supplier").get(pk=listing.pk)


def _event(listing: Listing, actor: Any, kind: str, note: str = "") -> ListingEvent:
    return ListingEvent.objects.create(listing=listing, actor=actor, kind=kind, note=note[:300])


def _as_tiers(tiers: Iterable[Tier | Mapping[str, Any]]) -> list[Tier]:
    out = []
    for tier in tiers:
        if isinstance(tier, Tier):
            out.append(tier)
        else:
            out.append(Tier(min_quantity=int(tier["min_quantity"]), unit_price=Decimal(str(tier["unit_price"]))))
    return out


def _tiers_of(listing: Listing) -> list[Tier]:
    return [Tier(min_quantity=t.min_quantity, unit_price=t.unit_price) for t in listing.tiers.order_by("min_quantity")]


def _clean_specifications(rows: Any) -> tuple[list[dict[str, str]], list[str]]:
    """Specification rows as stored ({name_en, name_zh, value}, blank rows dropped) and what is wrong."""
    if rows in (None, ""):
        return [], []
    if not isinstance(rows, list | tuple):
        return [], [_("Specifications must be a list of rows.")]
    cleaned: list[dict[str, str]] = []
    errors: list[str] = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping):
            errors.append(_("Specification %(n)s: give a name and a value.") % {"n": number})
            continue
        values = {key: str(row.get(key) or "").strip() for key in ("name_en", "name_zh", "value")}
        if not any(values.values()):
            continue
        if not (values["name_en"] or values["name_zh"]):
            errors.append(_("Specification %(n)s: give its name in English or Chinese.") % {"n": number})
        if not values["value"]:
            errors.append(_("Specification %(n)s: give its value.") % {"n": number})
        if max(len(values["name_en"]), len(values["name_zh"])) > MAX_SPEC_NAME or len(values["value"]) > MAX_SPEC_VALUE:
            errors.append(
                _("Specification %(n)s: names are at most %(name)s characters and values at most %(value)s.")
                % {"n": number, "name": MAX_SPEC_NAME, "value": MAX_SPEC_VALUE}
            )
        cleaned.append(values)
    if len(cleaned) > MAX_SPECIFICATIONS:
        errors.append(_("At most %(max)s specification rows.") % {"max": MAX_SPECIFICATIONS})
    return cleaned, errors


def _clean_trade_fields(listing: Listing) -> dict[str, list[str]]:
    """Normalise the listing's cross-border fields in place (HS code to digits, country codes to
    upper case, export markets without repeats) and say what is wrong, keyed by field. A wrong
    value is replaced by an empty one, so the field's own rules do not say it twice."""
    errors: dict[str, list[str]] = {}
    try:
        listing.hs_code = normalise_hs_code(listing.hs_code)
    except ValidationError as exc:
        errors["hs_code"] = exc.messages
        listing.hs_code = ""
    listing.origin_country = str(listing.origin_country or "").strip().upper() or DEFAULT_ORIGIN_COUNTRY
    try:
        validate_country_code(listing.origin_country)
    except ValidationError as exc:
        errors["origin_country"] = exc.messages
        listing.origin_country = DEFAULT_ORIGIN_COUNTRY
    listing.origin_region = str(listing.origin_region or "").strip().upper()
    if listing.origin_region and listing.origin_region not in PROVINCES:
        errors["origin_region"] = [_("Choose a province from the list.")]
        listing.origin_region = ""
    elif listing.origin_region and listing.origin_country != DEFAULT_ORIGIN_COUNTRY:
        errors["origin_region"] = [
            _("A province of origin is for goods from China; leave it empty for another country.")
        ]
    markets: list[str] = []
    raw = listing.export_markets or []
    if not isinstance(raw, list | tuple):
        raw = []
        errors["export_markets"] = [_("Give the export markets as a list of country codes.")]
    for value in raw:
        code = str(value or "").strip().upper()
        if not code or code in markets:
            continue
        try:
            validate_country_code(code)
        except ValidationError:
            errors.setdefault("export_markets", []).append(
                _("“%(code)s” is not a country code (ISO 3166, two letters such as DE).") % {"code": str(value)[:20]}
            )
            continue
        markets.append(code)
    if len(markets) > MAX_EXPORT_MARKETS:
        errors.setdefault("export_markets", []).append(
            _("At most %(max)s export markets.") % {"max": MAX_EXPORT_MARKETS}
        )
        markets = markets[:MAX_EXPORT_MARKETS]
    listing.export_markets = markets
    listing.price_incoterm = listing.price_incoterm or DEFAULT_PRICE_BASIS
    listing.price_incoterm_place = str(listing.price_incoterm_place or "").strip()
    return errors


def _clean_variants(rows: Sequence[Mapping[str, Any]], *, listing: Listing) -> tuple[list[dict[str, Any]], list[str]]:
    """Variant rows (an `id` names an existing variant of this listing) and what is wrong with them."""
    existing_ids = set(listing.variants.values_list("pk", flat=True)) if listing.pk else set()
    cleaned: list[dict[str, Any]] = []
    errors: list[str] = []
    seen: set[tuple[str, str, str]] = set()
    for number, row in enumerate(rows, start=1):
        values: dict[str, Any] = {key: str(row.get(key) or "").strip() for key in ("sku", "size", "colour", "model")}
        values["moq"] = row.get("moq") or None
        values["id"] = row.get("id") or None
        if values["id"] is not None and values["id"] not in existing_ids:
            errors.append(_("Variant %(n)s is not a variant of this listing.") % {"n": number})
            continue
        label = (values["size"], values["colour"], values["model"])
        if not any(label):
            errors.append(_("Variant %(n)s: give its size, colour or model.") % {"n": number})
        elif label in seen:
            errors.append(_("Variant %(n)s: the same size, colour and model appear twice.") % {"n": number})
        seen.add(label)
        if values["moq"] is not None and (not isinstance(values["moq"], int) or values["moq"] < 1):
            errors.append(_("Variant %(n)s: its MOQ must be a whole number of at least 1.") % {"n": number})
        for key, limit in (("sku", 64), ("size", 40), ("colour", 40), ("model", 60)):
            if len(values[key]) > limit:
                errors.append(
                    _("Variant %(n)s: the %(field)s is at most %(max)s characters.")
                    % {"n": number, "field": _field(ListingVariant, key).verbose_name, "max": limit}
                )
        cleaned.append(values)
    if len(cleaned) > MAX_VARIANTS:
        errors.append(_("At most %(max)s variants.") % {"max": MAX_VARIANTS})
    return cleaned, errors


def _check(
    listing: Listing,
    *,
    supplier: Any,
    tiers: list[Tier],
    variant_count: int,
    spec_errors: list[str],
    variant_errors: list[str],
    trade_errors: Mapping[str, list[str]],
) -> None:
    """Every rule a saved listing keeps; one ValidationError with all messages, keyed by field."""
    errors: dict[str, list[str]] = {key: list(messages) for key, messages in trade_errors.items()}
    try:
        # Field rules (lengths, choices, validators); constraints are checked below with clearer words.
        listing.full_clean(exclude=["supplier", *TITLE_FIELDS], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    # One title is enough (the other language falls back to it), as in the CSV import.
    for name in TITLE_FIELDS:
        try:
            _field(Listing, name).run_validators(getattr(listing, name))
        except ValidationError as exc:
            errors.setdefault(name, []).extend(exc.messages)
    if not (listing.title_en.strip() or listing.title_zh.strip()):
        errors.setdefault("title_en", []).append(_("Give the title in English or in Chinese."))
    if (
        "production_site" not in errors
        and listing.production_site is not None
        and listing.production_site.supplier_id != supplier.pk
    ):
        errors.setdefault("production_site", []).append(_("Choose one of your own production sites."))
    if listing.sample_available and listing.sample_price is None:
        errors.setdefault("sample_price", []).append(_("Give the price of a sample, or say no sample is available."))
    if listing.sku and Listing.objects.filter(supplier=supplier, sku=listing.sku).exclude(pk=listing.pk).exists():
        errors.setdefault("sku", []).extend(_sku_taken(listing).messages)
    if isinstance(listing.moq, int) and listing.moq >= 1 and (tiers or listing.status == PUBLISHED):
        # Tiers are optional while a draft; a published listing must keep at least one.
        tier_errors = validate_tiers(tiers, moq=listing.moq)
        if len(tiers) > MAX_TIERS:
            tier_errors.append(_("At most %(max)s price tiers.") % {"max": MAX_TIERS})
        if tier_errors:
            errors.setdefault("tiers", []).extend(tier_errors)
    if listing.moq_mode == Listing.MoqMode.PER_VARIANT and not variant_count and not variant_errors:
        errors.setdefault("moq_mode", []).append(
            _("A per-variant MOQ needs variants: add them, or let the MOQ count across all variants.")
        )
    if spec_errors:
        errors.setdefault("specifications", []).extend(spec_errors)
    if variant_errors:
        errors.setdefault("variants", []).extend(variant_errors)
    if errors:
        raise ValidationError(errors)


def _apply_fields(listing: Listing, fields: Mapping[str, Any]) -> dict[str, Any]:
    """Set `fields` on the listing; returns what each was before (by column, so no related query)."""
    unknown = set(fields) - WRITABLE_FIELDS
    if unknown:  # a programming error, never user input: forms and serializers list their fields
        raise TypeError(f"not writable: {', '.join(sorted(unknown))}")
    before = {}
    for key, value in fields.items():
        before[key] = getattr(listing, _field(Listing, key).attname)
        setattr(listing, key, value)
    return before


def _save_tiers(listing: Listing, tiers: list[Tier]) -> None:
    listing.tiers.all().delete()
    PriceTier.objects.bulk_create(
        PriceTier(listing=listing, min_quantity=t.min_quantity, unit_price=t.unit_price) for t in tiers
    )


def _save_variants(listing: Listing, variants: list[dict[str, Any]]) -> None:
    """Update the variants named by id, create the new ones, delete the rest; position follows the order.

    Kept by id rather than replaced, so later references to a variant (an order line) stay valid.
    """
    keep = [v["id"] for v in variants if v["id"]]
    listing.variants.exclude(pk__in=keep).delete()
    current = {v.pk: v for v in listing.variants.all()}
    new: list[ListingVariant] = []
    changed: list[ListingVariant] = []
    for position, values in enumerate(variants):
        variant = current.get(values["id"]) or ListingVariant(listing=listing)
        for key in VARIANT_FIELDS:
            setattr(variant, key, values[key])
        variant.position = position
        (changed if variant.pk else new).append(variant)
    ListingVariant.objects.bulk_update(changed, [*VARIANT_FIELDS, "position"])
    ListingVariant.objects.bulk_create(new)


def _save_checked(
    listing: Listing, *, supplier: Any, fields: Mapping[str, Any], tiers: Any, variants: Any
) -> tuple[list[str], list[Tier], list[dict[str, Any]] | None]:
    """Apply `fields` to the (unsaved or locked) listing and check everything; nothing is written.

    `tiers` / `variants` None: keep the saved ones (and check the new fields against them).
    """
    before = _apply_fields(listing, fields)
    spec_errors: list[str] = []
    if "specifications" in fields:
        listing.specifications, spec_errors = _clean_specifications(fields["specifications"])
    trade_errors = _clean_trade_fields(listing)
    changed = [key for key, was in before.items() if getattr(listing, _field(Listing, key).attname) != was]
    tier_list = _as_tiers(tiers) if tiers is not None else (_tiers_of(listing) if listing.pk else [])
    variant_rows: list[dict[str, Any]] | None = None
    variant_errors: list[str] = []
    if variants is not None:
        variant_rows, variant_errors = _clean_variants(list(variants), listing=listing)
        variant_count = len(variant_rows)
    else:
        variant_count = listing.variants.count() if listing.pk else 0
    _check(
        listing,
        supplier=supplier,
        tiers=tier_list,
        variant_count=variant_count,
        spec_errors=spec_errors,
        variant_errors=variant_errors,
        trade_errors=trade_errors,
    )
    return changed, tier_list, variant_rows


@transaction.atomic
def listing_create(
    *,
    supplier: Any,
    actor: Any,
    fields: Mapping[str, Any],
    tiers: Iterable[Tier | Mapping[str, Any]] = (),
    variants: Iterable[Mapping[str, Any]] = (),
) -> Listing:
    """A new draft listing of `supplier` with its price tiers, variants and specifications.

    Tiers are optional on a draft (publishing needs one); given tiers must keep catalog.rules.
    """
    listing = Listing(supplier=supplier, status=DRAFT)
    _changed, tier_list, variant_rows = _save_checked(
        listing, supplier=supplier, fields=fields, tiers=list(tiers), variants=list(variants)
    )
    try:
        with transaction.atomic():  # a savepoint: the SKU may have been taken a moment ago
            listing.save()
    except IntegrityError as exc:
        raise _sku_taken(listing) from exc
    _save_tiers(listing, tier_list)
    _save_variants(listing, variant_rows or [])
    _event(listing, actor, ListingEvent.Kind.CREATED)
    return listing


def _sku_taken(listing: Listing) -> ValidationError:
    message = _("You already have a listing with the SKU “%(sku)s”. Each listing needs its own SKU.")
    return ValidationError({"sku": message % {"sku": listing.sku}})


@transaction.atomic
def listing_update(
    *,
    listing: Listing,
    actor: Any,
    fields: Mapping[str, Any],
    tiers: Iterable[Tier | Mapping[str, Any]] | None = None,
    variants: Iterable[Mapping[str, Any]] | None = None,
) -> Listing:
    """Change a listing's fields, and its tiers or variants when given (None leaves them as they are).

    Everything is checked together (the MOQ against the tiers, the site against the supplier), and
    saved together or not at all. An archived listing must be restored first.
    """
    listing = _lock(listing)
    supplier = listing.supplier
    if listing.status == ARCHIVED:
        raise ValidationError(_("This listing is archived. Restore it to a draft before editing it."))
    changed, tier_list, variant_rows = _save_checked(
        listing,
        supplier=supplier,
        fields=fields,
        tiers=list(tiers) if tiers is not None else None,
        variants=list(variants) if variants is not None else None,
    )
    parts = [*changed]
    if tiers is not None and tier_list != _tiers_of(listing):
        parts.append("tiers")
    if variant_rows is not None and _variant_values(variant_rows) != _variant_values(listing.variants.values()):
        parts.append("variants")
    if not parts:  # saved as it was: no write, no event
        return listing
    try:
        with transaction.atomic():
            listing.save(update_fields=[*changed, "updated_at"])
    except IntegrityError as exc:
        raise _sku_taken(listing) from exc
    if "tiers" in parts:
        _save_tiers(listing, tier_list)
    if "variants" in parts:
        _save_variants(listing, variant_rows or [])
    _event(listing, actor, ListingEvent.Kind.UPDATED, ", ".join(sorted(parts)))
    if listing.status == PUBLISHED and "category" in changed:
        belt_figures_refresh_later(belt_ids=[supplier.belt_id])
    return listing


def _variant_values(rows: Iterable[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
    """Variants as comparable tuples, in order (a new one has no id, so it always differs)."""
    return [(row.get("id"), *(row.get(key) or "" for key in VARIANT_FIELDS)) for row in rows]


@transaction.atomic
def listing_publish(*, listing: Listing, actor: Any) -> Listing:
    """Make a draft public. Only a supplier at least "verified" may publish, and only a listing with tiers.

    The row lock makes two clicks (or a click and an API call) take turns: the second finds the
    listing published and does nothing, so one PUBLISHED event is written.
    """
    from .selectors.manage import listing_publish_blockers

    listing = _lock(listing)
    if listing.status == PUBLISHED:
        return listing
    blockers = listing_publish_blockers(listing=listing, supplier=listing.supplier)
    if blockers:
        raise ValidationError(blockers, code="cannot_publish")
    tiers = _tiers_of(listing)
    problems = validate_tiers(tiers, moq=listing.moq)
    if problems:
        raise ValidationError({"tiers": problems})
    listing.status, listing.published_at = PUBLISHED, timezone.now()
    listing.save(update_fields=["status", "published_at", "updated_at"])
    _event(listing, actor, ListingEvent.Kind.PUBLISHED)
    belt_figures_refresh_later(belt_ids=[listing.supplier.belt_id])
    return listing


@transaction.atomic
def listing_unpublish(*, listing: Listing, actor: Any) -> Listing:
    """Take a published listing back to a draft: buyers no longer see it. A draft stays as it is."""
    listing = _lock(listing)
    if listing.status == DRAFT:
        return listing
    if listing.status == ARCHIVED:
        raise ValidationError(_("This listing is archived; restore it instead."), code="archived")
    listing.status = DRAFT
    listing.save(update_fields=["status", "updated_at"])
    _event(listing, actor, ListingEvent.Kind.UNPUBLISHED)
    belt_figures_refresh_later(belt_ids=[listing.supplier.belt_id])
    return listing


@transaction.atomic
def listing_archive(*, listing: Listing, actor: Any) -> Listing:
    """Archive a listing: out of the public catalog and of the dashboard's default list; restorable."""
    listing = _lock(listing)
    if listing.status == ARCHIVED:
        return listing
    note = f"was {listing.status}"
    listing.status, listing.archived_at = ARCHIVED, timezone.now()
    listing.save(update_fields=["status", "archived_at", "updated_at"])
    _event(listing, actor, ListingEvent.Kind.ARCHIVED, note)
    if note == f"was {PUBLISHED}":
        belt_figures_refresh_later(belt_ids=[listing.supplier.belt_id])
    return listing


@transaction.atomic
def listing_restore(*, listing: Listing, actor: Any) -> Listing:
    """Bring an archived listing back as a draft (never straight to public: it is looked at first)."""
    listing = _lock(listing)
    if listing.status != ARCHIVED:
        return listing
    listing.status, listing.archived_at = DRAFT, None
    listing.save(update_fields=["status", "archived_at", "updated_at"])
    _event(listing, actor, ListingEvent.Kind.RESTORED)
    return listing


def _free_copy_sku(supplier: Any, sku: str) -> str:
    """`sku` with "-copy" (then "-copy-2", …) added, unused by the supplier, within the 64 characters."""
    if not sku:
        return ""
    limit = _max_length(Listing, "sku")
    taken = set(
        Listing.objects.filter(supplier=supplier, sku__startswith=sku[: limit - 12]).values_list("sku", flat=True)
    )
    for n in range(1, 1000):
        suffix = COPY_SUFFIX if n == 1 else f"{COPY_SUFFIX}-{n}"
        candidate = sku[: limit - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
    return ""


def _field(model: type[Model], name: str) -> "Field[Any, Any]":
    """A column of `model` by name (get_field also finds reverse relations, which these names never are)."""
    field = model._meta.get_field(name)
    assert isinstance(field, Field)
    return field


def _max_length(model: type[Model], name: str) -> int:
    max_length = _field(model, name).max_length
    assert max_length is not None  # only asked of CharFields
    return max_length


def _with_suffix(text: str, suffix: str, limit: int) -> str:
    return text[: limit - len(suffix)] + suffix


@transaction.atomic
def listing_duplicate(*, listing: Listing, actor: Any) -> Listing:
    """A draft copy of `listing` with its tiers, variants and specifications, to edit into a new product.

    The SKU gets "-copy" (or "-copy-2", …) so the supplier's SKUs stay unique; titles say "(copy)".
    Pictures are not copied: a new product needs its own, and copying files inside a transaction
    leaves orphans when it rolls back.
    """
    source = _lock(listing)
    supplier = source.supplier
    copy = Listing(supplier=supplier, status=DRAFT)
    for field in WRITABLE_FIELDS:
        attname = _field(Listing, field).attname  # category_id, not the category (no query)
        setattr(copy, attname, getattr(source, attname))
    limit = _max_length(Listing, "title_en")
    copy.title_en = _with_suffix(source.title_en, " (copy)", limit) if source.title_en else ""
    copy.title_zh = _with_suffix(source.title_zh, "（副本）", limit) if source.title_zh else ""
    copy.sku = _free_copy_sku(supplier, source.sku)
    tiers = _tiers_of(source)
    copy.save()
    _save_tiers(copy, tiers)
    ListingVariant.objects.bulk_create(
        ListingVariant(listing=copy, position=v.position, **{key: getattr(v, key) for key in VARIANT_FIELDS})
        for v in source.variants.all()
    )
    _event(copy, actor, ListingEvent.Kind.DUPLICATED, f"copy of listing {source.pk}")
    _event(source, actor, ListingEvent.Kind.DUPLICATED, f"copied to listing {copy.pk}")
    return copy


@transaction.atomic
def listing_image_add(
    *, listing: Listing, actor: Any, upload: "UploadedFile[bytes]", alt_text: str = ""
) -> ListingImage:
    """A supplier adds a picture: kept unchecked until its check job has run (listing_image_create)."""
    listing = _lock(listing)  # two uploads at once take turns, so positions and the cap hold
    if listing.images.count() >= MAX_IMAGES:
        raise ValidationError({"image": _("At most %(max)s pictures per listing.") % {"max": MAX_IMAGES}})
    try:
        image = listing_image_create(listing=listing, upload=upload, alt_text=alt_text)
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from exc
    Listing.objects.filter(pk=listing.pk).update(updated_at=timezone.now())
    _event(listing, actor, ListingEvent.Kind.UPDATED, "picture added")
    return image


@transaction.atomic
def listing_image_remove(*, image: ListingImage, actor: Any) -> None:
    """Remove a picture; its files are deleted once the removal is committed."""
    listing = _lock(image.listing)
    stored = ListingImage.objects.filter(pk=image.pk, listing=listing).first()
    if stored is None:
        return
    names = [f.name for f in (stored.image, stored.thumbnail) if f.name]  # a FieldFile is true when named
    storage = stored.image.storage
    stored.delete()
    for position, pk in enumerate(listing.images.order_by("position", "id").values_list("pk", flat=True)):
        ListingImage.objects.filter(pk=pk).update(position=position)
    Listing.objects.filter(pk=listing.pk).update(updated_at=timezone.now())
    _event(listing, actor, ListingEvent.Kind.UPDATED, "picture removed")

    def delete_files() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete_files)


@transaction.atomic
def listing_image_make_cover(*, image: ListingImage, actor: Any) -> None:
    """Make one picture the first (the one on cards and at the top of the listing page); the others
    keep their order behind it."""
    listing = _lock(image.listing)
    others = listing.images.exclude(pk=image.pk).order_by("position", "id").values_list("pk", flat=True)
    listing_image_reorder(listing=listing, actor=actor, image_ids=[image.pk, *others])


@transaction.atomic
def listing_image_reorder(*, listing: Listing, actor: Any, image_ids: Sequence[int]) -> None:
    """Put the listing's pictures in the order of `image_ids` (every picture of the listing, once)."""
    listing = _lock(listing)
    current = set(listing.images.values_list("pk", flat=True))
    if len(image_ids) != len(current) or set(image_ids) != current:
        raise ValidationError({"image_ids": _("List every picture of this listing once, in the new order.")})
    ListingImage.objects.bulk_update(
        [ListingImage(pk=pk, position=position) for position, pk in enumerate(image_ids)], ["position"]
    )
    Listing.objects.filter(pk=listing.pk).update(updated_at=timezone.now())
    _event(listing, actor, ListingEvent.Kind.UPDATED, "pictures reordered")
