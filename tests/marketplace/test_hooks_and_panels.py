"""The two ways a higher app keeps to its side of the layering (marketplace.hooks, .panels):
a lower service runs a hook the higher app connected; a lower page renders the panels higher
apps added to its slots."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from catalog.figures import belt_figures_refresh_after_certification
from marketplace.hooks import Hook
from marketplace.panels import Panel, Slot, slot_get
from suppliers import hooks as supplier_hooks
from suppliers import slots as supplier_slots
from suppliers.services import supplier_reject
from tests import factories as f


def test_a_hook_runs_its_callbacks_once_each_in_order():
    hook, calls = Hook("test.hook"), []

    def first(**kwargs):
        calls.append(("first", kwargs))

    def second(**kwargs):
        calls.append(("second", kwargs))

    hook.connect(first)
    hook.connect(second)
    hook.connect(first)  # a second ready() keeps one
    hook.run(supplier_ids=[1])
    assert calls == [("first", {"supplier_ids": [1]}), ("second", {"supplier_ids": [1]})]
    Hook("test.unconnected").run(anything=1)  # nobody listening is fine


def test_the_catalog_keeps_its_belt_figures_through_the_suppliers_hook():
    assert belt_figures_refresh_after_certification in supplier_hooks.certification_changed._callbacks


@pytest.mark.django_db
def test_a_certification_decision_runs_the_hook_inside_its_transaction(supplier, django_capture_on_commit_callbacks):
    seen = []

    def record(*, supplier_ids, belt_ids):
        from django.db import connection

        seen.append((list(supplier_ids), list(belt_ids), connection.in_atomic_block))

    supplier_hooks.certification_changed.connect(record)
    try:
        staff = f.UserFactory(is_staff=True)
        applicant = f.ApplicantSupplierFactory(belt=supplier.belt, status="submitted")
        with django_capture_on_commit_callbacks():
            supplier_reject(supplier=applicant, actor=staff, reason="The licence was forged")
    finally:
        supplier_hooks.certification_changed.disconnect(record)
    assert seen == [([applicant.pk], [supplier.belt_id], True)]


def test_a_slot_renders_its_panels_with_the_page_context_and_their_own(tmp_path, settings):
    (tmp_path / "panel.html").write_text("[{{ page_word }} {{ own_word }}]")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    slot = Slot("test.page.place")
    try:
        slot.add(Panel("panel.html", lambda context: {"own_word": context["page_word"].upper()}))
        html = Template('{% load panels %}<p>{% panels "test.page.place" %}</p>').render(Context({"page_word": "belt"}))
        assert html == "<p>[belt BELT]</p>"
    finally:
        del Slot.registry["test.page.place"]


def test_an_unknown_slot_is_an_error_not_an_empty_space():
    with pytest.raises(LookupError):
        slot_get("suppliers.no.such.place")
    with pytest.raises(ValueError):
        Slot("suppliers.dashboard.trade")  # declared once, by the suppliers app


def test_the_higher_apps_fill_the_lower_pages():
    templates = {
        slot: [panel.template for panel in slot.panels]
        for slot in vars(supplier_slots).values()
        if isinstance(slot, Slot)
    }
    assert templates[supplier_slots.dashboard_trade] == [
        "orders/partials/supplier_dashboard_trade.html",
        "orders/partials/dashboard_integrations.html",
        "analytics/partials/supplier_dashboard_link.html",
    ]
    assert templates[supplier_slots.dashboard_listings] == ["catalog/partials/supplier_dashboard_listings.html"]
    assert templates[supplier_slots.profile_listings] == ["catalog/partials/supplier_profile_listings.html"]
    assert templates[supplier_slots.profile_actions] == ["buyers/partials/supplier_actions.html"]


@pytest.mark.django_db
def test_the_profile_panel_pages_the_suppliers_public_listings(supplier, category):
    f.ListingFactory.create_batch(3, supplier=supplier, category=category, status="published")
    request = RequestFactory().get("/", {"page": "1"})
    (panel,) = supplier_slots.profile_listings.panels
    page = panel.context(Context({"supplier": supplier, "request": request}))["page"]
    assert page.number == 1


def test_a_provider_answers_with_the_higher_apps_implementation_or_its_default():
    from marketplace.hooks import Provider
    from suppliers.hooks import belt_listing_count

    provider = Provider("test.provider", default=lambda **kw: "default")
    assert provider(categories=[1]) == "default"
    provider.provide(lambda **kw: f"counted {kw['categories']}")
    assert provider(categories=[1]) == "counted [1]"
    with pytest.raises(ValueError):
        provider.provide(lambda **kw: "a second implementation")
    # The catalog counts a belt's listings for the suppliers' application belt step.
    from catalog.selectors import belt_listing_count_in_categories

    assert belt_listing_count.implementation is belt_listing_count_in_categories
