"""The request a view behind `accounts.decorators.buyer_required` gets (annotation only)."""

from accounts.http import AuthenticatedHttpRequest

from .models import BuyerCompany


class BuyerHttpRequest(AuthenticatedHttpRequest):
    buyer_company: BuyerCompany  # set by buyer_required: the company request.user buys for
