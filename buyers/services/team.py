"""Writes of a buying company's team: invite a colleague by email, join by the link, withdraw an
invitation, remove a member.

Every write is atomic and takes its row locks first: invitations and removals lock the company row
(so two members acting at once take turns, and the last member always stays), and joining locks the
invitation row (so a link used twice at the same moment makes one member).
"""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from marketplace.exceptions import ApplicationError
from marketplace.mail.services import mail_enqueue

from ..models import INVITATION_VALID_DAYS, BuyerCompany, BuyerInvitation, BuyerMember, new_buyer_invitation_token
from ..selectors.team import buyer_invitation_refusal

EMAIL_MAX_LENGTH = 254
NAME_MAX_LENGTH = 150


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        if not email or len(email) > EMAIL_MAX_LENGTH:
            raise ValidationError("invalid")
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid email address.")}) from None
    return email


def _lock_company_of_member(*, company: BuyerCompany, actor: User) -> BuyerCompany:
    """Lock the company row (team changes take turns); only its members may change its team."""
    company = BuyerCompany.objects.select_for_update().get(pk=company.pk)
    if not BuyerMember.objects.filter(company=company, user=actor).exists():
        raise PermissionDenied("Only the buying company's members may change its team")
    return company


def _invitation_email(invitation: BuyerInvitation, base_url: str) -> None:
    """Enqueue the invitation email (outbox), in the language the inviter was using (first line: the subject)."""
    context = {
        "invitation": invitation,
        "company": invitation.company,
        "inviter": invitation.invited_by,
        "link": base_url + invitation.get_absolute_url(),
        "valid_days": INVITATION_VALID_DAYS,
    }
    mail_enqueue(
        to=invitation.email,
        template="buyers/email/team_invitation.txt",
        context=context,
        language=invitation.language or settings.LANGUAGE_CODE,
        kind="buyer_team_invitation",
    )


@transaction.atomic
def buyer_member_invite(
    *, company: BuyerCompany, actor: User, email: str, full_name: str = "", base_url: str = ""
) -> BuyerInvitation:
    """Invite a colleague by email to `company`; the link is emailed after commit, in the inviter's language.

    Only a member may invite. An address that is already a member is refused. A company has one open
    invitation per address: inviting it again sends the same link again (a fresh link, valid for
    another 14 days, once the old one expired), so a double click never kills the first link.
    Whether the address has an account elsewhere is not told here (that is checked when joining).
    """
    email = _clean_email(email)
    full_name = (full_name or "").strip()[:NAME_MAX_LENGTH]
    company = _lock_company_of_member(company=company, actor=actor)
    if BuyerMember.objects.filter(company=company, user__email=email).exists():
        raise ValidationError({"email": _("%(email)s is already a member of your company.") % {"email": email}})
    language = translation.get_language() or settings.LANGUAGE_CODE
    now = timezone.now()
    # The company lock makes the read-then-write safe: no second open invitation can appear meanwhile.
    invitation = BuyerInvitation.objects.filter(company=company, email=email, accepted_at__isnull=True).first()
    if invitation is None:
        invitation = BuyerInvitation.objects.create(
            company=company, email=email, full_name=full_name, invited_by=actor, language=language, created_at=now
        )
    else:
        fields = ["invited_by", "language"]
        invitation.invited_by, invitation.language = actor, language
        if full_name:
            invitation.full_name = full_name
            fields.append("full_name")
        if invitation.is_expired(now):
            invitation.token, invitation.created_at = new_buyer_invitation_token(), now
            fields += ["token", "created_at"]
        invitation.save(update_fields=fields)
    # Written with the invitation, sent after commit; a mail server failure does not undo the
    # invitation (the outbox tries again, and it stays on the team page, where it can be sent again).
    _invitation_email(invitation, base_url)
    return invitation


