"""A buying company's team: the members' page (invite, withdraw, remove) and the invitation link.

Only members of the company see or change its team: anyone else gets 404 (the page has no company
in its URL; invitations and members of another company answer 404 by id).
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import buyer_required
from accounts.http import AuthenticatedHttpRequest
from marketplace.exceptions import ApplicationError

from ..forms import TeamInviteForm, TeamJoinForm, add_service_errors
from ..http import BuyerHttpRequest
from ..models import INVITATION_VALID_DAYS, BuyerInvitation
from ..selectors.team import (
    account_exists_for_email,
    buyer_invitation_get_by_token,
    buyer_invitation_refusal,
    team_invitation_get_for_member,
    team_invitation_list,
    team_member_get_for_member,
    team_member_list,
)
from ..services.team import (
    buyer_invitation_accept,
    buyer_invitation_join,
    buyer_invitation_withdraw,
    buyer_member_invite,
    buyer_member_remove,
)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")[:-1]


@require_http_methods(["GET", "POST"])
@buyer_required
def team(request: BuyerHttpRequest) -> HttpResponse:
    """The company's members and open invitations, with the invite form."""
    company = request.buyer_company
    form = TeamInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = buyer_member_invite(
                company=company, actor=request.user, **form.cleaned_data, base_url=_base_url(request)
            )
        except (ValidationError, ApplicationError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("buyers:team")
    context = {
        "company": company,
        "members": list(team_member_list(company=company)),
        "invitations": list(team_invitation_list(company=company)),
        "form": form,
        "valid_days": INVITATION_VALID_DAYS,
    }
    return render(request, "buyers/team.html", context)


@require_POST
@login_required
def team_invitation_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invitation = team_invitation_get_for_member(user=request.user, pk=pk)
    try:
        buyer_invitation_withdraw(company=invitation.company, actor=request.user, invitation=invitation)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email})
    return redirect("buyers:team")


@require_POST
@login_required
def team_member_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = team_member_get_for_member(user=request.user, pk=pk)
    try:
        buyer_member_remove(company=member.company, actor=request.user, member=member)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("buyers:team")
    if member.user_id == request.user.pk:
        messages.success(request, _("You left %(company)s.") % {"company": member.company.name})
        return redirect("catalog:home")
    messages.success(request, _("%(name)s was removed from the team.") % {"name": member.user.get_full_name()})
    return redirect("buyers:team")


@require_http_methods(["GET", "POST"])
def team_join(request: HttpRequest, token: str) -> HttpResponse:
    """The link of an invitation email: a new person chooses a name and password; a signed-in person
    with the invited address joins with one click; anyone else is told why not."""
    invitation = buyer_invitation_get_by_token(token=token)
    context: dict[str, object] = {
        "invitation": invitation,
        "company": invitation.company,
        "valid_days": INVITATION_VALID_DAYS,
    }
    if invitation.accepted_at is not None:
        return render(request, "buyers/team_join_closed.html", {**context, "reason": "used"}, status=410)
    if invitation.is_expired():
        return render(request, "buyers/team_join_closed.html", {**context, "reason": "expired"}, status=410)
    if request.user.is_authenticated:
        return _join_signed_in(request, invitation, context)
    if account_exists_for_email(email=invitation.email):
        # The link proves the address; the account's owner signs in and comes back here.
        return render(request, "buyers/team_join.html", {**context, "sign_in": True})
    form = TeamJoinForm(request.POST or None, initial={"full_name": invitation.full_name}, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = buyer_invitation_join(
                invitation=invitation, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password"]
            )
        except (ValidationError, ApplicationError) as exc:
            add_service_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to %(company)s!") % {"company": invitation.company.name})
            return redirect("buyers:dashboard")
    return render(request, "buyers/team_join.html", {**context, "form": form})


def _join_signed_in(request: HttpRequest, invitation: BuyerInvitation, context: dict[str, object]) -> HttpResponse:
    refusal = buyer_invitation_refusal(user=request.user, invitation=invitation)  # type: ignore[arg-type]
    if refusal is not None:
        return render(request, "buyers/team_join.html", {**context, "refusal": refusal}, status=403)
    if request.method == "POST":
        # Joining changes which company the account buys for: a deliberate POST, never a GET.
        try:
            buyer_invitation_accept(invitation=invitation, user=request.user)  # type: ignore[arg-type]
        except ApplicationError as exc:
            return render(request, "buyers/team_join.html", {**context, "refusal": exc.message}, status=409)
        messages.success(request, _("Welcome to %(company)s!") % {"company": invitation.company.name})
        return redirect("buyers:dashboard")
    return render(request, "buyers/team_join.html", context)
