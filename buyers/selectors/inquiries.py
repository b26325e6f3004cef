"""Reads for buyers: each one scoped by who asks, with its joins applied (fixed query counts)."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.models import User
from catalog.models import Listing
from marketplace.filecheck.models import FileCheck
from suppliers.models import Supplier, SupplierMember

from ..models import BuyerCompany, BuyerMember, Inquiry, InquiryMessage, Party, SavedSupplier


def buyer_company_for_user(*, user: User | AnonymousUser) -> BuyerCompany | None:
    """The buying company `user` buys for, or None (one query). The only "which buying company is
    this?" lookup: pages, APIs, services and the `buyer_required` decorator all ask here."""
    if not user.is_authenticated:
        return None
    return BuyerCompany.objects.filter(members__user=user).first()


def buyer_company_for_user_or_404(*, user: User | AnonymousUser) -> BuyerCompany:
    company = buyer_company_for_user(user=user)
    if company is None:
        raise Http404("You do not buy for a company")
    return company


# --- inquiries ------------------------------------------------------------------------------------


def _unread_filter(party: str) -> Q:
    read_at = "buyer_read_at" if party == Party.BUYER else "supplier_read_at"
    return Q(**{f"{read_at}__isnull": True}) | Q(last_message_at__gt=F(read_at))


def _with_unread_messages(qs: QuerySet[Inquiry], party: str) -> QuerySet[Inquiry]:
    """Annotate `unread` (messages of the other side after this side's read mark), in the same query."""
    other = Party.SUPPLIER if party == Party.BUYER else Party.BUYER
    read_at = "buyer_read_at" if party == Party.BUYER else "supplier_read_at"
    after_mark = Q(**{f"{read_at}__isnull": True}) | Q(messages__created_at__gt=F(read_at))
    return qs.annotate(unread=Count("messages", filter=Q(messages__party=other) & after_mark))


def inquiry_list_for_buyer(*, buyer: BuyerCompany) -> QuerySet[Inquiry]:
    """The company's threads, newest activity first, each with its `unread` count. One query."""
    qs = Inquiry.objects.filter(buyer=buyer).select_related("buyer", "supplier", "listing")
    qs = qs.order_by("-last_message_at", "-id")
    return _with_unread_messages(qs, Party.BUYER)


def inquiry_list_for_supplier(*, supplier: Supplier) -> QuerySet[Inquiry]:
    """The supplier's inbox: threads with unread messages first, then newest activity. One query."""
    qs = Inquiry.objects.filter(supplier=supplier).select_related("buyer", "supplier", "listing")
    # The unread flag is read from the thread's own columns, so ordering by it needs no second join.
    has_unread = ExpressionWrapper(_unread_filter(Party.SUPPLIER), output_field=BooleanField())
    return (
        _with_unread_messages(qs, Party.SUPPLIER)
        .annotate(has_unread=has_unread)
        .order_by("-has_unread", "-last_message_at", "-id")
    )


def inquiry_unread_count(*, user: User) -> int:
    """How many threads have messages `user`'s side has not read: 0 without a query for anyone else.

    One COUNT over the side's threads (index buyer/supplier + last_message_at) through the membership join.
    """
    if not getattr(user, "is_authenticated", False):
        return 0
    if user.role == User.Role.BUYER:
        return Inquiry.objects.filter(_unread_filter(Party.BUYER), buyer__members__user=user).count()
    if user.role == User.Role.SUPPLIER:
        return Inquiry.objects.filter(_unread_filter(Party.SUPPLIER), supplier__members__user=user).count()
    return 0


@dataclass(frozen=True)
class Viewer:
    """Which side of an inquiry the person reading it is on."""

    party: str

    @property
    def is_buyer(self) -> bool:
        return self.party == Party.BUYER


def inquiry_get_for_user(*, user: User, pk: int) -> tuple[Inquiry, Viewer]:
    """An inquiry `user` takes part in (a member of its buying company or of its supplier), or 404.

    One query: membership is tested by EXISTS subqueries, which also tell which side the user is on.
    """
    if not getattr(user, "is_authenticated", False):
        raise Http404("No such inquiry")
    inquiry = (
        Inquiry.objects.filter(pk=pk)
        .annotate(
            as_buyer=Exists(BuyerMember.objects.filter(user=user, company=OuterRef("buyer"))),
            as_supplier=Exists(SupplierMember.objects.filter(user=user, supplier=OuterRef("supplier"))),
        )
        .filter(Q(as_buyer=True) | Q(as_supplier=True))
        .select_related("buyer", "supplier", "listing", "started_by")
        .first()
    )
    if inquiry is None:
        raise Http404("No such inquiry")
    return inquiry, Viewer(Party.BUYER if inquiry.as_buyer else Party.SUPPLIER)


def inquiry_messages(*, inquiry: Inquiry) -> QuerySet[InquiryMessage]:
    """The thread's messages, oldest first, with their authors. One query."""
    return inquiry.messages.select_related("author").order_by("created_at", "id")


def inquiry_message_get_for_user(*, user: User, inquiry_pk: int, pk: int) -> InquiryMessage:
    """A message with a checked, clean attachment in a thread `user` takes part in, or 404 (also
    while the attachment is being checked, and once it was refused: for both sides alike)."""
    inquiry, _viewer = inquiry_get_for_user(user=user, pk=inquiry_pk)
    message = (
        InquiryMessage.objects.filter(inquiry=inquiry, pk=pk, file_check=FileCheck.CLEAN).exclude(attachment="").first()
    )
    if message is None:
        raise Http404("No such attachment")
    return message


def inquiry_latest_for_buyer(*, buyer: BuyerCompany, limit: int = 5) -> list[Inquiry]:
    return list(inquiry_list_for_buyer(buyer=buyer)[:limit])


# --- what a buyer may write to -----------------------------------------------------------------


def supplier_get_for_inquiry(*, slug: str) -> Supplier:
    """A publicly certified supplier (one a buyer may contact), or 404."""
    supplier = Supplier.objects.certified().select_related("belt").filter(slug=slug).first()
    if supplier is None:
        raise Http404("No such supplier")
    return supplier


def listing_get_for_inquiry(*, supplier: Supplier, pk: int) -> Listing:
    """A public listing of `supplier`, or 404."""
    listing = Listing.objects.public().filter(supplier=supplier, pk=pk).first()
    if listing is None:
        raise Http404("No such listing")
    return listing


# --- saved suppliers ------------------------------------------------------------------------------


def saved_supplier_list(*, buyer: BuyerCompany) -> QuerySet[SavedSupplier]:
    """The company's saved suppliers, newest first, with the supplier and its belt. One query."""
    return SavedSupplier.objects.filter(buyer=buyer).select_related("supplier", "supplier__belt")


def supplier_is_saved_by_user(*, user: User, supplier: Supplier) -> bool:
    """Whether `user`'s buying company saved `supplier` (one query; none for anyone but buyers)."""
    if not getattr(user, "is_authenticated", False) or user.role != User.Role.BUYER:
        return False
    return SavedSupplier.objects.filter(buyer__members__user=user, supplier=supplier).exists()
