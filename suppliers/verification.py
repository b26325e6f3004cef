"""The automatic checks of an application, and the words that explain their outcomes.

Each check reads the supplier and returns (outcome, message code, parameters). Messages are
rendered when read, in the reader's language, so a Chinese supplier and an English admin see
the same check in their own words.
"""

import unicodedata
from collections.abc import Callable
from io import BytesIO

from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import Q
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import uscc as stdnum_uscc

from .models import SupplierDocument, VerificationCheck
from .models.company import Supplier
from .registry import (
    RegistryError,
    RegistryRecord,
    RegistryStatus,
    RegistryUnavailable,
    registry_adapter,
    registry_enabled,
)

PASS, WARN, FAIL = VerificationCheck.Outcome.PASS, VerificationCheck.Outcome.WARN, VerificationCheck.Outcome.FAIL
Result = tuple[str, str, dict]

EXPIRY_WARNING_DAYS = 30
LICENCE_MIN_BYTES = 10 * 1024
LICENCE_MIN_PIXELS = 600
PHOTO_MIN_PIXELS = 400
NAME_SIMILARITY = 0.6

MESSAGES = {
    "uscc_missing": _("No unified social credit code was given."),
    "uscc_format": _("%(uscc)s is not an 18-character unified social credit code."),
    "uscc_checksum": _("The check character of %(uscc)s is wrong: look for a mistyped character."),
    "uscc_valid": _(
        "%(uscc)s is well formed and its check character is right (a format check: the code was not looked up)."
    ),
    "licence_missing": _("Upload the business licence."),
    "licence_too_small": _("The business licence file is very small (%(size)s bytes): is it readable?"),
    "licence_low_resolution": _(
        "The business licence picture is only %(width)s × %(height)s pixels: upload a sharper scan."
    ),
    "licence_unreadable": _("The business licence file could not be opened."),
    "licence_ok": _("The business licence is readable."),
    "certificates_none": _("No certificates were uploaded (they are optional)."),
    "certificates_expired": _("Expired: %(names)s. Upload the renewed certificates."),
    "certificates_expiring": _("Expiring within %(days)s days: %(names)s."),
    "certificates_undated": _("Give the validity dates of: %(names)s."),
    "certificates_current": _("%(count)s certificate(s), all current."),
    "region_no_belt": _("Choose the belt to join."),
    "region_no_site": _("Add at least one production site."),
    "region_outside": _("Outside %(province)s, the belt's region: %(sites)s."),
    "region_some_outside": _(
        "Not inside %(province)s, the belt's region: %(sites)s. "
        "Only the sites inside can give the certified-origin mark."
    ),
    "region_registered_elsewhere": _(
        "The factories are in the belt's region, but the company is registered in %(province)s."
    ),
    "region_inside": _("Every production site is in %(province)s, the belt's region."),
    # Names of the other companies stay in the parameters, for staff: applicants never see them.
    "duplicates_uscc": _("Another company on the platform has the same code."),
    "duplicates_similar": _(
        "A company with a similar name or the same phone is already on the platform: our staff will compare them."
    ),
    "duplicates_none": _("No other company on the platform has this code, a similar name or the same phone."),
    "photos_none": _("No factory photos yet: buyers trust suppliers who show their factory."),
    "photos_bad": _("Not usable as photos: %(names)s."),
    "photos_ok": _("%(count)s factory photo(s), all real pictures."),
    "registry_bad_code": _("The code is not well formed, so it was not looked up in the business registry."),
    "registry_not_found": _("The business registry has no company with the code %(uscc)s."),
    "registry_revoked": _("The business registry (%(source)s) shows the business licence of %(legal_name)s revoked."),
    "registry_cancelled": _("The business registry (%(source)s) shows %(legal_name)s deregistered."),
    "registry_other_status": _("The business registry (%(source)s) does not show %(legal_name)s in business."),
    "registry_name_differs": _(
        "The business registry (%(source)s) lists this code under another name: %(legal_name)s."
    ),
    "registry_representative_differs": _(
        "The business registry (%(source)s) names %(legal_representative)s as the legal representative."
    ),
    "registry_match": _(
        "The business registry (%(source)s) lists %(legal_name)s under this code, in business, with the same "
        "legal representative."
    ),
    # The reason stays in the parameters, for staff: it can name addresses of the registry's host.
    "registry_refused": _("The business registry's answer could not be used: our staff will look into it."),
    "registry_unavailable": _(
        "The business registry could not be reached; the check runs again when the verification is re-run."
    ),
    "check_error": _("The check could not run (%(error)s); staff will look at it or run the checks again."),
}