def _lock_usable_invitation(invitation: BuyerInvitation) -> BuyerInvitation:
    """Lock the invitation row: of two people using one link at the same moment, the second waits here
    and then finds it used."""
    locked = BuyerInvitation.objects.select_for_update().filter(pk=invitation.pk).first()
    if locked is None:
        raise ApplicationError(_("This invitation was withdrawn. Ask your colleague for a new one."))
    if locked.accepted_at is not None:
        raise ApplicationError(_("This invitation has already been used."))
    if locked.is_expired():
        raise ApplicationError(
            _("This invitation expired on %(date)s. Ask your colleague to invite you again.")
            % {"date": date_format(timezone.localtime(locked.expires_at), "DATE_FORMAT")}
        )
    return locked


def _accept(invitation: BuyerInvitation, user: User) -> BuyerMember:
    member = BuyerMember.objects.create(company_id=invitation.company_id, user=user)
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return member


@transaction.atomic
def buyer_invitation_accept(*, invitation: BuyerInvitation, user: User) -> BuyerMember:
    """A signed-in person joins the invitation's company with one click.

    Only the account of the invited address, and only one that buys for no company and acts for no
    supplier, operator or staff (`buyer_invitation_refusal` says why not, in words). Locks the
    invitation, then the user: one link used twice, or two invitations used by one person at once,
    make one membership.
    """
    invitation = _lock_usable_invitation(invitation)
    user = User.objects.select_for_update().get(pk=user.pk)
    refusal = buyer_invitation_refusal(user=user, invitation=invitation)
    if refusal is not None:
        raise ApplicationError(refusal)
    return _accept(invitation, user)


@transaction.atomic
def buyer_invitation_join(*, invitation: BuyerInvitation, full_name: str, password: str) -> User:
    """A person without an account joins: an active buyer account for the invited address (the link
    proved it, so no confirmation email) and its membership of the company.

    An address that already has an account is refused (its owner signs in and accepts instead).
    """
    full_name = (full_name or "").strip()
    errors: dict[str, list[str]] = {}
    if not full_name:
        errors["full_name"] = [_("This field is required.")]
    elif len(full_name) > NAME_MAX_LENGTH:
        errors["full_name"] = [_("Keep this under %(limit)s characters.") % {"limit": NAME_MAX_LENGTH}]
    invitation = _lock_usable_invitation(invitation)
    try:
        validate_password(password, User(email=invitation.email, full_name=full_name))
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    if User.objects.filter(email=invitation.email.lower()).exists():
        raise ApplicationError(
            _("An account with this email address already exists. Sign in, then open the invitation link again.")
        )
    user = User.objects.create_user(
        email=invitation.email,
        password=password,
        full_name=full_name,
        role=User.Role.BUYER,
        is_active=True,
        preferred_language=invitation.language if invitation.language in ("en", "zh-hans") else "en",
    )
    _accept(invitation, user)
    return user


@transaction.atomic
def buyer_invitation_withdraw(*, company: BuyerCompany, actor: User, invitation: BuyerInvitation) -> None:
    """Withdraw an unused invitation of `company` (its link stops working). Withdrawing twice does nothing;
    an invitation accepted meanwhile is not withdrawn (the person is a member: remove them instead)."""
    company = _lock_company_of_member(company=company, actor=actor)
    locked = BuyerInvitation.objects.select_for_update().filter(pk=invitation.pk, company=company).first()
    if locked is None:
        return
    if locked.accepted_at is not None:
        raise ApplicationError(_("This invitation has already been accepted: the person is a member now."))
    locked.delete()


@transaction.atomic
def buyer_member_remove(*, company: BuyerCompany, actor: User, member: BuyerMember) -> None:
    """Remove a member from `company` (a member may also leave). A company always keeps one member:
    the last one can be neither removed nor leave. The account stays; it just buys for no company.

    The company row is locked, so two members removing each other at once leave one of them.
    """
    company = _lock_company_of_member(company=company, actor=actor)
    target = BuyerMember.objects.filter(pk=member.pk, company=company).first()
    if target is None:
        return  # already removed (a double click): nothing to do
    if BuyerMember.objects.filter(company=company).count() <= 1:
        raise ApplicationError(
            _("%(company)s must keep at least one member. Invite a colleague before you leave.")
            % {"company": company.name}
        )
    target.delete()
