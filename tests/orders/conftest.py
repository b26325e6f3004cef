"""Fixtures of the trade tests. One clearly marked section per helper; append, don't rewrite."""

# --- placing, cart, stock (helper "ho": tests/orders/factories.py, its "ho" section) ----------------
from .factories import listing, other_listing  # noqa: F401
# --- end of placing ---------------------------------------------------------------------------------
