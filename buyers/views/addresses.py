"""The company's saved addresses: list, add, edit, delete, mark the default shipping and the billing address.

Only members of the company see or change its addresses: anyone else gets 404 (the page has no company
in its URL; an address of another company answers 404 by id), anonymous visitors are sent to sign in.
Writes go through buyers.services.addresses, as the API's do.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import buyer_required
from marketplace.exceptions import ApplicationError

from ..forms import CompanyAddressForm, add_service_errors
from ..http import BuyerHttpRequest
from ..models import CompanyAddress
from ..selectors.addresses import address_get_for_company, address_list_for_company
from ..services.addresses import ADDRESSES_MAX, address_delete, address_save

ADDRESS_FIELDS = ("label", "recipient", "address", "country", "phone", "is_default", "is_billing")


def _fields_of(address: CompanyAddress) -> dict[str, Any]:
    return {name: getattr(address, name) for name in ADDRESS_FIELDS}


@require_http_methods(["GET", "POST"])
@buyer_required
def addresses(request: BuyerHttpRequest) -> HttpResponse:
    """The company's addresses, with the form to add one."""
    company = request.buyer_company
    form = CompanyAddressForm(request.POST or None, initial={"country": company.country})
    if request.method == "POST" and form.is_valid():
        try:
            address = address_save(company=company, actor=request.user, data=form.cleaned_data)
        except (ValidationError, ApplicationError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("“%(label)s” was added to the company's addresses.") % {"label": address.label})
            return redirect("buyers:addresses")
    context = {
        "company": company,
        "addresses": list(address_list_for_company(company=company)),
        "form": form,
        "addresses_max": ADDRESSES_MAX,
    }
    return render(request, "buyers/addresses.html", context)


@require_http_methods(["GET", "POST"])
@buyer_required
def address_edit(request: BuyerHttpRequest, pk: int) -> HttpResponse:
    company = request.buyer_company
    address = address_get_for_company(company=company, pk=pk)
    form = CompanyAddressForm(request.POST or None, initial=_fields_of(address))
    if request.method == "POST" and form.is_valid():
        try:
            address = address_save(company=company, actor=request.user, data=form.cleaned_data, address=address)
        except (ValidationError, ApplicationError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("“%(label)s” was saved.") % {"label": address.label})
            return redirect("buyers:addresses")
    return render(request, "buyers/address_edit.html", {"company": company, "address": address, "form": form})


@require_POST
@buyer_required
def address_delete_view(request: BuyerHttpRequest, pk: int) -> HttpResponse:
    address = address_get_for_company(company=request.buyer_company, pk=pk)
    address_delete(company=request.buyer_company, actor=request.user, address=address)
    messages.success(
        request, _("“%(label)s” was deleted. Orders placed to it keep their copy.") % {"label": address.label}
    )
    return redirect("buyers:addresses")


@require_POST
@buyer_required
def address_mark(request: BuyerHttpRequest, pk: int) -> HttpResponse:
    """Make the address the default shipping address (`use=shipping`) or the billing address (`use=billing`)."""
    address = address_get_for_company(company=request.buyer_company, pk=pk)
    use = request.POST.get("use")
    if use not in ("shipping", "billing"):
        messages.error(request, _("Choose whether to ship to this address or bill to it by default."))
        return redirect("buyers:addresses")
    data = {**_fields_of(address), "is_default" if use == "shipping" else "is_billing": True}
    try:
        address_save(company=request.buyer_company, actor=request.user, data=data, address=address)
    except (ValidationError, ApplicationError) as exc:
        text = exc.message if isinstance(exc, ApplicationError) else " ".join(exc.messages)
        messages.error(request, text)
    else:
        if use == "shipping":
            messages.success(
                request,
                _("Orders now ship to “%(label)s” unless you choose another address.") % {"label": address.label},
            )
        else:
            messages.success(request, _("Purchase orders are now billed to “%(label)s”.") % {"label": address.label})
    return redirect("buyers:addresses")
