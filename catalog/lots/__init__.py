"""Lots: harvest or production batches a supplier ships listings from, traceable to their site.

`models` (Lot, LotCertificate, LotEvent), `services` (create, update, close, certificates, draw
for a shipment), `selectors` (scoped reads), `views` (supplier pages and the public lot page),
`api` (the supplier's lots and the public read), `forms`.
"""
