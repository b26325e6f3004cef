"""Signed certificates: Ed25519 signatures over canonical JSON, checked with published keys alone.

Pure: no database, no Django settings; the verifier command, the API and the settings use it.

A signed document is `{"format": …, "payload": {…}, "signature": {"alg": "Ed25519", "kid": …,
"value": <base64url>}}`. The signature covers the document without `signature.value`, in the
canonical form: `json.dumps(…, sort_keys=True, separators=(",", ":"), ensure_ascii=False)` as
UTF-8. So the format, the key id and the payload are all bound to it; a document written in that
same form has no byte that could change without the check failing.

Published keys are a JWK set (RFC 8037 OKP keys, `alg` "Ed25519" as in RFC 9864), each with a
`status`: the active key signs, retired keys are still published so older documents verify.
"""

import base64
import binascii
import datetime
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALG = "Ed25519"
CERTIFICATE_FORMAT = "belt-marketplace-certificate/1"
REVOCATIONS_FORMAT = "belt-marketplace-certificate-revocations/1"
KEYS_FORMAT = "belt-marketplace-certificate-keys/1"
KID_SHAPE = re.compile(r"[A-Za-z0-9._-]{1,64}")
_B64URL = re.compile(r"[A-Za-z0-9_-]*")


class SigningConfigError(ValueError):
    """The configured signing keys cannot be used (the settings turn it into ImproperlyConfigured)."""


class MalformedDocument(ValueError):
    """The input is not a signed document of the expected format."""


# --- encodings -----------------------------------------------------------------------------------


def canonical(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    """Strict base64url without padding: a text that does not re-encode to itself is refused, so no
    two texts stand for the same bytes (the last character's spare bits cannot be altered)."""
    if not isinstance(text, str) or not _B64URL.fullmatch(text):
        raise MalformedDocument("not base64url")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise MalformedDocument("not base64url") from exc
    if b64url(raw) != text:
        raise MalformedDocument("not canonical base64url")
    return raw


# --- keys ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SigningKey:
    kid: str
    active: bool
    public: Ed25519PublicKey
    private: Ed25519PrivateKey | None = None

    @property
    def status(self) -> str:
        return "active" if self.active else "retired"

    def public_b64(self) -> str:
        return b64url(self.public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))

    def jwk(self) -> dict[str, str]:
        return {
            "kty": "OKP",
            "crv": "Ed25519",
            "alg": ALG,
            "use": "sig",
            "kid": self.kid,
            "x": self.public_b64(),
            "status": self.status,
        }


def private_key_pem(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def private_key_from_seed(seed: bytes) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(seed).digest())


def _load_private(pem: str, kid: str) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError) as exc:
        raise SigningConfigError(f"certificate signing key {kid!r}: not a readable unencrypted PEM key") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningConfigError(f"certificate signing key {kid!r}: not an Ed25519 key")
    return key


def _load_public(text: str, kid: str) -> Ed25519PublicKey:
    try:
        return Ed25519PublicKey.from_public_bytes(b64url_decode(text))
    except (MalformedDocument, ValueError) as exc:
        raise SigningConfigError(f"certificate signing key {kid!r}: public_key is not 32 bytes of base64url") from exc


def signing_keys_config(entries: object) -> list[dict[str, Any]]:
    """The `CERTIFICATE_SIGNING_KEYS` setting checked and normalised, or SigningConfigError.

    Each entry: `kid`, `active` (exactly one entry is), and its key: `private_key` (PEM text),
    `private_key_file` (a path to a PEM file, read now) or, for a retired key whose private half
    has been destroyed, `public_key` (base64url). The result holds `kid`, `active`, and
    `private_key` (PEM) or `public_key`.
    """
    if not isinstance(entries, list) or not entries:
        raise SigningConfigError("CERTIFICATE_SIGNING_KEYS must be a non-empty JSON list of keys")
    normalised: list[dict[str, Any]] = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise SigningConfigError("each entry of CERTIFICATE_SIGNING_KEYS must be a JSON object")
        kid = entry.get("kid")
        if not isinstance(kid, str) or not KID_SHAPE.fullmatch(kid):
            raise SigningConfigError("each certificate signing key needs a kid of letters, digits, '.', '_', '-'")
        unknown = set(entry) - {"kid", "active", "private_key", "private_key_file", "public_key"}
        if unknown:
            raise SigningConfigError(f"certificate signing key {kid!r}: unknown fields {sorted(unknown)}")
        active = entry.get("active", False)
        if not isinstance(active, bool):
            raise SigningConfigError(f"certificate signing key {kid!r}: active must be true or false")
        sources = [name for name in ("private_key", "private_key_file", "public_key") if entry.get(name)]
        if len(sources) != 1:
            raise SigningConfigError(
                f"certificate signing key {kid!r}: give exactly one of private_key, private_key_file, public_key"
            )
        item: dict[str, Any] = {"kid": kid, "active": active}
        if sources == ["public_key"]:
            if active:
                raise SigningConfigError(f"certificate signing key {kid!r}: the active key needs its private key")
            _load_public(entry["public_key"], kid)
            item["public_key"] = entry["public_key"]
        else:
            pem = entry.get("private_key") or ""
            if sources == ["private_key_file"]:
                try:
                    pem = Path(entry["private_key_file"]).read_text()
                except OSError as exc:
                    raise SigningConfigError(f"certificate signing key {kid!r}: cannot read its file ({exc})") from exc
            _load_private(pem, kid)
            item["private_key"] = pem
        normalised.append(item)
    kids = [item["kid"] for item in normalised]
    if len(set(kids)) != len(kids):
        raise SigningConfigError("CERTIFICATE_SIGNING_KEYS has two keys with the same kid")
    if sum(item["active"] for item in normalised) != 1:
        raise SigningConfigError("exactly one of CERTIFICATE_SIGNING_KEYS must be active")
    return normalised