def check_message(code: str, params: dict) -> str:
    """The message of a check outcome in the active language, place names included: the check
    stores provinces as codes (older records as English names) and sites as (name, code) pairs."""
    template = MESSAGES.get(code)
    if template is None:
        return code
    try:
        return str(template) % _localised(params) if params else str(template)
    except (KeyError, TypeError, ValueError):
        return str(template)


def _localised(params: dict) -> dict:
    from belts.regions import province_code, province_name

    out = dict(params)
    if isinstance(out.get("province"), str):
        out["province"] = province_name(province_code(out["province"]))
    if isinstance(out.get("sites"), list):
        out["sites"] = ", ".join(f"{name} ({province_name(province_code(code))})" for name, code in out["sites"])
    return out


def check_uscc(supplier: Supplier) -> Result:
    code = supplier.uscc.strip().upper()
    if not code:
        return FAIL, "uscc_missing", {}
    try:
        stdnum_uscc.validate(code)
    except stdnum_exceptions.InvalidChecksum:
        return FAIL, "uscc_checksum", {"uscc": code}
    except stdnum_exceptions.ValidationError:
        return FAIL, "uscc_format", {"uscc": code}
    return PASS, "uscc_valid", {"uscc": code}


def _open_image(document: SupplierDocument) -> tuple[int, int] | None:
    try:
        with document.file.open("rb") as handle, Image.open(BytesIO(handle.read())) as picture:
            picture.verify()
            return picture.size
    except Exception:  # any unreadable file is simply "not an image"
        return None


def check_licence(supplier: Supplier) -> Result:
    licences = [d for d in supplier.documents.all() if d.kind == SupplierDocument.Kind.LICENCE and d.file_is_clean]
    if not licences:
        return FAIL, "licence_missing", {}
    licence = licences[-1]
    if (licence.size or 0) < LICENCE_MIN_BYTES:
        return WARN, "licence_too_small", {"size": licence.size}
    if licence.is_image():
        size = _open_image(licence)
        if size is None:
            return FAIL, "licence_unreadable", {}
        if min(size) < LICENCE_MIN_PIXELS:
            return WARN, "licence_low_resolution", {"width": size[0], "height": size[1]}
    else:
        with licence.file.open("rb") as handle:
            data = handle.read()
        if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
            return FAIL, "licence_unreadable", {}
    return PASS, "licence_ok", {}


def _certificate_name(document: SupplierDocument) -> str:
    return f"{document.get_standard_display()} {document.number}".strip()


def check_certificates(supplier: Supplier) -> Result:
    certificates = [
        d for d in supplier.documents.all() if d.kind == SupplierDocument.Kind.CERTIFICATE and d.file_is_clean
    ]
    if not certificates:
        return PASS, "certificates_none", {}
    today = timezone.localdate()
    expired = [c for c in certificates if c.valid_until and c.valid_until < today]
    if expired:
        return FAIL, "certificates_expired", {"names": ", ".join(map(_certificate_name, expired))}
    undated = [c for c in certificates if not c.valid_until or not c.valid_from]
    if undated:
        return WARN, "certificates_undated", {"names": ", ".join(map(_certificate_name, undated))}
    soon = [c for c in certificates if (c.valid_until - today).days <= EXPIRY_WARNING_DAYS]  # type: ignore[operator]
    if soon:
        return (
            WARN,
            "certificates_expiring",
            {"days": EXPIRY_WARNING_DAYS, "names": ", ".join(map(_certificate_name, soon))},
        )
    return PASS, "certificates_current", {"count": len(certificates)}


def check_region(supplier: Supplier) -> Result:
    if supplier.belt is None:
        return FAIL, "region_no_belt", {}
    sites = list(supplier.sites.all())
    if not sites:
        return FAIL, "region_no_site", {}
    region = supplier.belt.province
    outside = [s for s in sites if s.province != region]
    # Provinces are stored as codes and named in the reader's language (check_message).
    if outside:
        # Origin is judged per site: a factory inside the region stands beside an office elsewhere.
        code = "region_some_outside" if len(outside) < len(sites) else "region_outside"
        return (
            (WARN if code == "region_some_outside" else FAIL),
            code,
            {"province": region, "sites": [[s.name, s.province] for s in outside]},
        )
    if supplier.province and supplier.province != region:
        return WARN, "region_registered_elsewhere", {"province": supplier.province}
    return PASS, "region_inside", {"province": region}


