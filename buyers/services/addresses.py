"""Writes of a buying company's saved addresses and of its approval for net payment terms.

Each write locks the company row first, so two members saving a default address at once take
turns and the company keeps one default shipping address and one billing address (the partial
unique indexes are the last line), and records a CompanyEvent in the same transaction: who changed
which address to what, who decided on net terms and why.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from marketplace.i18n import validate_country_code

from ..models import BuyerCompany, BuyerMember, CompanyAddress, CompanyEvent

ADDRESSES_MAX = 50
LIMITS = {"label": 80, "recipient": 120, "address": 1000, "phone": 40}


def _lock_company_of(*, company: BuyerCompany, actor: User) -> BuyerCompany:
    if not BuyerMember.objects.filter(company=company, user=actor).exists():
        raise PermissionDenied(_("Only the company's members can change its addresses."))
    return BuyerCompany.objects.select_for_update().get(pk=company.pk)


def address_clean(data: dict[str, Any]) -> dict[str, Any]:
    """The address's fields trimmed and checked by field (ValidationError)."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for field, limit in LIMITS.items():
        value = str(data.get(field) or "").strip()
        if len(value) > limit:
            errors[field] = [_("Use at most %(n)d characters.") % {"n": limit}]
        cleaned[field] = value
    if not cleaned["label"]:
        errors["label"] = [_("Name the address, for example “Rotterdam warehouse”.")]
    if not cleaned["address"]:
        errors["address"] = [_("Enter the address.")]
    country = str(data.get("country") or "").strip().upper()
    try:
        validate_country_code(country)
    except ValidationError as exc:
        errors["country"] = exc.messages
    cleaned["country"] = country
    cleaned["is_default"] = bool(data.get("is_default"))
    cleaned["is_billing"] = bool(data.get("is_billing"))
    if errors:
        raise ValidationError(errors)
    return cleaned


def _snapshot(address: CompanyAddress) -> dict[str, Any]:
    """The address as the event records it (the row itself may change or go later)."""
    return {
        "id": address.pk,
        **{name: getattr(address, name) for name in (*LIMITS, "country", "is_default", "is_billing")},
    }


def _take_flags(company: BuyerCompany, address: CompanyAddress) -> None:
    """Make `address` the only default and/or billing address of the company, as it says."""
    others = CompanyAddress.objects.filter(company=company).exclude(pk=address.pk)
    if address.is_default:
        others.filter(is_default=True).update(is_default=False)
    if address.is_billing:
        others.filter(is_billing=True).update(is_billing=False)


@transaction.atomic
def address_save(
    *, company: BuyerCompany, actor: User, data: dict[str, Any], address: CompanyAddress | None = None
) -> CompanyAddress:
    """Add an address to the company (`address` None) or change one of its addresses. The first
    address becomes the default and the billing address."""
    fields = address_clean(data)
    company = _lock_company_of(company=company, actor=actor)
    existing = CompanyAddress.objects.filter(company=company)
    if address is None:
        if existing.count() >= ADDRESSES_MAX:
            raise ValidationError(_("A company may keep at most %(n)d addresses.") % {"n": ADDRESSES_MAX})
        if not existing.exists():
            fields["is_default"] = fields["is_billing"] = True
        address = CompanyAddress(company=company)
    elif address.company_id != company.pk:
        raise PermissionDenied(_("This address belongs to another company."))
    kind = CompanyEvent.Kind.ADDRESS_ADDED if address.pk is None else CompanyEvent.Kind.ADDRESS_CHANGED
    before = _snapshot(address) if address.pk else None
    for name, value in fields.items():
        setattr(address, name, value)
    _take_flags(company, address)
    address.save()
    after = _snapshot(address)
    if after != before:
        CompanyEvent.objects.create(company=company, kind=kind, actor=actor, data=after)
    return address


@transaction.atomic
def address_delete(*, company: BuyerCompany, actor: User, address: CompanyAddress) -> None:
    """Remove one of the company's addresses; orders keep the copy they were placed with."""
    company = _lock_company_of(company=company, actor=actor)
    if address.company_id != company.pk:
        raise PermissionDenied(_("This address belongs to another company."))
    CompanyEvent.objects.create(
        company=company, kind=CompanyEvent.Kind.ADDRESS_REMOVED, actor=actor, data=_snapshot(address)
    )
    address.delete()


@transaction.atomic
def company_net_terms_set(*, company: BuyerCompany, approved: bool, actor: User, reason: str = "") -> BuyerCompany:
    """Staff approve (or withdraw) net payment terms for a buying company, with who, when and why
    on record (a CompanyEvent per decision). Orders already placed keep their terms; deciding what
    is already decided records nothing."""
    if not (actor.is_active and actor.is_staff):
        raise PermissionDenied(_("Only platform staff can do this."))
    reason = (reason or "").strip()
    if len(reason) > 1000:
        raise ValidationError({"reason": [_("Use at most %(n)d characters.") % {"n": 1000}]})
    company = BuyerCompany.objects.select_for_update().get(pk=company.pk)
    if company.net_terms_approved == approved:
        return company
    company.net_terms_approved = approved
    company.net_terms_decided_at = timezone.now()
    company.net_terms_decided_by = actor
    company.save(update_fields=["net_terms_approved", "net_terms_decided_at", "net_terms_decided_by"])
    kind = CompanyEvent.Kind.NET_TERMS_APPROVED if approved else CompanyEvent.Kind.NET_TERMS_WITHDRAWN
    CompanyEvent.objects.create(company=company, kind=kind, actor=actor, data={"reason": reason})
    return company
