from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .models import User
from .services import user_activate
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
