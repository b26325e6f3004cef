"""The OpenAPI schema's shared parts: the error bodies every operation may answer with, and who
may read the schema.

Every error under /api/ is JSON in DRF's shape (docs/api.md): `{"detail": "..."}`, plus extra keys
some errors carry (`available` for a stock shortage); a 400 for bad input names each field with its
messages instead. `document_errors` (a drf-spectacular post-processing hook) declares these bodies
once as the `Error` and `ValidationError` components and adds to every operation the error
statuses it can answer with, so an answer the API gives is always one its schema states.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An error: `detail` says what went wrong, in the language of the request. "
    "Some errors add keys (a stock shortage adds `available`).",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "additionalProperties": True,
}
VALIDATION_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Bad input: the messages of each field of the body or the query, keyed by the field's name "
    "(nested as the body is); `non_field_errors` or `detail` for the request as a whole.",
    "properties": {
        "detail": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
        "non_field_errors": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": True,
}

# Status → (description, component): what each error status means anywhere in the API.
ERRORS: dict[str, tuple[str, str]] = {
    "400": ("Bad input: the messages say which field and why.", "ValidationError"),
    "403": ("Not signed in, or not allowed to do this.", "Error"),
    "404": ("Not found, or not yours to see.", "Error"),
    "409": ("The current state does not allow this now (another step came first).", "Error"),
    "415": ("The body is not in a format this operation reads.", "Error"),
    "422": ("Refused as sent (an idempotency key reused for another body).", "Error"),
    "429": ("Too many requests: wait for the seconds in Retry-After.", "Error"),
}
_UNSAFE = {"post", "put", "patch", "delete"}


def _statuses(method: str, operation: dict[str, Any]) -> list[str]:
    statuses = ["400", "429"]
    if "requestBody" in operation:
        statuses.append("415")
    if any(p.get("name") == "Idempotency-Key" for p in operation.get("parameters", [])):
        statuses.append("422")  # the key sent before with another body, or to another operation
    security = operation.get("security", [])
    if not any(security):
        # No sign-in at all (a stateless public check): nothing to refuse or look up by person.
        return statuses
    statuses += ["403", "404"]  # CSRF refused for a signed-in page session, a step not yours, not found
    # A signed-in operation lists only named schemes; one open to anyone lists the empty `{}` too.
    # (Missing or wrong credentials answer 403, not 401: the API also takes the site's session, so
    # it sends no Basic challenge that would open a browser's sign-in dialog.)
    if {} not in security and method in _UNSAFE:
        statuses.append("409")
    return statuses


def document_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular post-processing hook: every operation states the error statuses it can
    answer with, each with its JSON body (see the module's docstring)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    schemas["ValidationError"] = VALIDATION_ERROR_SCHEMA
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            for status in sorted({*_statuses(method, operation), *(s for s in responses if s in ERRORS)}):
                description, component = ERRORS[status]
                response = responses.setdefault(status, {"description": description})
                response.setdefault(
                    "content", {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}}
                )
            operation["responses"] = dict(sorted(responses.items()))
    return result


def schema_is_readable(request: HttpRequest) -> bool:
    """The schema and its Swagger UI: public when settings.API_SCHEMA_PUBLIC is on (the default
    while DEBUG is on), otherwise only for staff signed in to the site."""
    return settings.API_SCHEMA_PUBLIC or getattr(request.user, "is_staff", False)
