"""Make a new Ed25519 certificate signing key and print its CERTIFICATE_SIGNING_KEYS entry."""

import json
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management.base import BaseCommand, CommandError, CommandParser

from suppliers.signing import KID_SHAPE, private_key_pem


class Command(BaseCommand):
    help = "Print a new certificate signing key as an entry of CERTIFICATE_SIGNING_KEYS (keep it secret)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kid", required=True, help="The key's id, e.g. the month it starts signing: 2027-01.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not KID_SHAPE.fullmatch(options["kid"]):
            raise CommandError("a kid is 1 to 64 letters, digits, '.', '_' or '-'")
        pem = private_key_pem(Ed25519PrivateKey.generate())
        self.stdout.write(json.dumps({"kid": options["kid"], "active": True, "private_key": pem}))
