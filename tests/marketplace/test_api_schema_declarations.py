"""The schema declares what the API answers: nullable fields as nullable, cursor-paged lists as
pages (not arrays), and every operation's error statuses with their JSON bodies."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CURSOR_LISTS = [
    "/api/v1/orders/",
    "/api/v1/rfqs/",
    "/api/v1/rfq-opportunities/",
    "/api/v1/me/listings/",
    "/api/v1/suppliers/",
    "/api/v1/inquiries/",
    "/api/v1/saved-suppliers/",
    "/api/v1/buyer/addresses/",
]


@pytest.fixture
def schema(client):
    return client.get(reverse("api-schema"), {"format": "json"}).json()


def _resolve(schema, ref_or_schema):
    ref = ref_or_schema.get("$ref")
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else ref_or_schema


def test_a_top_level_categorys_parent_and_an_rfqs_belt_are_declared_nullable(schema):
    assert schema["components"]["schemas"]["CategoryOutput"]["properties"]["parent"]["nullable"] is True
    assert schema["components"]["schemas"]["RfqDetail"]["properties"]["belt"]["nullable"] is True


@pytest.mark.parametrize("path", CURSOR_LISTS)
def test_a_paged_list_is_declared_as_a_page_with_next_previous_and_results(schema, path):
    operation = schema["paths"][path]["get"]
    page = _resolve(schema, operation["responses"]["200"]["content"]["application/json"]["schema"])
    assert page["type"] == "object"
    assert {"next", "previous", "results"} <= set(page["properties"])
    assert page["properties"]["next"]["nullable"] is True
    assert page["properties"]["results"]["type"] == "array"
    assert {"cursor", "page_size"} <= {p["name"] for p in operation["parameters"]} or {"page", "page_size"} <= {
        p["name"] for p in operation["parameters"]
    }


def test_every_operation_documents_its_error_statuses_with_a_json_body(schema):
    missing = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            expected = {"400", "429"}
            if any(operation.get("security", [])):
                expected |= {"403", "404"}
            if {} not in operation.get("security", [{}]) and method in ("post", "put", "patch", "delete"):
                expected.add("409")
            for status in sorted(expected):
                body = responses.get(status, {}).get("content", {}).get("application/json", {}).get("schema", {})
                if body.get("$ref") not in ("#/components/schemas/Error", "#/components/schemas/ValidationError"):
                    missing.append(f"{method.upper()} {path} {status}")
    assert not missing, missing


def test_the_error_bodies_are_drfs_shape(schema):
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["detail"] and error["properties"]["detail"]["type"] == "string"
    assert "non_field_errors" in schema["components"]["schemas"]["ValidationError"]["properties"]
