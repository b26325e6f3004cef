"""Every error under /api/ is JSON in DRF's shape, `{"detail": ...}`, even the ones Django itself
answers before or outside a DRF view; pages keep their HTML error pages."""

import pytest
from django.test import Client
from django.urls import reverse

from marketplace import views
from tests import factories as f


def _assert_api_error(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert isinstance(response.json()["detail"], str) and response.json()["detail"]


@pytest.mark.django_db
def test_an_unknown_address_under_api_answers_json_404(client):
    _assert_api_error(client.get("/api/v1/no-such-thing/"), 404)
    _assert_api_error(client.post("/api/v2/orders/", {}), 404)


@pytest.mark.django_db
def test_an_unknown_page_still_answers_the_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_a_bad_host_under_api_answers_json_400(client):
    _assert_api_error(client.get("/api/v1/belts/", HTTP_HOST="attacker.example"), 400)


@pytest.mark.django_db
@pytest.mark.urls("tests.marketplace.urls_crash")
def test_a_crash_under_api_answers_json_500_without_details():
    response = Client(raise_request_exception=False).get("/api/v1/crash/")
    _assert_api_error(response, 500)
    assert "RuntimeError" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls("tests.marketplace.urls_crash")
def test_a_crash_on_a_page_answers_the_html_500():
    response = Client(raise_request_exception=False).get("/crash/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
@pytest.mark.urls("tests.marketplace.urls_crash")
def test_a_refused_csrf_check_under_api_answers_json_403():
    user = f.UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    _assert_api_error(client.post("/api/v1/plain-form/"), 403)
    html = client.post("/plain-form/")
    assert (html.status_code, html["Content-Type"].startswith("text/html")) == (403, True)


@pytest.mark.django_db
def test_a_method_an_api_operation_does_not_have_answers_json_405(client):
    _assert_api_error(client.delete(reverse("api:belt-list")), 405)


def test_the_error_handlers_are_wired():
    from marketplace import urls

    assert (urls.handler400, urls.handler403, urls.handler404, urls.handler500) == (
        views.bad_request,
        views.permission_denied,
        views.page_not_found,
        views.server_error,
    )


# --- the schema and its Swagger UI: public only when API_SCHEMA_PUBLIC is on ----------------------


@pytest.mark.django_db
def test_schema_and_docs_are_not_found_when_not_public(client, settings):
    settings.API_SCHEMA_PUBLIC = False
    _assert_api_error(client.get(reverse("api-schema")), 404)
    _assert_api_error(client.get(reverse("api-docs")), 404)
    client.force_login(f.UserFactory())
    _assert_api_error(client.get(reverse("api-schema")), 404)


@pytest.mark.django_db
def test_staff_read_the_schema_and_docs_when_not_public(client, settings, staff):
    settings.API_SCHEMA_PUBLIC = False
    client.force_login(staff)
    assert client.get(reverse("api-schema"), {"format": "json"}).status_code == 200
    assert client.get(reverse("api-docs")).status_code == 200


@pytest.mark.django_db
def test_schema_and_docs_are_public_when_the_setting_says_so(client, settings):
    settings.API_SCHEMA_PUBLIC = True
    assert client.get(reverse("api-schema"), {"format": "json"}).status_code == 200
    assert client.get(reverse("api-docs")).status_code == 200


@pytest.mark.django_db
def test_the_footer_links_the_api_docs_only_when_they_are_readable(client, settings):
    settings.API_SCHEMA_PUBLIC = False
    assert reverse("api-docs") not in client.get("/").content.decode()
    settings.API_SCHEMA_PUBLIC = True
    assert reverse("api-docs") in client.get("/").content.decode()
