"""Which side of an order a person acts for: read by every step of the order, its protection and
its disputes."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.models import User
from buyers.models import BuyerMember
from suppliers.models import SupplierMember

from ..models import Order, Party


def order_party_of(*, order: Order, user: User) -> str:
    """Which side of `order` `user` acts for (buyer first); PermissionDenied for anyone else."""
    if BuyerMember.objects.filter(user=user, company_id=order.buyer_id).exists():
        return Party.BUYER.value
    if SupplierMember.objects.filter(user=user, supplier_id=order.supplier_id).exists():
        return Party.SUPPLIER.value
    raise PermissionDenied(_("You do not act for the buyer or the supplier of this order."))
