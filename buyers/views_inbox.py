"""The supplier's side of inquiries: its inbox (the thread page is shared, buyers.views_inquiries)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest

from .selectors import inquiry_list_for_supplier, supplier_for_inbox_or_404

PAGE_SIZE = 25


@require_GET
@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Inquiries to the supplier `request.user` acts for: unread first, then newest activity."""
    supplier = supplier_for_inbox_or_404(user=request.user)
    page = Paginator(inquiry_list_for_supplier(supplier=supplier), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "buyers/inbox.html", {"supplier": supplier, "page": page})
