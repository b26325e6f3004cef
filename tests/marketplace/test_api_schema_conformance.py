"""The API answers exactly as its OpenAPI schema says: `schemathesis run --checks all` finds
nothing, anonymous, as a buyer, as a supplier and as a belt operator.

schemathesis' engine (what its CLI runs: examples, coverage, fuzzing and stateful phases) drives the
project's WSGI application in this process, on the test database, with a bounded number of
examples per operation. The test prints its figure per role (operations, test cases, failures);
a failure is printed with its check, operation and message.

The anonymous pass runs every operation: the public ones as anyone reads them, and every other
one's refusal. A signed-in role runs the operations it may use (ROLE_OPERATIONS); every other one
answers it 403 or 404 whatever it is sent, which tests/test_access_matrix.py checks for every API
route and role, so running them again here would only repeat one refusal a thousand times.
"""

import base64
import collections
from dataclasses import dataclass

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from schemathesis.engine import events, from_schema

from tests import factories as f
from tests.orders.factories import make_rfq, quote_for
from tests.suppliers.factories import application

PASSWORD = "correct-horse-battery"  # tests/factories.py
MAX_EXAMPLES = 4  # per operation and phase: the three roles take about a minute on two cores

# Checks or statuses relaxed for some operations, each with its reason. Everything else runs
# every check with schemathesis' defaults.
ACCEPTS_400_FOR_VALID_DATA = {
    # A signed certificate is an object whose signature must verify: a schema-valid but unsigned
    # document is refused with 400 by design (telling them apart is the operation's purpose).
    "signed_certificate_verify",
    # Rules between parameters (`price_min` not above `price_max`) and cursors the server made
    # itself are beyond what OpenAPI 3.0 can state; each refusal names its parameter.
    "listings_list",
    # These bodies name other objects by id or slug (a listing, a variant, a category, a belt, a
    # supplier, a quote, one's own production site) and must fit the listing's quantity rules (MOQ,
    # order multiple) and dates (a deadline in the future): a schema-valid value that names nothing
    # or breaks a rule answers 400 with the field's message.
    "orders_create",
    "rfqs_create",
    "rfqs_award",
    "rfq_opportunities_quote",
    "inquiries_create",
    "saved_suppliers_create",
    "my_listings_create",
    "my_listings_update",
    "my_listings_partial_update",
    # A lot names its listings by id (one's own, sold in the lot's unit), its code is unique per
    # supplier and its dates come in order (packed, best before after the harvest): 400 with the
    # field's message. Closing is safe to repeat; editing a closed lot answers 400 with the reason.
    "my_lots_create",
    "my_lots_update",
    "my_lots_certificate_add",
    # A certificate for export is checked by its document's content (a PDF or a picture) and its
    # date (valid until today or later): a schema-valid upload that is neither answers 400.
    "my_listings_certificates_create",
    # A company address names a country by its ISO code (two letters that name no country are
    # refused) and a company keeps at most ADDRESSES_MAX of them: 400 with the field's message.
    "buyer_addresses_create",
    "buyer_addresses_update",
    "buyer_addresses_partial_update",
    # Publishing checks the listing is complete (a price tier, a certified enough supplier) and
    # answers 400 with what is missing; a step its status does not allow (unpublishing an archived
    # listing) answers 400 with the reason.
    "my_listings_publish",
    "my_listings_unpublish",
    "my_listings_archive",
    "my_listings_restore",
    # A webhook URL must be reachable on a public address (a name is resolved, a private or
    # loopback target is refused) and a company keeps at most MAX_ENDPOINTS: 400 with the field's
    # message. An API token's expiry must lie in the future.
    "webhooks_create",
    "webhooks_partial_update",
    "me_tokens_create",
    # The cart holds only what its listings' rules accept (a listing by id, its variants, its MOQ and
    # order multiple); checkout places what the cart holds (an empty cart is refused).
    "cart_items_create",
    "cart_lines_partial_update",
    "cart_checkout",
    # An application can change only until it is submitted (the world's supplier is certified), names
    # its belt and categories by slug, and is submitted only when complete: 400 with the reason.
    "my_application_partial_update",
    "my_application_submit",
    "my_application_sites_create",
    "my_application_sites_destroy",
    "my_application_documents_create",
    "my_application_documents_destroy",
    # Uploads are refused by their content (not a picture, not a readable workbook) and a new order
    # of pictures must name every picture of the listing once.
    "my_listing_images_create",
    "my_listing_images_order",
    "my_listing_imports_create",
    # A belt operator's brand licence names a supplier of its belt by id and the belt's categories by
    # slug, comes with its signed document (a PDF or a picture) and ends in the future; a bulk invitation
    # is a readable CSV file: 400 with the field's message.
    "operator_brand_licences_grant",
    "operator_invitation_imports_create",
    # Cancelling an RFQ tells the suppliers why: a reason of spaces only (or none) is refused.
    "rfqs_cancel",
    # An invitation needs a valid address that is not a member already; a company keeps its last member.
    "buyer_team_invitations_create",
    "buyer_team_members_destroy",
}
# Creates that take an Idempotency-Key: schemathesis sends one generated key again with other bodies,
# which is refused with 422 by design (docs/api.md, "Idempotency keys").
TAKES_IDEMPOTENCY_KEY = {
    "buyer_addresses_create", "buyer_team_invitations_create", "cart_checkout", "cart_items_create",
    "inquiries_create", "inquiries_messages_create", "my_application_documents_create",
    "my_application_sites_create", "my_listing_images_create", "my_listing_imports_create",
    "my_listings_certificates_create", "my_listings_create", "my_listings_duplicate", "my_lots_certificate_add",
    "my_lots_create", "operator_applications_recommend", "operator_brand_licences_grant",
    "operator_invitation_imports_create", "orders_create", "orders_dispute_answer", "orders_dispute_open",
    "orders_protection_confirm_delivery", "orders_protection_open", "rfq_opportunities_quote", "rfqs_award",
    "rfqs_create", "saved_suppliers_create",
}  # fmt: skip
OPERATIONS: list[dict] = [
    {
        "include-operation-id": sorted(ACCEPTS_400_FOR_VALID_DATA),
        "checks": {
            "positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", 400, 401, 403, 404, 409, 422, 429]}
        },
    },
    {
        "include-operation-id": sorted(TAKES_IDEMPOTENCY_KEY - ACCEPTS_400_FOR_VALID_DATA),
        "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", 401, 403, 404, 409, 422, 429]}},
    },
]


