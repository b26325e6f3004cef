"""Start `make run` as a person would (no DATABASE_URL, no REDIS_URL), check it, stop it with Ctrl-C.

Checks: /healthz answers, then /readyz (the worker's heartbeat included); the home page lists the
seeded belts; the separate Celery worker makes the thumbnails the seed queued, and the thumbnail of
a picture an admin uploads in Django admin (in Chromium); one SIGINT stops every process, the
embedded server too.
"""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = os.environ.get("SMOKE_PORT", "8765")
BASE = f"http://127.0.0.1:{PORT}"


def get(path: str) -> str:
    with urllib.request.urlopen(BASE + path, timeout=10) as response:  # noqa: S310 (our own server)
        return response.read().decode()


def wait_for(what: str, check, seconds: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                print(f"ok: {what}", flush=True)
                return
        except Exception:  # noqa: S110 (not up yet)
            pass
        time.sleep(1)
    raise SystemExit(f"FAILED: {what} within {seconds:.0f} s")


def ready() -> bool:
    return json.loads(get("/readyz"))["status"] == "ok"


def thumbnails_made() -> bool:
    # Few requests per try: the API throttles anonymous clients.
    listings = json.loads(get("/api/v1/listings/?page_size=12"))["results"]
    pictures = []
    for listing in listings:
        pictures += json.loads(get(f"/api/v1/listings/{listing['id']}/"))["images"]
    return bool(pictures) and all(p["thumbnail"] for p in pictures)


def admin_uploads_a_picture() -> int:
    """Sign in to Django admin in Chromium, add a picture to a listing without one; return its id."""
    import shutil
    import tempfile

    from PIL import Image
    from playwright.sync_api import sync_playwright

    listings = json.loads(get("/api/v1/listings/?page_size=12"))["results"]
    target = next(
        listing["id"] for listing in listings if not json.loads(get(f"/api/v1/listings/{listing['id']}/"))["images"]
    )
    picture = Path(tempfile.mkdtemp()) / "factory-floor.png"
    Image.new("RGB", (1600, 1200), (30, 90, 160)).save(picture)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-background-networking"]
        )
        page = browser.new_page()
        page.goto(f"{BASE}/admin/login/")
        page.fill("#id_username", "admin@demo.test")
        page.fill("#id_password", "demo-pass-2026")
        page.click("input[type=submit]")
        page.goto(f"{BASE}/admin/catalog/listing/{target}/change/")
        page.set_input_files("input[type=file][name$='-upload']", str(picture))
        page.click("input[name=_save]")
        page.wait_for_url(f"{BASE}/admin/catalog/listing/")
        browser.close()
    return target


def uploaded_thumbnail_made(listing_id: int) -> bool:
    images = json.loads(get(f"/api/v1/listings/{listing_id}/"))["images"]
    return bool(images) and all(i["thumbnail"] for i in images)


def stop(process: subprocess.Popen[bytes]) -> bool:
    """Ctrl-C, as a terminal sends it to the foreground group; SIGKILL if that has no effect in 60 s."""
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=60)
        return True
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        return False


def main() -> int:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["PORT"] = PORT
    env["API_THROTTLE_ANON"] = "100000/minute"  # this script polls the API; a buyer would not
    log = open(ROOT / "var" / "smoke-run.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        ["make", "run"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        wait_for("the site answers", lambda: json.loads(get("/healthz"))["status"] == "ok", 300)
        # 503 (an error here, so tried again) until the beat's first heartbeat has run on the worker.
        wait_for("the site is ready: database, cache, broker, worker", ready, 120)
        home = get("/")
        for belt in ("wuhan-laser", "shishi-textiles", "xinjiang-farm-produce"):
            assert f"/belts/{belt}/" in home, f"home page lacks belt {belt}"
        print("ok: home page lists the seeded belts", flush=True)
        wait_for("the worker made the queued thumbnails", thumbnails_made, 180)
        listing_id = admin_uploads_a_picture()
        print(f"ok: admin uploaded a picture to listing {listing_id} in Django admin", flush=True)
        wait_for("the worker made the uploaded picture's thumbnail", lambda: uploaded_thumbnail_made(listing_id), 120)
    except BaseException:
        print((ROOT / "var" / "smoke-run.log").read_text()[-5000:], file=sys.stderr)
        stop(process)  # orderly, so no server is left holding the port or the data folder
        raise
    if not stop(process):
        raise SystemExit("FAILED: make run did not stop within 60 s of Ctrl-C")
    leftovers = subprocess.run(
        ["pgrep", "-f", f"runserver 127.0.0.1:{PORT}|celery -A marketplace|var/postgres"],
        capture_output=True,
        text=True,
    ).stdout.split()
    if leftovers:
        raise SystemExit(f"FAILED: processes left running after Ctrl-C: {leftovers}")
    print("ok: one Ctrl-C stopped every process", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
