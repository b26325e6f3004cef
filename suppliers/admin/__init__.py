"""Django admin for the platform's certification staff: the queue, the application, the decisions.

Staff read an application here and decide through actions. Every decision calls a service in
`suppliers.services`, which locks the supplier, changes it and writes the immutable
SupplierEvent; nothing in this package sets a status or a level. No supplier is edited here:
the application is the applicant's own words, and the certification fields belong to the
services.

- `queue.py`: the queue's annotations and filters;
- `supplier.py`: the supplier admin (queue columns, the read-only application page);
- `decisions.py`: the actions and their confirmation pages;
- `records.py`: certifications, audit checklists, the audit trail, belt operators;
- `badges.py`: the nightly badge audits and the drift each found.
"""

from . import badges, licences, records, supplier

__all__ = ["badges", "licences", "records", "supplier"]
