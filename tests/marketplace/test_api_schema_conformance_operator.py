"""The API's schema conformance (tests/marketplace/test_api_schema_conformance.py) for a signed-in
belt operator: schemathesis over the operator's operations with its HTTP Basic sign-in."""

from tests.marketplace.test_api_schema_conformance import check_role, world  # noqa: F401  (world: a fixture)


def test_schemathesis_finds_nothing_for_a_belt_operator(world, record_property):  # noqa: F811
    check_role("operator", world, record_property)