@dataclass(frozen=True)
class Uses:
    """The operations a signed-in role may use: those of its tags and `also`, less `but_not`."""

    tags: frozenset[str]
    also: frozenset[str] = frozenset()
    but_not: frozenset[str] = frozenset()

    def __call__(self, operation_id: str, tags: list[str]) -> bool:
        return operation_id not in self.but_not and (operation_id in self.also or bool(self.tags.intersection(tags)))


# What anyone may read answers a signed-in client as it answers an anonymous one, so it runs in the
# anonymous pass only; a listing's page is the exception (its supplier previews its own drafts).
PUBLIC_TAGS = frozenset({"belts", "categories", "certificates", "listings", "lots", "suppliers", "verify"})
# Staff decisions on applications: their refusal runs in the anonymous pass; staff's own use is
# tested in tests/suppliers (a superuser signs in by session, not by the API's HTTP Basic).
REFUSAL_ONLY_TAGS = frozenset({"staff"})
PARTIES = frozenset({"inquiries", "orders", "webhooks"})  # a buyer's and a supplier's alike
ROLE_OPERATIONS = {
    "buyer": Uses(
        tags=PARTIES | {"buyer", "cart", "rfqs", "saved-suppliers"},
        also=frozenset({"me_tokens_list", "me_tokens_create", "me_tokens_revoke"}),  # everyone's own tokens
        but_not=frozenset({"orders_confirm"}),  # the supplier's step: 403 to a buyer
    ),
    "supplier": Uses(
        tags=PARTIES | {"me", "rfq-opportunities"},
        also=frozenset({"listings_retrieve"}),  # its drafts' preview
        but_not=frozenset({"orders_create", "inquiries_create"}),  # the buyer's: 403 to a supplier
    ),
    "operator": Uses(tags=frozenset({"operator"}), also=frozenset({"belt_analytics"})),
}


def _config(auth: tuple[str, str] | None) -> schemathesis.Config:
    data: dict = {
        "checks": {"enabled": True},  # --checks all
        "generation": {"max-examples": MAX_EXAMPLES},
        "seed": 12,  # the same cases on every run: a failure here is reproducible
        "cache": {"enabled": False},
        "operations": OPERATIONS,
    }
    if not auth:
        # An operation that needs a sign-in refuses an anonymous client (403) before it reads anything
        # it is sent, so the coverage phase's hundred boundary cases per operation would check one
        # refusal a hundred times: here they run for the public operations, and the signed-in passes
        # run them for the rest. Every operation's refusal is still asked with generated valid and invalid data
        # (the examples and fuzzing phases), with and without made-up credentials (`ignored_auth`).
        data["operations"] = [
            *OPERATIONS,
            {"exclude-tag": sorted(PUBLIC_TAGS), "phases": {"coverage": {"enabled": False}}},
        ]
    if auth:
        # HTTP Basic, as an API client signs in (session cookies are for the site's own pages).
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        data["headers"] = {"Authorization": f"Basic {token}"}
        # `ignored_auth` sends requests without and with made-up credentials; the header above
        # would replace its made-up ones with real ones, so it runs in the anonymous pass only,
        # which sends no credentials and covers every operation the same way.
        data["checks"]["ignored_auth"] = {"enabled": False}
        # For the same reason no request leaves out or spoils the schema's own security parameters
        # (the session cookie): the header signs it in anyway, so it is not the negative case it seems.
        data["generation"]["with-security-parameters"] = False
    return schemathesis.Config.from_dict(data)