class KeyRing:
    """The platform's keys: the active one signs, every one (active or retired) verifies."""

    def __init__(self, keys: list[SigningKey]) -> None:
        self.keys = {key.kid: key for key in keys}

    @classmethod
    def from_config(cls, entries: list[dict[str, Any]]) -> "KeyRing":
        keys = []
        for entry in entries:
            kid = entry["kid"]
            if entry.get("private_key"):
                private = _load_private(entry["private_key"], kid)
                keys.append(SigningKey(kid=kid, active=entry["active"], public=private.public_key(), private=private))
            else:
                keys.append(SigningKey(kid=kid, active=False, public=_load_public(entry["public_key"], kid)))
        return cls(keys)

    @classmethod
    def from_published(cls, published: object) -> "KeyRing":
        """The keys of a published key set (`published_keys`): public halves only."""
        if not isinstance(published, dict) or not isinstance(published.get("keys"), list):
            raise MalformedDocument("a key set is a JSON object with a list of keys")
        keys = []
        for jwk in published["keys"]:
            if not isinstance(jwk, dict) or jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
                continue  # keys of other kinds are not ours to use
            kid = jwk.get("kid")
            if not isinstance(kid, str) or not isinstance(jwk.get("x"), str):
                raise MalformedDocument("a published key needs a kid and x")
            try:
                public = Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))
            except ValueError as exc:
                raise MalformedDocument(f"published key {kid!r} is not an Ed25519 public key") from exc
            keys.append(SigningKey(kid=kid, active=jwk.get("status") == "active", public=public))
        return cls(keys)

    @property
    def signer(self) -> SigningKey:
        return next(key for key in self.keys.values() if key.active and key.private is not None)

    def published(self) -> dict[str, Any]:
        """The public key set, for `/.well-known/certificate-keys.json`: active first, then by kid."""
        ordered = sorted(self.keys.values(), key=lambda key: (not key.active, key.kid))
        return {"format": KEYS_FORMAT, "keys": [key.jwk() for key in ordered]}


# --- signing and checking ------------------------------------------------------------------------


def _signing_input(document: Mapping[str, Any]) -> bytes:
    signature = {k: v for k, v in document["signature"].items() if k != "value"}
    return canonical({**document, "signature": signature})


def sign_document(*, format: str, payload: dict[str, Any], keys: KeyRing) -> dict[str, Any]:
    """`payload` signed with the active key, as a document of `format`."""
    key = keys.signer
    assert key.private is not None  # the signer always has its private half
    document: dict[str, Any] = {"format": format, "payload": payload, "signature": {"alg": ALG, "kid": key.kid}}
    document["signature"]["value"] = b64url(key.private.sign(_signing_input(document)))
    return document


def document_bytes(document: Mapping[str, Any]) -> bytes:
    """The document as a file: its canonical form, so it has no insignificant byte."""
    return canonical(document)


def parse_document(raw: bytes | str, *, format: str) -> dict[str, Any]:
    """A document read from bytes, in the expected shape, or MalformedDocument."""
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise MalformedDocument("not JSON") from exc
    return check_shape(document, format=format)


