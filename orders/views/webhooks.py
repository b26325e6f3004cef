"""The webhooks page of a supplier's or a buying company's dashboard: endpoints, each with its
delivery log, a switch, delete and redeliver. Thin: parse → selector or service → respond.

Only members of the endpoint's company find it; anyone else gets 404, and people who act for no
company get 404 for the page itself. Writes go through orders.services.webhooks, as the API's do.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from marketplace.exceptions import ApplicationError

from ..forms.webhooks import WebhookEndpointForm
from ..models import WebhookEndpoint
from ..selectors.webhooks import (
    WebhookOwner,
    webhook_delivery_get,
    webhook_delivery_list,
    webhook_endpoint_get_for_owner,
    webhook_endpoint_list_for_owner,
    webhook_owner_for_user,
)
from ..services.webhooks import (
    MAX_ENDPOINTS,
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_update,
    webhook_redeliver,
)

NEW_SECRET_SESSION_KEY = "webhook_new_secret"  # noqa: S105  # nosec B105 (a session key's name)
LOG_ROWS = 50


def _owner(request: AuthenticatedHttpRequest) -> WebhookOwner:
    owner = webhook_owner_for_user(user=request.user)
    if owner is None:
        raise Http404("You act for no supplier or buying company")
    return owner


def _endpoint(request: AuthenticatedHttpRequest, pk: int) -> tuple[WebhookOwner, WebhookEndpoint]:
    owner = _owner(request)
    endpoint = webhook_endpoint_get_for_owner(owner=owner, pk=pk)
    if endpoint is None:
        raise Http404("No such endpoint")
    return owner, endpoint


@require_http_methods(["GET", "POST"])
@login_required
def webhook_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The company's endpoints and the form to add one; a new endpoint's secret is shown once."""
    owner = _owner(request)
    form = WebhookEndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = webhook_endpoint_create(
                actor=request.user, buyer=owner.buyer, supplier=owner.supplier, **form.cleaned_data
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            request.session[NEW_SECRET_SESSION_KEY] = {"id": endpoint.pk, "secret": secret}
            return redirect("orders:webhook_detail", endpoint.pk)
    context = {
        "owner": owner,
        "endpoints": list(webhook_endpoint_list_for_owner(owner=owner)),
        "form": form,
        "endpoints_max": MAX_ENDPOINTS,
    }
    return render(request, "orders/webhooks.html", context)


@require_GET
@login_required
def webhook_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One endpoint with its latest deliveries."""
    owner, endpoint = _endpoint(request, pk)
    new_secret = request.session.pop(NEW_SECRET_SESSION_KEY, None)
    if new_secret and new_secret.get("id") != endpoint.pk:
        new_secret = None
    context = {
        "owner": owner,
        "endpoint": endpoint,
        "deliveries": list(webhook_delivery_list(endpoint=endpoint)[:LOG_ROWS]),
        "new_secret": new_secret,
        "log_rows": LOG_ROWS,
    }
    return render(request, "orders/webhook_detail.html", context)


@require_POST
@login_required
def webhook_toggle(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Pause or resume an endpoint."""
    _who, endpoint = _endpoint(request, pk)
    endpoint = webhook_endpoint_update(endpoint=endpoint, is_active=not endpoint.is_active)
    messages.success(request, _("The endpoint is active.") if endpoint.is_active else _("The endpoint is paused."))
    return redirect("orders:webhook_detail", endpoint.pk)


@require_POST
@login_required
def webhook_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Delete an endpoint and its log."""
    _who, endpoint = _endpoint(request, pk)
    webhook_endpoint_delete(endpoint=endpoint)
    messages.success(request, _("The endpoint %(url)s is deleted.") % {"url": endpoint.url})
    return redirect("orders:webhook_list")


@require_POST
@login_required
def webhook_redeliver_view(request: AuthenticatedHttpRequest, pk: int, delivery_pk: int) -> HttpResponse:
    """Send one delivery's event again."""
    _who, endpoint = _endpoint(request, pk)
    delivery = webhook_delivery_get(endpoint=endpoint, pk=delivery_pk)
    if delivery is None:
        raise Http404("No such delivery")
    webhook_redeliver(delivery=delivery)
    messages.success(request, _("The event is being sent again."))
    return redirect("orders:webhook_detail", endpoint.pk)