def _schema(auth: tuple[str, str] | None = None):
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application(), config=_config(auth))


def _uses(role: str, operation) -> bool:
    return ROLE_OPERATIONS[role](operation.schema.get_operation_id(operation), operation.tags or [])


def _run(role: str, auth: tuple[str, str] | None) -> tuple[int, collections.Counter[str], list[str]]:
    schema = _schema(auth)
    if role in ROLE_OPERATIONS:
        # An exclusion: the configuration's per-operation settings (OPERATIONS) make schemathesis add
        # an inclusion that matches every operation, and any one inclusion is enough to be included.
        schema = schema.exclude(lambda context: not _uses(role, context.operation))
    operations: set[str] = set()
    cases: collections.Counter[str] = collections.Counter()  # test cases per phase
    failures: list[str] = []
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            operations.add(event.recorder.label)
            cases[event.phase.value] += len(event.recorder.cases)
            for case_id, checks in event.recorder.checks.items():
                for check in checks:
                    if check.status.name == "FAILURE" and check.failure_info is not None:
                        failure = check.failure_info.failure
                        node = event.recorder.cases.get(case_id)
                        where = node.value.operation.label if node is not None else event.recorder.label
                        failures.append(
                            f"{event.recorder.label} ({where}): {check.name}: {failure.title}: {failure.message}"
                        )
        elif isinstance(event, events.NonFatalError | events.FatalError):
            failures.append(f"engine error: {event.info.format() if hasattr(event, 'info') else event}")
    return len(operations - {"Stateful tests"}), cases, failures


@pytest.fixture
def world(transactional_db):
    """A certified supplier with a public listing and an RFQ routed to it, a buyer, the operator of
    the supplier's belt with an application waiting in it, and their sign-ins: enough for the
    generated requests to reach real objects, not only 404s."""
    member = f.SupplierMemberFactory()
    listing = f.ListingFactory(supplier=member.supplier)
    buyer = f.BuyerMemberFactory()
    rfq = make_rfq(buyer.user, category=listing.category, routed_to=[member.supplier])
    quote_for(rfq, member.user)
    operator = f.BeltOperatorFactory(belt=member.supplier.belt).user
    application(member.supplier.belt)
    return {"buyer": buyer.user.email, "supplier": member.user.email, "operator": operator.email, "rfq": rfq}


def check_role(role: str, world, record_property) -> None:
    """Runs schemathesis as `role` (anonymous: over the whole API; a signed-in role: over
    ROLE_OPERATIONS); each role's run is a test module of its own, so pytest-xdist spreads them
    over its workers."""
    auth = world.get(role)
    operations, cases, found = _run(role, (auth, PASSWORD) if auth else None)
    phases = ", ".join(f"{phase} {n}" for phase, n in sorted(cases.items()))
    figure = (
        f"schemathesis {role}: {operations} operations, {cases.total()} test cases ({phases}), {len(found)} failures"
    )
    record_property("figure", figure)  # printed at the end of the run (tests/conftest.py)
    print("\n" + figure)
    distinct = list(collections.OrderedDict.fromkeys(line.split("\n\n")[0] for line in found))
    assert not found, "\n".join(f"[{role}] {line}" for line in distinct[:60])


def test_schemathesis_finds_nothing_for_an_anonymous_client(world, record_property):
    check_role("anonymous", world, record_property)


def test_every_operation_is_run_by_a_role_that_may_use_it(db):
    """Each operation of the schema is public (the anonymous pass reads it), used by a signed-in
    role's pass, or only refused (staff's); each role's tags and operations exist. A new tag or
    operation must be placed here, or it would run only as the anonymous pass's refusal."""
    schema = _schema()
    operations = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        operations[schema.get_operation_id(operation)] = operation
    tags = {tag for operation in operations.values() for tag in operation.tags or []}
    for role, uses in ROLE_OPERATIONS.items():
        assert uses.tags <= tags, (role, uses.tags - tags)
        assert uses.also | uses.but_not <= operations.keys(), (role, (uses.also | uses.but_not) - operations.keys())
    assert tags >= PUBLIC_TAGS | REFUSAL_ONLY_TAGS
    unplaced = [
        operation_id
        for operation_id, operation in operations.items()
        if not (PUBLIC_TAGS | REFUSAL_ONLY_TAGS).intersection(operation.tags or [])
        and not any(_uses(role, operation) for role in ROLE_OPERATIONS)
    ]
    assert not unplaced, unplaced
