"""Fetch axe-core, the accessibility engine the browser tests run on every page, from the npm registry.

    python scripts/fetch_axe.py          # writes var/axe/axe.min.js unless it is already there

The version and the registry's sha512 integrity of its tarball are pinned below: a tarball that
does not match is refused, so the tests never run a script they did not ask for. Only Python is
needed (no npm): `make test-deps` runs this once per checkout. The browser loads the script from
that local file (tests/browser/conftest.py), never from the network.
"""

from __future__ import annotations

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "4.14.1"
TARBALL = f"https://registry.npmjs.org/axe-core/-/axe-core-{VERSION}.tgz"
INTEGRITY = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
MEMBER = "package/axe.min.js"
TARGET = Path(__file__).resolve().parent.parent / "var" / "axe" / "axe.min.js"
MAX_BYTES = 20 * 1024 * 1024


def fetch(target: Path = TARGET) -> Path:
    """The path of axe.min.js, downloaded and checked first when it is missing."""
    if target.exists():
        return target
    with urllib.request.urlopen(TARBALL, timeout=60) as response:  # nosec B310 (a fixed https URL)
        data = response.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise SystemExit(f"{TARBALL} is larger than {MAX_BYTES:,} bytes: refused.")
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != INTEGRITY:
        raise SystemExit(f"{TARBALL} does not match its pinned integrity ({digest}): refused.")
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        member = archive.extractfile(MEMBER)
        if member is None:
            raise SystemExit(f"{MEMBER} is missing from {TARBALL}.")
        script = member.read()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(script)
    partial.replace(target)  # atomic: a reader sees the whole file or none
    return target


if __name__ == "__main__":
    path = fetch()
    sys.stdout.write(f"axe-core {VERSION}: {path}\n")
