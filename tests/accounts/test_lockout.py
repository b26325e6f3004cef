"""Repeated failed sign-ins lock the account from that address (django-axes): one lock per
normalised email and address, for the sign-in form and HTTP Basic auth alike."""

import base64

from axes.models import AccessAttempt
from django.urls import reverse

from tests import factories as f


def test_after_five_failures_even_the_right_password_is_refused(client, db, settings):
    user = f.UserFactory(email="target@example.test")
    url = reverse("accounts:login")
    statuses = [
        client.post(url, {"username": user.email, "password": "wrong-password"}).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    # The form again, with its error, until the limit; the failure that reaches it locks.
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    locked = client.post(url, {"username": user.email, "password": "correct-horse-battery"})
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_success_before_the_limit_resets_the_count(client, db, settings):
    user = f.UserFactory(email="forgetful@example.test")
    url = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(url, {"username": user.email, "password": "wrong-password"})
    assert client.post(url, {"username": user.email, "password": "correct-horse-battery"}).status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(url, {"username": user.email, "password": "wrong-password"})
    assert client.post(url, {"username": user.email, "password": "correct-horse-battery"}).status_code == 302


# --- one lock per person and address, however the address is typed, whichever way they sign in ---

ME = "/api/v1/me/listings/"


def _basic(email: str, password: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"{email}:{password}".encode()).decode()}


def test_failures_in_any_letter_case_count_against_one_lock(client, db, settings):
    user = f.UserFactory(email="casey@example.test")
    url = reverse("accounts:login")
    spellings = ["casey@example.test", "CASEY@example.test", "Casey@Example.Test", " casey@EXAMPLE.test "]
    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": spellings[i % len(spellings)], "password": "wrong-password"})
    for spelling in spellings:  # no other spelling gets around the lock, even with the right password
        assert client.post(url, {"username": spelling, "password": "correct-horse-battery"}).status_code == 429
    assert "_auth_user_id" not in client.session
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {user.email}


def test_basic_auth_failures_are_recorded_with_their_username_and_lock_only_that_account(client, db, settings):
    target = f.UserFactory(email="target-api@example.test", role="supplier")
    bystander = f.UserFactory(email="bystander@example.test", role="supplier")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert client.get(ME, **_basic("Target-API@example.test", "wrong")).status_code in (401, 403, 429)
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {target.email}
    # The account under attack is locked for Basic auth from this address, whatever the spelling…
    assert client.get(ME, **_basic(target.email, "correct-horse-battery")).status_code in (401, 403, 429)
    # …and nobody else is: another account from the same address still signs in.
    assert client.get(ME, **_basic(bystander.email, "correct-horse-battery")).status_code not in (401, 429)
