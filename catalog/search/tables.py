"""The lower apps' tables the search's SQL reads (the catalog sits above them; they never read it)."""

from __future__ import annotations

from belts.models import Belt, Category
from suppliers.models import ProductionSite, Supplier

SUPPLIER_TABLE = Supplier._meta.db_table
SITE_TABLE = ProductionSite._meta.db_table
BELT_TABLE = Belt._meta.db_table
CATEGORY_TABLE = Category._meta.db_table
