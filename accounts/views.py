import datetime

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .forms import ApiTokenForm
from .http import AuthenticatedHttpRequest
from .models import User
from .selectors import api_token_get_for_user, api_token_list_for_user
from .services import api_token_create, api_token_revoke, user_activate
from .tokens import activation_token


@require_GET
def activate(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not activation_token.check_token(user, token):
        return render(request, "registration/activation_invalid.html", status=400)
    user = user_activate(user=user)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Your email address is confirmed. Welcome!"))
    return redirect("dashboard")


NEW_TOKEN_SESSION_KEY = "api_token_new"  # noqa: S105  # nosec B105 (a session key's name)


@require_http_methods(["GET", "POST"])
@login_required
def api_tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The signed-in person's API tokens, with the form to make one. A new token's key is shown
    on the page the creation redirects to, once: it is taken out of the session as it is shown."""
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        expires_on = form.cleaned_data["expires_on"]
        expires_at = (
            timezone.make_aware(datetime.datetime.combine(expires_on, datetime.time.min)) if expires_on else None
        )
        try:
            created = api_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_at=expires_at,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error("expires_on" if field == "expires_at" else field, errors)
        else:
            request.session[NEW_TOKEN_SESSION_KEY] = {"id": created.token.pk, "key": created.key}
            return redirect("accounts:api_tokens")
    new_token = request.session.pop(NEW_TOKEN_SESSION_KEY, None) if request.method == "GET" else None
    context = {
        "form": form,
        "tokens": list(api_token_list_for_user(user=request.user)),
        "new_token": new_token,
        "now": timezone.now(),
    }
    return render(request, "accounts/api_tokens.html", context)


@require_POST
@login_required
def api_token_revoke_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the signed-in person's tokens (another person's answers 404)."""
    token = api_token_get_for_user(user=request.user, pk=pk)
    if token is None:
        raise Http404("No such token")
    api_token_revoke(token=token, user=request.user)
    messages.success(
        request, _("The token “%(name)s” is revoked: requests with it are refused.") % {"name": token.name}
    )
    return redirect("accounts:api_tokens")
