"""`@idempotent` for an APIView's POST: the `Idempotency-Key` header, declared in the schema.

    class ThingCreateApi(APIView):
        @extend_schema(request=..., responses=...)
        @idempotent()                  # the key optional; required=True for money and orders
        def post(self, request, ...): ...

With a key the method runs inside one transaction that first claims the key
(services.idempotent_request_claim): the same key and body again answer the first answer (status
and body as they were, or `replay_status`) without running anything; the same key with another
body or operation answers 422; an answer outside 2xx, or an error, rolls the work and the claim
back, so the key stays free for a corrected retry.
"""

import functools
from collections.abc import Callable
from typing import Any

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from .services import (
    KEY_MAX_LENGTH,
    idempotency_key_clean,
    idempotent_request_answer,
    idempotent_request_claim,
    request_fingerprint,
)

HEADER = "Idempotency-Key"


def idempotency_header(*, required: bool) -> OpenApiParameter:
    return OpenApiParameter(
        name=HEADER,
        # What idempotency_key_clean takes, and a header can carry: 1 to 100 characters, no space around.
        type={"type": "string", "minLength": 1, "maxLength": KEY_MAX_LENGTH, "pattern": r"^\S(.*\S)?$"},
        location=OpenApiParameter.HEADER,
        required=required,
        description="A new random value (e.g. a UUID) per request you mean to make once, 1–100 characters. "
        "Sending it again with the same body answers as the first time without doing it again; with another "
        "body or to another operation, 422."
        + ("" if required else " Optional: without it every request is a new one."),
    )


class _Refused(Exception):
    """Carries a non-2xx answer out of the transaction, so the work and the claim roll back."""

    def __init__(self, response: Response) -> None:
        self.response = response


def _endpoint(request: Request) -> str:
    """The operation and the object it is on, from the URL (a view may pass its arguments positionally)."""
    match = request.resolver_match
    name = match.view_name if match else request.path
    args = " ".join(f"{k}={v}" for k, v in sorted((match.kwargs if match else {}).items()))
    return f"{request.method} {name} {args}".strip()[:200]


def _body(request: Request) -> Any:
    data = request.data
    if hasattr(data, "lists"):  # a QueryDict (form or multipart): every value of every field, files too
        return dict(data.lists())
    return data


Guard = Callable[..., None]  # called as the method is: (view, request, *args, **kwargs)


def idempotent(
    *, required: bool = False, replay_status: int | None = None, guard: Guard | None = None
) -> Callable[[Any], Any]:
    """Make an APIView method run once per `Idempotency-Key` (see the module's docstring).

    `replay_status` answers a replay with that status instead of the first one's (placing answers
    200 to a retry, as its contract always said). `guard(view, request, *args, **kwargs)` runs before
    the key is read: the wrong person is told 403 or 404 before being told the key is missing, and
    learns nothing from the key's state."""

    def decorate(method: Callable[..., Response]) -> Callable[..., Response]:
        @functools.wraps(method)
        def wrapper(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
            if guard is not None:
                guard(view, request, *args, **kwargs)
            sent = request.headers.get(HEADER)
            if sent is None and not required:
                return method(view, request, *args, **kwargs)
            key = idempotency_key_clean(sent)
            user_id = request.user.pk
            assert user_id is not None  # the view's IsAuthenticated ran before its method
            endpoint = _endpoint(request)
            fingerprint = request_fingerprint(endpoint=endpoint, body=_body(request))
            try:
                with transaction.atomic():
                    earlier = idempotent_request_claim(
                        user_id=user_id, key=key, endpoint=endpoint, fingerprint=fingerprint
                    )
                    if earlier is not None:
                        assert earlier.status_code is not None
                        return Response(earlier.response, status=replay_status or earlier.status_code)
                    response = method(view, request, *args, **kwargs)
                    if not 200 <= response.status_code < 300:
                        raise _Refused(response)
                    idempotent_request_answer(
                        user_id=user_id, key=key, status_code=response.status_code, response=response.data
                    )
                    return response
            except _Refused as refused:
                return refused.response

        return extend_schema(parameters=[idempotency_header(required=required)])(wrapper)

    return decorate
