"""Signed certificates on the web: the published keys, the revocation list, and a certificate's file."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from ..certificates import (
    certificate_document,
    certificate_get_for_signing,
    certificate_keyring,
    certificate_revocations_document,
)
from ..signing import document_bytes

# Keys change only with a deployment; the revocation list is drawn up again on each request, and a
# verifier that caches it sees a revocation at most this late.
KEYS_MAX_AGE = 60 * 60
REVOCATIONS_MAX_AGE = 5 * 60


def _json(body: bytes, *, max_age: int) -> HttpResponse:
    response = HttpResponse(body, content_type="application/json")
    patch_cache_control(response, public=True, max_age=max_age)
    response["Access-Control-Allow-Origin"] = "*"  # public facts: any verifier, from any origin
    return response


@require_GET
def certificate_keys(request: HttpRequest) -> HttpResponse:
    """/.well-known/certificate-keys.json: every public key that signs or signed certificates."""
    return _json(document_bytes(certificate_keyring().published()), max_age=KEYS_MAX_AGE)


@require_GET
def certificate_revocations(request: HttpRequest) -> HttpResponse:
    """/.well-known/certificate-revocations.json: the signed list of certificates that have ended."""
    return _json(document_bytes(certificate_revocations_document()), max_age=REVOCATIONS_MAX_AGE)


@require_GET
def certificate_download(request: HttpRequest, code: str) -> HttpResponse:
    """The signed certificate with exactly this code, as a file; 404 for an unknown or ended one."""
    certification = certificate_get_for_signing(code=code)
    if certification is None:
        raise Http404("No such certificate")
    response = HttpResponse(document_bytes(certificate_document(certification)), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certification.code}.json"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