def check_shape(document: object, *, format: str) -> dict[str, Any]:
    if not isinstance(document, dict) or set(document) != {"format", "payload", "signature"}:
        raise MalformedDocument("a signed document has exactly format, payload and signature")
    if document["format"] != format:
        raise MalformedDocument(f"not a document of format {format}")
    signature = document["signature"]
    if not isinstance(document["payload"], dict) or not isinstance(signature, dict):
        raise MalformedDocument("payload and signature must be JSON objects")
    if set(signature) != {"alg", "kid", "value"} or signature["alg"] != ALG:
        raise MalformedDocument(f"the signature must be alg {ALG} with kid and value")
    if not isinstance(signature["kid"], str) or not isinstance(signature["value"], str):
        raise MalformedDocument("the signature's kid and value must be strings")
    return document


class UnknownKey(Exception):
    pass


class BadSignature(Exception):
    pass


def check_signature(document: Mapping[str, Any], *, keys: KeyRing) -> SigningKey:
    """The key that signed `document` (already shape-checked), or UnknownKey / BadSignature."""
    key = keys.keys.get(document["signature"]["kid"])
    if key is None:
        raise UnknownKey(document["signature"]["kid"])
    try:
        signature = b64url_decode(document["signature"]["value"])
        key.public.verify(signature, _signing_input(document))
    except (MalformedDocument, InvalidSignature) as exc:
        raise BadSignature from exc
    return key


# --- the verdict on a certificate ----------------------------------------------------------------


class Verdict:
    VALID = "valid"
    BAD_SIGNATURE = "bad_signature"
    UNKNOWN_KEY = "unknown_key"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    REVOKED = "revoked"
    CHOICES = (VALID, BAD_SIGNATURE, UNKNOWN_KEY, EXPIRED, NOT_YET_VALID, REVOKED)


@dataclass(frozen=True)
class Verification:
    verdict: str
    kid: str
    payload: dict[str, Any] | None  # only once the signature holds
    revocation: dict[str, Any] | None = None  # the revocation list's entry, when listed
    revocations_checked: bool = False

    @property
    def valid(self) -> bool:
        return self.verdict == Verdict.VALID


def revocations_index(revocations: object, *, keys: KeyRing) -> dict[str, dict[str, Any]]:
    """The entries of a signed revocation list by code; MalformedDocument, UnknownKey or
    BadSignature when the list itself does not hold, since an unsigned list could hide a revocation."""
    document = check_shape(revocations, format=REVOCATIONS_FORMAT)
    check_signature(document, keys=keys)
    entries = document["payload"].get("revoked")
    if not isinstance(entries, list):
        raise MalformedDocument("a revocation list has a list of revoked certificates")
    return {entry["code"]: entry for entry in entries if isinstance(entry, dict) and isinstance(entry.get("code"), str)}


def verify_certificate(
    document: object,
    *,
    keys: KeyRing,
    today: datetime.date,
    revoked: Mapping[str, dict[str, Any]] | None = None,
) -> Verification:
    """The verdict on a signed certificate: its signature against `keys`, then the revocation list
    (`revoked`, from `revocations_index`; None when none was given), then its validity dates on
    `today`. MalformedDocument when it is not a certificate document at all."""
    document = check_shape(document, format=CERTIFICATE_FORMAT)
    kid = document["signature"]["kid"]
    try:
        check_signature(document, keys=keys)
    except UnknownKey:
        return Verification(Verdict.UNKNOWN_KEY, kid, None, revocations_checked=revoked is not None)
    except BadSignature:
        return Verification(Verdict.BAD_SIGNATURE, kid, None, revocations_checked=revoked is not None)
    payload = document["payload"]
    listed = (revoked or {}).get(str(payload.get("code", "")))
    if listed is None and payload.get("status", "active") != "active":
        listed = {"code": payload.get("code"), "status": payload["status"], "since": None}  # ended by its own words
    if listed is not None:
        return Verification(Verdict.REVOKED, kid, payload, revocation=listed, revocations_checked=True)
    try:
        valid_from = datetime.date.fromisoformat(payload["valid_from"])
        valid_until = datetime.date.fromisoformat(payload["valid_until"])
    except (KeyError, TypeError, ValueError) as exc:
        raise MalformedDocument("a certificate needs valid_from and valid_until dates") from exc
    checked = revoked is not None
    if valid_until < today:
        return Verification(Verdict.EXPIRED, kid, payload, revocations_checked=checked)
    if valid_from > today:
        return Verification(Verdict.NOT_YET_VALID, kid, payload, revocations_checked=checked)
    return Verification(Verdict.VALID, kid, payload, revocations_checked=checked)
