"""What the verifier says about a signed certificate, in the reader's language (API and command)."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from .signing import Verdict, Verification

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

VERDICT_MESSAGES: dict[str, "StrOrPromise"] = {
    Verdict.VALID: _("Genuine: signed by Belt Marketplace and in force."),
    Verdict.BAD_SIGNATURE: _("Not genuine: the signature does not match. The certificate was altered or forged."),
    Verdict.UNKNOWN_KEY: _("Not genuine: it names a signing key that Belt Marketplace has not published."),
    Verdict.EXPIRED: _("Genuine, but expired: it was valid until %(until)s."),
    Verdict.NOT_YET_VALID: _("Genuine, but not in force yet: it is valid from %(start)s."),
    Verdict.REVOKED: _("Genuine, but no longer current: the platform's revocation list marks it “%(status)s”."),
}


def verdict_message(verification: Verification) -> str:
    payload = verification.payload or {}
    revocation = verification.revocation or {}
    status = str(revocation.get("status", ""))
    if revocation.get("since"):
        status = f"{status}, {revocation['since']}"
    return str(VERDICT_MESSAGES[verification.verdict]) % {
        "until": payload.get("valid_until", ""),
        "start": payload.get("valid_from", ""),
        "status": status,
    }
