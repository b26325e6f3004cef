"""Pages of the catalog: browsing, search, a supplier's listing management and imports."""
