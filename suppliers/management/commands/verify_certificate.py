"""Check a signed certificate with the published keys alone: no database, no network.

    manage.py verify_certificate certificate.json --keys certificate-keys.json \
        [--revocations certificate-revocations.json] [--on 2027-01-31]

The keys and the revocation list are the files published at /.well-known/certificate-keys.json
and /.well-known/certificate-revocations.json. Exit status 0 for a genuine certificate in force,
1 for any other verdict, 2 when a file cannot be read or is not what it should be.
"""

import datetime
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from suppliers.signing import CERTIFICATE_FORMAT as FORMAT
from suppliers.signing import (
    BadSignature,
    KeyRing,
    MalformedDocument,
    UnknownKey,
    parse_document,
    revocations_index,
    verify_certificate,
)
from suppliers.verdicts import verdict_message


def _read(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read the {what} {path}: {exc.strerror}", returncode=2) from exc


def _json(path: str, what: str) -> object:
    try:
        return json.loads(_read(path, what))
    except (UnicodeDecodeError, ValueError) as exc:
        raise CommandError(f"the {what} {path} is not JSON", returncode=2) from exc


class Command(BaseCommand):
    help = "Verify a signed certificate with the published keys (and revocation list), without the database."
    requires_system_checks: list[str] = []  # the checks read the database's migrations; this runs without one

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("certificate", help="The signed certificate (certificate.json).")
        parser.add_argument("--keys", required=True, help="The published keys (certificate-keys.json).")
        parser.add_argument("--revocations", help="The published revocation list (certificate-revocations.json).")
        parser.add_argument("--on", type=datetime.date.fromisoformat, help="Check validity on this day (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            keys = KeyRing.from_published(_json(options["keys"], "key set"))
        except MalformedDocument as exc:
            raise CommandError(f"the key set is not usable: {exc}", returncode=2) from exc
        revoked = None
        if options["revocations"]:
            try:
                revoked = revocations_index(_json(options["revocations"], "revocation list"), keys=keys)
            except (MalformedDocument, UnknownKey, BadSignature) as exc:
                raise CommandError(
                    "the revocation list is not signed by a published key; it cannot be trusted", returncode=2
                ) from exc
        try:
            document = parse_document(_read(options["certificate"], "certificate"), format=FORMAT)
            verification = verify_certificate(
                document, keys=keys, today=options["on"] or timezone.localdate(), revoked=revoked
            )
        except MalformedDocument as exc:
            raise CommandError(f"not a signed certificate: {exc}", returncode=2) from exc
        lines = [f"{verification.verdict}: {verdict_message(verification)}", f"key: {verification.kid}"]
        if verification.payload is not None:
            payload = verification.payload
            supplier = payload.get("supplier") or {}
            lines += [
                f"company: {supplier.get('name_en', '')} · {supplier.get('name_zh', '')}",
                f"level: {payload.get('level')}",
                f"valid: {payload.get('valid_from')} – {payload.get('valid_until')}",
                f"code: {payload.get('code')}",
            ]
        if revoked is None:
            lines.append("revocations: not checked (no --revocations list given)")
        self.stdout.write("\n".join(lines))
        if not verification.valid:
            raise CommandError(verification.verdict, returncode=1)
