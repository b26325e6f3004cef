"""Where the suppliers app lets the apps above keep their copies true or lend it a part of a read
(marketplace.hooks).

`certification_changed(supplier_ids, belt_ids)`: run inside the transaction of every service that
changes a supplier's certification (certify, reject, downgrade, suspend: suppliers.services.certification).
"""

from typing import Any

from django.db.models import IntegerField, Value

from marketplace.hooks import Hook, Provider

certification_changed = Hook("suppliers.certification_changed")


def _no_listings(**kwargs: Any) -> Value:
    return Value(0, output_field=IntegerField())


# `belt_listing_count(categories=[ids])`: an expression over a belt row (OuterRef("pk")) counting
# its public listings in those categories or their subcategories, for the belt step of the
# application. The catalog provides it; alone, the suppliers app counts none.
belt_listing_count = Provider("suppliers.belt_listing_count", default=_no_listings)


# `badges_audited(record, today)`: run by the nightly badge audit (suppliers.services.badges) after
# the suppliers' own badges; each app above recomputes its copies of them from scratch, repairs
# them, and calls `record(suppliers.badges.Drift)` for each copy that was wrong.
badges_audited = Hook("suppliers.badges_audited")
