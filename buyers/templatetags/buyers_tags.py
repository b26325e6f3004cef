"""Template tags of buyers: the unread-inquiries figure for the navigation, a supplier's saved state."""

from django import template
from django.http import HttpRequest

from ..selectors.inquiries import inquiry_unread_count, supplier_is_saved_by_user

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_inquiries_count(context: template.Context) -> int:
    """Threads with messages the signed-in buyer's or supplier's side has not read.

    One COUNT query for buyers and suppliers, none for anyone else; remembered on the request, so a
    page that shows the figure twice still asks once.
    """
    request: HttpRequest | None = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None:
        return 0
    if request is not None and hasattr(request, "_unread_inquiries_count"):
        return request._unread_inquiries_count
    count = inquiry_unread_count(user=user)
    if request is not None:
        request._unread_inquiries_count = count  # type: ignore[attr-defined]
    return count


@register.simple_tag(takes_context=True)
def supplier_saved(context: template.Context, supplier: object) -> bool:
    """Whether the signed-in buyer's company saved `supplier` (one query, only for buyers)."""
    user = context.get("user")
    return bool(user) and supplier_is_saved_by_user(user=user, supplier=supplier)  # type: ignore[arg-type]