def check_duplicates(supplier: Supplier) -> Result:
    others = Supplier.objects.exclude(pk=supplier.pk)
    if supplier.uscc:
        same = list(others.filter(uscc__iexact=supplier.uscc).values_list("name_en", flat=True)[:5])
        if same:
            return FAIL, "duplicates_uscc", {"names": ", ".join(same)}
    similar = (
        others.annotate(
            similarity=Greatest(
                TrigramSimilarity("name_en", supplier.name_en or "-"),
                TrigramSimilarity("name_zh", supplier.name_zh or "-"),
            )
        )
        .filter(similarity__gte=NAME_SIMILARITY)
        .values_list("name_en", flat=True)
    )
    phones = {p for p in (supplier.phone, supplier.contact_phone) if p}
    same_phone = others.filter(Q(phone__in=phones) | Q(contact_phone__in=phones)).values_list("name_en", flat=True)
    names = sorted(set(similar[:5]) | set(same_phone[:5] if phones else []))
    if names:
        return WARN, "duplicates_similar", {"names": ", ".join(names)}
    return PASS, "duplicates_none", {}


def check_photos(supplier: Supplier) -> Result:
    photos = [d for d in supplier.documents.all() if d.kind == SupplierDocument.Kind.FACTORY_PHOTO and d.file_is_clean]
    if not photos:
        return WARN, "photos_none", {}
    bad = []
    for index, photo in enumerate(photos, start=1):
        size = _open_image(photo) if photo.is_image() else None
        if size is None or min(size) < PHOTO_MIN_PIXELS:
            bad.append(f"#{index}")
    if bad:
        return FAIL, "photos_bad", {"names": ", ".join(bad)}
    return PASS, "photos_ok", {"count": len(photos)}


def _comparable(name: str) -> str:
    """A name without case, width, spaces or punctuation: "（有限公司）" and "(有限公司)" compare equal."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", name).casefold() if ch.isalnum())


def _same(given: str, registered: str) -> bool:
    return bool(given.strip() and registered.strip()) and _comparable(given) == _comparable(registered)


def _record_params(record: RegistryRecord) -> dict:
    return {
        "uscc": record.uscc,
        "legal_name": record.legal_name or record.legal_name_en,
        "legal_name_en": record.legal_name_en,
        "legal_representative": record.legal_representative,
        "status": record.status,
        "registered_address": record.registered_address,
        "business_scope": record.business_scope[:2000],
        "source": record.source,
        "fetched_at": record.fetched_at.isoformat(),
    }


def check_registry(supplier: Supplier) -> Result | None:
    """Look the code up in the configured business registry and compare the record with the
    application. None when no registry is configured: the check does not run and leaves no row.
    Raises RegistryUnavailable on an outage, so the run can try again later."""
    adapter = registry_adapter()
    if adapter is None:
        return None
    code = supplier.uscc.strip().upper()
    if not stdnum_uscc.is_valid(code):
        return WARN, "registry_bad_code", {"uscc": code}
    try:
        record = adapter.lookup(code)
    except RegistryUnavailable:
        raise
    except RegistryError as exc:
        return WARN, "registry_refused", {"uscc": code, "reason": str(exc)}
    if record is None:
        return FAIL, "registry_not_found", {"uscc": code}
    params = _record_params(record)
    if not record.is_active():
        code_by_status = {RegistryStatus.REVOKED: "registry_revoked", RegistryStatus.CANCELLED: "registry_cancelled"}
        return FAIL, code_by_status.get(RegistryStatus(record.status), "registry_other_status"), params
    names = ((supplier.name_zh, record.legal_name), (supplier.name_en, record.legal_name_en),
             (supplier.name_en, record.legal_name))  # fmt: skip
    if not any(_same(given, registered) for given, registered in names):
        return FAIL, "registry_name_differs", params
    if record.legal_representative and not _same(supplier.legal_representative, record.legal_representative):
        return WARN, "registry_representative_differs", params
    return PASS, "registry_match", params


# In the order they run and are shown. A check that returns None does not apply and records nothing.
CHECKS: list[tuple[str, Callable[[Supplier], Result | None]]] = [
    (VerificationCheck.Name.USCC, check_uscc),
    (VerificationCheck.Name.REGISTRY, check_registry),
    (VerificationCheck.Name.LICENCE, check_licence),
    (VerificationCheck.Name.CERTIFICATES, check_certificates),
    (VerificationCheck.Name.REGION, check_region),
    (VerificationCheck.Name.DUPLICATES, check_duplicates),
    (VerificationCheck.Name.PHOTOS, check_photos),
]


def check_names_in_use() -> list[str]:
    """The checks a run records now, in order: the registry check only with a registry configured."""
    return [name for name, _check in CHECKS if name != VerificationCheck.Name.REGISTRY or registry_enabled()]
