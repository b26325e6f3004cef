"""The API's schema conformance (tests/marketplace/test_api_schema_conformance.py) for a signed-in
supplier: schemathesis over the operations a supplier may use (ROLE_OPERATIONS), with its HTTP
Basic sign-in."""

from tests.marketplace.test_api_schema_conformance import check_role, world  # noqa: F401  (world: a fixture)


def test_schemathesis_finds_nothing_for_a_supplier(world, record_property):  # noqa: F811
    check_role("supplier", world, record_property)
