"""Reads of a buying company's team: members, open invitations, and who may use an invitation link.

Every read is scoped by the member who asks: another company's member or invitation answers 404,
exactly like an id that does not exist.
"""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from suppliers.models import SupplierMember

from ..models import BuyerCompany, BuyerInvitation, BuyerMember
from .inquiries import buyer_company_for_user


def team_member_list(*, company: BuyerCompany) -> QuerySet[BuyerMember]:
    """The company's members with their accounts, by name. One query."""
    return BuyerMember.objects.filter(company=company).select_related("user").order_by("user__full_name", "user__email")


def team_invitation_list(*, company: BuyerCompany) -> QuerySet[BuyerInvitation]:
    """The company's invitations not used yet (expired ones too: they can be sent again), newest first,
    with the inviter. One query."""
    return (
        BuyerInvitation.objects.filter(company=company, accepted_at__isnull=True)
        .select_related("invited_by")
        .order_by("-created_at", "-id")
    )


def team_member_get_for_member(*, user: User, pk: int) -> BuyerMember:
    """A member of the company `user` buys for (possibly `user` themself), or 404. One query."""
    member = (
        BuyerMember.objects.filter(pk=pk, company__members__user=user).select_related("company", "user").first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if member is None:
        raise Http404("No such member")
    return member


def team_invitation_get_for_member(*, user: User, pk: int) -> BuyerInvitation:
    """An unused invitation of the company `user` buys for, or 404. One query."""
    invitation = (
        BuyerInvitation.objects.filter(pk=pk, accepted_at__isnull=True, company__members__user=user)
        .select_related("company")
        .first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if invitation is None:
        raise Http404("No such invitation")
    return invitation


def buyer_invitation_get_by_token(*, token: str) -> BuyerInvitation:
    """The invitation a link carries, used or not, with its company; 404 for an unknown or withdrawn one."""
    invitation = BuyerInvitation.objects.filter(token=token).select_related("company").first()
    if invitation is None:
        raise Http404("No such invitation")
    return invitation


def account_exists_for_email(*, email: str) -> bool:
    """Whether someone already has an account with `email` (addresses are stored in lower case)."""
    return User.objects.filter(email=email.strip().lower()).exists()


def buyer_invitation_refusal(*, user: User, invitation: BuyerInvitation) -> str | None:
    """Why the signed-in `user` may not join the company by `invitation`, in the user's words; None if
    they may. A person buys for one company only, and supplier, operator and staff accounts keep
    their own dashboards."""
    if user.email.lower() != invitation.email.lower():
        return _(
            "This invitation was sent to another email address. Sign in with the account of that address, "
            "or ask your colleague to invite the address of this account."
        )
    company = buyer_company_for_user(user=user)
    if company is not None:
        if company.pk == invitation.company_id:
            return _("You are already a member of %(company)s.") % {"company": company.name}
        return _(
            "Your account already buys for another company (%(company)s). An account buys for one company "
            "only: ask your colleague to invite another email address."
        ) % {"company": company.name}
    if user.role == User.Role.SUPPLIER or SupplierMember.objects.filter(user=user).exists():
        return _(
            "Your account acts for a supplier, so it cannot buy for a company. Ask your colleague to invite "
            "another email address."
        )
    if user.is_staff or user.role != User.Role.BUYER:
        return _(
            "This account belongs to a belt operator or to platform staff, so it cannot buy for a company. "
            "Ask your colleague to invite another email address."
        )
    return None
