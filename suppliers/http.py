"""The request a view behind `accounts.decorators.supplier_required` gets (annotation only)."""

from accounts.http import AuthenticatedHttpRequest

from .models import Supplier


class SupplierHttpRequest(AuthenticatedHttpRequest):
    supplier: Supplier  # set by supplier_required: the supplier request.user acts for
