"""The catalog's API: public reads, a supplier's own listings, the supplier search."""
