"""Fixtures of the trade tests, one marked section per part of the trade."""

# --- placing, cart, stock (tests/orders/factories.py, its "placing" section) ----------------------
from .factories import listing, other_listing  # noqa: F401
# --- end of placing -------------------------------------------------------------------------------
