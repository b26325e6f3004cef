"""ApplicationError carries its HTTP status; the API's one handler and the pages' one middleware
answer with it and with the (translated) message."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from marketplace.exceptions import (
    ApplicationError,
    ApplicationErrorMiddleware,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    UnprocessableError,
    api_exception_handler,
    error_message,
)
from orders.services.placing import IdempotencyKeyReused, StockShortage
from orders.services.rfq import RfqStateConflict
from orders.services.transitions import OrderStateConflict
from tests.orders.factories import make_rfq


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (ApplicationError, 400),
        (ForbiddenError, 403),
        (NotFoundError, 404),
        (ConflictError, 409),
        (UnprocessableError, 422),
        (OrderStateConflict, 409),
        (RfqStateConflict, 409),
        (StockShortage, 409),
        (IdempotencyKeyReused, 422),
    ],
)
def test_each_error_carries_its_status_and_the_api_answers_with_it(error, status):
    response = api_exception_handler(error("Refused.", extra={"available": 3}), {})
    assert error.status_code == status
    assert (response.status_code, response.data) == (status, {"detail": "Refused.", "available": 3})


def test_the_handler_maps_djangos_own_errors():
    assert api_exception_handler(Http404(), {}).status_code == 404
    invalid = api_exception_handler(ValidationError({"reason": ["Say why."]}), {})
    assert (invalid.status_code, invalid.data) == (400, {"reason": ["Say why."]})
    refused = api_exception_handler(PermissionDenied("Only the supplier can confirm this order."), {})
    assert (refused.status_code, str(refused.data["detail"])) == (403, "Only the supplier can confirm this order.")
    assert api_exception_handler(PermissionDenied(), {}).status_code == 403


def test_error_message_is_the_text_a_person_reads():
    assert error_message(ConflictError("Too late.")) == "Too late."
    assert error_message(PermissionDenied("Only buyers.")) == "Only buyers."
    assert error_message(PermissionDenied()) == "You do not have permission to perform this action."


@pytest.mark.django_db
def test_a_page_that_leaves_an_application_error_uncaught_answers_with_its_status_and_message():
    request = RequestFactory().post("/anywhere/")
    request.user, request.session = AnonymousUser(), SessionStore()
    request._messages = FallbackStorage(request)
    middleware = ApplicationErrorMiddleware(lambda request: None)

    response = middleware.process_exception(request, ConflictError("Someone else was quicker."))
    assert response.status_code == 409
    assert "Someone else was quicker." in response.content.decode()
    assert middleware.process_exception(request, ValueError("not ours")) is None


@pytest.mark.django_db
def test_the_api_answers_in_the_readers_language(buyer, category):
    rfq = make_rfq(buyer, category=category)
    client = APIClient()
    client.force_authenticate(buyer)
    url = reverse("api:rfq-cancel", args=[rfq.pk])
    assert client.post(url, {"reason": "Budget"}, format="json").status_code == 200
    response = client.post(url, {"reason": "Budget"}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 409
    assert "已无法取消" in response.json()["detail"]
