"""The supplier's side of inquiries: its inbox (the thread page is shared, buyers.views.inquiries)."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.decorators import supplier_required
from suppliers.http import SupplierHttpRequest

from ..selectors.inquiries import inquiry_list_for_supplier

PAGE_SIZE = 25


@require_GET
@supplier_required
def inbox(request: SupplierHttpRequest) -> HttpResponse:
    """Inquiries to the supplier `request.user` acts for: unread first, then newest activity."""
    supplier = request.supplier
    page = Paginator(inquiry_list_for_supplier(supplier=supplier), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "buyers/inbox.html", {"supplier": supplier, "page": page})
