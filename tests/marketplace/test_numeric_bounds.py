"""Numbers inside their columns: every numeric input of every form and of every API request body
has an upper bound no larger than the database column it ends in, so a number too large is a
message and never a database error.

The forms are found by walking every module of the project's apps, the API inputs by walking the
OpenAPI schema: a new form or endpoint is held to the rule without being listed here.
"""

import importlib
import pkgutil
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.core.validators import MaxValueValidator
from drf_spectacular.generators import SchemaGenerator

from marketplace.bounds import ID_MAX

PAGING = ("page", "page_size")
APPS = ("accounts", "belts", "buyers", "catalog", "orders", "suppliers", "marketplace")


def _import_every_module() -> None:
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in module.name and not module.name.endswith("devstack"):
                importlib.import_module(module.name)


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def project_forms() -> list[type[forms.BaseForm]]:
    _import_every_module()
    found = {c for c in _subclasses(forms.BaseForm) if c.__module__.split(".")[0] in APPS}
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _limit_of(validators: list[Any]) -> Decimal | None:
    limits = [Decimal(str(v.limit_value)) for v in validators if isinstance(v, MaxValueValidator)]
    return min(limits) if limits else None


def form_field_bound(form_class: type[forms.BaseForm], name: str, field: forms.Field) -> Decimal | None:
    """The largest value `field` lets through: its max_value, a MaxValueValidator, its digits, or
    (for a model form) the range validators of its model field, which the form's model validation runs."""
    bounds = []
    if getattr(field, "max_value", None) is not None:
        bounds.append(Decimal(str(field.max_value)))
    if (limit := _limit_of(field.validators)) is not None:
        bounds.append(limit)
    if isinstance(field, forms.DecimalField) and field.max_digits is not None:
        bounds.append(Decimal(10) ** (field.max_digits - (field.decimal_places or 0)))
    meta = getattr(form_class, "_meta", None)
    model = getattr(meta, "model", None)
    if model is not None:
        try:
            model_field = model._meta.get_field(name)
        except Exception:  # a form field without a model field of that name
            model_field = None
        if model_field is not None:
            if (limit := _limit_of(model_field.validators)) is not None:
                bounds.append(limit)
            if getattr(model_field, "max_digits", None):
                bounds.append(Decimal(10) ** (model_field.max_digits - model_field.decimal_places))
    return min(bounds) if bounds else None


def test_every_numeric_field_of_every_form_has_an_upper_bound_within_a_column(record_property):
    numeric = (forms.IntegerField, forms.DecimalField, forms.FloatField)
    checked, unbounded = 0, []
    for form_class in project_forms():
        for name, field in form_class.base_fields.items():
            if not isinstance(field, numeric):
                continue
            checked += 1
            bound = form_field_bound(form_class, name, field)
            if bound is None or bound > ID_MAX:
                unbounded.append(f"{form_class.__module__}.{form_class.__qualname__}.{name}")
    record_property("figure", f"numeric bounds: {checked} numeric form fields checked")
    assert checked >= 20  # the walk found the forms (search, listing, cart, RFQ, quote, company…)
    assert not unbounded, f"numeric form fields without an upper bound: {unbounded}"


# --- the API: every numeric input in a request body or a query string ---------------------------


def _api_numeric_inputs() -> Iterator[tuple[str, dict[str, Any]]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]

    def resolve(node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = components[node["$ref"].rsplit("/", 1)[-1]]
        return node

    def walk(node: dict[str, Any], where: str) -> Iterator[tuple[str, dict[str, Any]]]:
        node = resolve(node)
        for key in ("allOf", "oneOf", "anyOf"):
            for sub in node.get(key, []):
                yield from walk(sub, where)
        kind = node.get("type")
        if kind == "object" or "properties" in node:
            for name, prop in node.get("properties", {}).items():
                if not (prop.get("readOnly") or resolve(prop).get("readOnly")):
                    yield from walk(prop, f"{where}.{name}")
        elif kind == "array":
            yield from walk(node.get("items", {}), f"{where}[]")
        elif kind in ("integer", "number") or node.get("format") == "decimal":
            yield where, node

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                # Paging is never stored: `page_size` is clamped to 100 (`page_size_from`), a page
                # number past the last answers 404.
                if parameter.get("in") == "query" and parameter["name"] not in PAGING:
                    yield from walk(parameter.get("schema", {}), f"{method.upper()} {path} ?{parameter['name']}")
            for content_type, body in operation.get("requestBody", {}).get("content", {}).items():
                if content_type == "application/json":
                    yield from walk(body["schema"], f"{method.upper()} {path} body")


def _schema_bound(node: dict[str, Any]) -> Decimal | None:
    if node.get("maximum") is not None:
        return Decimal(str(node["maximum"]))
    pattern = node.get("pattern", "")
    if node.get("format") == "decimal" and pattern.startswith(r"^-?\d{0,"):
        return Decimal(10) ** int(pattern[len(r"^-?\d{0,") :].split("}", 1)[0])
    return None


@pytest.mark.django_db
def test_every_numeric_input_of_the_api_has_an_upper_bound_in_the_schema(record_property):
    """Request bodies and query strings: the schema states the bound the serializer enforces, so
    clients (and schemathesis) know it and the boundary itself is tried."""
    inputs = list(_api_numeric_inputs())
    unbounded = [where for where, node in inputs if (b := _schema_bound(node)) is None or b > ID_MAX]
    record_property("figure", f"numeric bounds: {len(inputs)} numeric API inputs checked")
    assert len(inputs) >= 30
    assert not unbounded, f"numeric API inputs without an upper bound: {unbounded}"
