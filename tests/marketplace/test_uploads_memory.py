"""An image at the pixel cap is re-encoded in the request with one decoded copy in memory.

Run in a child process under an address-space limit: a check that holds two or three decoded
copies of a 40-megapixel photo (160 MB each) fails with a MemoryError instead of passing.
"""

import io
import json
import subprocess
import sys
import textwrap

from django.conf import settings
from PIL import Image

HEADROOM_BYTES = 320 * 1024 * 1024

CLEAN_IN_A_CHILD = textwrap.dedent(
    """
    import json, os, resource, sys, time
    import django
    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from marketplace.uploads import clean_image_upload

    data = open(sys.argv[1], "rb").read()
    with open("/proc/self/statm") as statm:
        size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    resource.setrlimit(resource.RLIMIT_AS, (size + int(sys.argv[2]), resource.RLIM_INFINITY))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    try:
        clean = clean_image_upload(SimpleUploadedFile("photo.jpg", data))
        outcome = {"result": "accepted", "name": clean.name}
    except Exception as exc:
        outcome = {"result": repr(exc)}
    outcome["seconds"] = round(time.monotonic() - started, 2)
    outcome["peak_growth_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024
    print(json.dumps(outcome))
    """
)


def test_a_photo_at_the_pixel_cap_is_re_encoded_within_one_decoded_copy(tmp_path):
    width, height = 6000, 6600  # 39.6 megapixels, just under UPLOAD_IMAGE_MAX_PIXELS
    assert width * height <= settings.UPLOAD_IMAGE_MAX_PIXELS
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(out, format="JPEG", quality=80)
    path = tmp_path / "photo.jpg"
    path.write_bytes(out.getvalue())

    done = subprocess.run(
        [sys.executable, "-c", CLEAN_IN_A_CHILD, str(path), str(HEADROOM_BYTES)],
        cwd=settings.BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "marketplace.settings.test", "PATH": "/usr/bin:/bin",
             "DATABASE_URL": "postgres://unused@127.0.0.1:1/unused", "REDIS_URL": ""},
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        f"\n40-megapixel JPEG re-encoded in the request: {outcome['result']} in {outcome['seconds']} s, "
        f"peak memory +{outcome['peak_growth_mb']} MB"
    )
    assert outcome["result"] == "accepted", outcome
    assert outcome["peak_growth_mb"] < 256
