"""Numbers are written with the digits 0-9: full-width ("１２"), Arabic-Indic ("١٢") or Devanagari
("१२") digits and Python's underscores ("1_000") are refused with a clear message by every number
field of the API and of the forms, where Python's int() and Decimal() would have read them."""

import importlib
import pkgutil

import pytest
from django import forms
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers
from rest_framework.test import APIClient

from catalog.filters import ListingSearchForm
from marketplace import numbers, strict_fields
from marketplace.numbers import ASCII_DIGITS_MESSAGE
from orders.forms.cart import CartLineQuantityForm
from orders.models import Order
from tests import factories as f
from tests.orders.factories import PLACING_TERMS

FOREIGN = ["１２", "١٢", "१२", "1_000", "12\u3000"]
APPS = ("accounts", "belts", "suppliers", "catalog", "buyers", "orders", "marketplace")


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("quantity", FOREIGN)
def test_an_order_quantity_in_other_digits_is_refused_and_nothing_is_placed(buyer, quantity):
    listing = f.ListingFactory()
    data = {"kind": "bulk", "lines": [{"listing": listing.pk, "quantity": quantity}], **PLACING_TERMS}
    response = api(buyer).post("/api/v1/orders/", data, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 400, response.json()
    assert str(ASCII_DIGITS_MESSAGE) in str(response.json()["lines"]), response.json()
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_an_order_quantity_in_ascii_digits_as_text_still_places(buyer):
    listing = f.ListingFactory()
    data = {"kind": "bulk", "lines": [{"listing": listing.pk, "quantity": "12"}], **PLACING_TERMS}
    response = api(buyer).post("/api/v1/orders/", data, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 201, response.json()


@pytest.mark.django_db
def test_a_search_filter_in_other_digits_is_refused_by_the_api(client):
    response = client.get("/api/v1/listings/", {"quantity": "１２", "moq_max": "١٠٠"})
    assert response.status_code == 400
    assert response.json() == {"quantity": [str(ASCII_DIGITS_MESSAGE)], "moq_max": [str(ASCII_DIGITS_MESSAGE)]}
    assert set(client.get("/api/v1/listings/", {"price_max": "١٠٠"}).json()) == {"price_max"}


@pytest.mark.django_db
def test_a_page_size_in_other_digits_or_words_is_refused(client):
    assert client.get("/api/v1/suppliers/", {"page_size": "１２"}).status_code == 400
    assert client.get("/api/v1/listings/", {"page_size": "ten"}).status_code == 400
    assert client.get("/api/v1/listings/", {"page_size": "12"}).status_code == 200


@pytest.mark.django_db
def test_a_whole_page_size_written_with_a_decimal_point_reads_as_that_number(client):
    """`12.0` is a whole number as the digits rule reads it (and as a JSON client may write one):
    the list answers, paged by it, where int() alone failed with a server error."""
    f.SupplierFactory.create_batch(3)
    answer = client.get("/api/v1/suppliers/", {"page_size": "2.0"})
    assert answer.status_code == 200 and len(answer.json()["results"]) == 2
    assert client.get("/api/v1/listings/", {"page_size": " +3.00 "}).status_code == 200


@pytest.mark.django_db
def test_a_page_size_given_twice_is_refused(client):
    """The schema's `page_size` is one integer: two of them answer 400 rather than one picked."""
    answer = client.get("/api/v1/suppliers/?page_size=2&page_size=3")
    assert answer.status_code == 400 and set(answer.json()) == {"page_size"}
    assert client.get("/api/v1/listings/?page_size=2&page_size=2").status_code == 400


@pytest.mark.parametrize("quantity", ["١٢", "१२", "1_000"])
def test_the_cart_form_refuses_a_quantity_in_other_scripts_digits(quantity):
    """A quantity a person types is read like the listing page's grid (marketplace.numbers
    .parse_quantity): full-width digits are the same digits and pass; other scripts' do not."""
    form = CartLineQuantityForm(data={"quantity": quantity})
    assert not form.is_valid()
    assert form.errors["quantity"] == [str(numbers.QUANTITY_DIGITS_MESSAGE)]
    assert CartLineQuantityForm(data={"quantity": "12"}).is_valid()


@pytest.mark.parametrize("quantity", ["１２", "12\u3000"])
def test_the_cart_form_reads_full_width_digits_and_spaces(quantity):
    form = CartLineQuantityForm(data={"quantity": quantity})
    assert form.is_valid() and form.cleaned_data["quantity"] == 12


def test_the_search_form_refuses_prices_in_other_digits():
    form = ListingSearchForm(data={"price_min": "１０.５"})
    assert not form.is_valid() and form.errors["price_min"] == [str(ASCII_DIGITS_MESSAGE)]


def test_the_message_is_translated():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert str(ASCII_DIGITS_MESSAGE) != "Write the number with the digits 0-9 only."


# --- every number field, now and later ------------------------------------------------------------


def _writable_number_fields(serializer, path=""):
    fields = serializer.child.fields if isinstance(serializer, serializers.ListSerializer) else serializer.fields
    for name, field in fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.ListSerializer | serializers.Serializer):
            yield from _writable_number_fields(field, f"{path}{name}.")
        elif isinstance(field, serializers.IntegerField | serializers.DecimalField | serializers.FloatField):
            yield f"{path}{name}", field


@pytest.mark.django_db
def test_every_number_field_a_client_writes_refuses_other_digits():
    """Walks every operation of the API (as the schema generator sees them) and every serializer
    it reads: a new input serializer with a plain DRF number field fails here."""
    generator = SchemaGenerator()
    checked, plain = 0, []
    generator._initialise_endpoints()
    for path, _path_regex, method, view_callback in generator.endpoints:
        if method not in ("POST", "PUT", "PATCH"):
            continue  # no body to read
        view = generator.create_view(view_callback, method)
        request_serializer = view.schema.get_request_serializer()
        candidates = request_serializer.values() if isinstance(request_serializer, dict) else [request_serializer]
        for candidate in candidates:
            if candidate is None or not hasattr(candidate, "fields"):
                continue
            instance = candidate() if isinstance(candidate, type) else candidate
            for name, field in _writable_number_fields(instance):
                checked += 1
                if not isinstance(
                    field, strict_fields.IntegerField | strict_fields.DecimalField | strict_fields.FloatField
                ):
                    plain.append(f"{method} {path}: {name} is a {type(field).__name__}")
    assert checked > 20
    assert not plain, "\n".join(plain)


def _form_classes():
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".forms" in module.name or module.name.endswith(("forms", "filters")):
                importlib.import_module(module.name)
    seen, stack = set(), [forms.BaseForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    return [c for c in seen if c.__module__.split(".")[0] in APPS and hasattr(c, "base_fields")]


def test_every_number_field_of_our_forms_refuses_other_digits():
    """Every form class of our apps (its declared and model-made fields): a new form with a plain
    Django number field fails here."""
    classes = _form_classes()
    plain = [
        f"{cls.__module__}.{cls.__name__}.{name} is a {type(field).__name__}"
        for cls in classes
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField)
        and not isinstance(field, numbers.AsciiIntegerField | numbers.AsciiDecimalField | numbers.AsciiFloatField)
    ]
    assert len(classes) > 20
    assert not plain, "\n".join(plain)
