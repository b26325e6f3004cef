"""The points where a supplier's change lets the apps above keep their copies true (marketplace.hooks).

`certification_changed(supplier_ids, belt_ids)`: run inside the transaction of every service that
changes a supplier's certification (certify, reject, downgrade, suspend: suppliers.services.certification).
"""

from marketplace.hooks import Hook

certification_changed = Hook("suppliers.certification_changed")
