"""Repeated failed sign-ins lock the account from that address (django-axes)."""

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
