"""Reads of a buying company's saved addresses (the addresses page, the API and checkout).

Every read is scoped by the company of the member who asks: another company's address answers 404,
exactly like an id that does not exist.
"""

from django.db.models import QuerySet
from django.http import Http404

from ..models import BuyerCompany, CompanyAddress


def address_list_for_company(*, company: BuyerCompany) -> QuerySet[CompanyAddress]:
    """The company's addresses: the default shipping address first, then by name. One query."""
    return CompanyAddress.objects.filter(company=company).order_by("-is_default", "-is_billing", "label", "id")


def address_get_for_company(*, company: BuyerCompany, pk: int) -> CompanyAddress:
    """One of the company's addresses, or 404 (another company's too). One query."""
    address = CompanyAddress.objects.filter(company=company, pk=pk).first()
    if address is None:
        raise Http404("No such address")
    return address
