"""The checkout page's terms: ship to a saved address (preselected, posted by id) or a new one that
may be saved to the company, bill to the same, a saved or a typed address, payment terms (net terms
only for approved companies), one fieldset per supplier with its Incoterm, place, payment terms,
deposit and note, the services' errors beside the right field with everything typed kept, the done
page with each order's terms and what happens next, isolation and the query budget.

Cast: `buyer` buys for `company`; its cart holds `listing` (of `supplier`) and `other_listing` (of
`other_supplier`).
"""

import pytest
from django.urls import reverse

from buyers.models import CompanyAddress
from buyers.services.addresses import address_save
from orders.models import CartLine, Order, Purchase
from tests import factories as f
from tests.conftest import client_for

from .factories import CartLineFactory, checkout_page_data

pytestmark = pytest.mark.django_db

CHECKOUT = reverse("orders:checkout")


@pytest.fixture
def company(buyer):
    return buyer.buyer_membership.company


@pytest.fixture
def cart(buyer, listing, other_listing):
    """Ten of `listing` (CNY 1,000.00) and ten of `other_listing` (CNY 125.00): two suppliers."""
    CartLineFactory(user=buyer, listing=listing, quantity=10)
    CartLineFactory(user=buyer, listing=other_listing, quantity=10)
    return {"first": listing.supplier_id, "second": other_listing.supplier_id}


@pytest.fixture
def warehouse(company, buyer):
    """The company's default shipping address (and its billing address: it is the first)."""
    return address_save(
        company=company,
        actor=buyer,
        data={"label": "Rotterdam warehouse", "recipient": "Goods in", "address": "Maasvlakte 2\n3199 LZ Rotterdam",
              "country": "NL", "phone": "+31 10 123 4567"},
    )  # fmt: skip


@pytest.fixture
def office(company, buyer, warehouse):
    """The company's billing address, in Belgium."""
    return address_save(
        company=company,
        actor=buyer,
        data={"label": "Head office", "address": "Meir 1\n2000 Antwerpen", "country": "BE", "is_billing": True},
    )


def page_data(client, **changes):
    page = client.get(CHECKOUT)
    assert page.status_code == 200
    return {**checkout_page_data(page), **changes}


def place(client, data):
    return client.post(CHECKOUT, data)


def orders_by_supplier():
    return {order.supplier_id: order for order in Order.objects.all()}


# --- what the page shows --------------------------------------------------------------------------


def test_the_default_address_is_preselected_and_the_billing_address_chosen_to_bill_to(buyer, cart, warehouse, office):
    page = client_for(buyer).get(CHECKOUT)
    html = page.content.decode()
    assert page.context["form"]["ship_address"].value() == str(warehouse.pk)
    assert page.context["form"]["bill_address"].value() == str(office.pk)
    assert f'<option value="{warehouse.pk}" data-text="Goods in\nMaasvlakte 2' in html
    assert 'data-country="NL" selected' in html
    # the text box shows what the order will say; the new-address box and saving are there too
    assert "Goods in\nMaasvlakte 2\n3199 LZ Rotterdam\n+31 10 123 4567</textarea>" in html  # the country: its own field
    assert 'data-testid="save-address"' in html and "/static/js/checkout.js" in html


def test_one_fieldset_per_supplier_however_many_orders_it_makes(buyer, cart, supplier, category):
    """A supplier's bulk and sample lines become two orders but one set of terms."""
    from .factories import listing_with

    sampled = listing_with(supplier, category, sample_available=True, sample_price="15.00")
    CartLineFactory(user=buyer, listing=sampled, quantity=1, kind="sample")
    html = client_for(buyer).get(CHECKOUT).content.decode()
    assert html.count('data-testid="supplier-terms"') == 2
    for supplier_id in cart.values():
        for name in ("incoterm", "incoterm_place", "payment_terms", "deposit_percent", "note"):
            assert f'name="{name}-{supplier_id}"' in html
    assert "quotes the freight (and for CIF the insurance)" in html


def test_net_terms_show_disabled_with_an_explanation_unless_the_company_is_approved(buyer, company, cart):
    html = client_for(buyer).get(CHECKOUT).content.decode()
    assert 'id="pt-net30" value="net30" aria-describedby="pt-net30-help" data-payment-terms disabled' in html
    assert "Open to companies approved for credit" in html
    assert '<option value="net60" disabled>' in html
    company.net_terms_approved = True
    company.save()
    html = client_for(buyer).get(CHECKOUT).content.decode()
    assert 'value="net30" aria-describedby="pt-net30-help" data-payment-terms>' in html
    assert "you pay within 30 days after shipping" in html and "Open to companies approved" not in html
    assert '<option value="net60" disabled>' not in html


# --- placing with the terms -------------------------------------------------------------------------


def test_each_supplier_gets_its_own_incoterm_place_payment_terms_deposit_and_note(buyer, cart, warehouse):
    client = client_for(buyer)
    first, second = cart["first"], cart["second"]
    data = page_data(
        client,
        **{
            f"incoterm-{first}": "CIF", f"incoterm_place-{first}": "Rotterdam", f"payment_terms-{first}": "deposit",
            f"deposit_percent-{first}": "30", f"note-{first}": "Pallets, please",
            f"incoterm-{second}": "FOB", f"incoterm_place-{second}": "Ningbo", f"note-{second}": "Labels in Dutch",
        },
    )  # fmt: skip
    response = place(client, data)
    assert response.status_code == 302, response.context["form"].errors
    orders = orders_by_supplier()
    cif, fob = orders[first], orders[second]
    assert (cif.incoterm, cif.incoterm_place, cif.payment_terms, cif.deposit_percent, cif.note) == (
        "CIF", "Rotterdam", "deposit", 30, "Pallets, please",
    )  # fmt: skip
    assert (fob.incoterm, fob.incoterm_place, fob.payment_terms, fob.deposit_percent, fob.note) == (
        "FOB", "Ningbo", "prepaid", None, "Labels in Dutch",
    )  # fmt: skip
    assert cif.shipping_address == fob.shipping_address == warehouse.shipping_text and cif.ship_to_country == "NL"
    assert cif.billing_address == warehouse.as_text  # the first address is the billing address too
    assert not CartLine.objects.exists()

    done = client.get(response["Location"])
    html = done.content.decode()
    cards = {
        card.split('data-supplier="')[1].split('"')[0]: card for card in html.split('data-testid="purchase-order"')[1:]
    }
    assert "CIF — Cost, insurance and freight · Rotterdam" in cards[str(first)]
    assert "Deposit, balance before shipping · 30 % deposit" in cards[str(first)]
    assert "sets the freight and the insurance when it confirms" in cards[str(first)]
    assert "FOB — Free on board · Ningbo" in cards[str(second)]
    assert "Prepaid: full payment before shipping" in cards[str(second)]
    assert "sets the freight" not in cards[str(second)]
    assert "What happens next" in html and "its page shows how and when to pay" in html


def test_a_supplier_left_as_chosen_above_takes_the_purchase_s_payment_terms(buyer, cart, warehouse):
    client = client_for(buyer)
    first, second = cart["first"], cart["second"]
    data = page_data(client, payment_terms="deposit", deposit_percent="50", **{f"payment_terms-{first}": "lc"})
    assert place(client, data).status_code == 302
    orders = orders_by_supplier()
    assert (orders[first].payment_terms, orders[first].deposit_percent) == ("lc", None)
    assert (orders[second].payment_terms, orders[second].deposit_percent) == ("deposit", 50)


def test_a_saved_address_posted_by_id_is_used_as_saved_whatever_the_text_box_says(buyer, cart, warehouse, office):
    """Without JavaScript the text box keeps what it showed; the address chosen is the one used."""
    client = client_for(buyer)
    data = page_data(client, ship_address=str(office.pk), shipping_address="stale text", ship_to_country="NL")
    assert place(client, data).status_code == 302
    order = Order.objects.first()
    assert (order.shipping_address, order.ship_to_country) == (office.shipping_text, "BE")


def test_another_company_s_address_id_is_refused_and_nothing_is_placed(buyer, cart, warehouse):
    stranger = f.BuyerMemberFactory().user
    theirs = address_save(
        company=stranger.buyer_membership.company,
        actor=stranger,
        data={"label": "Theirs", "address": "Elsewhere 1", "country": "DE"},
    )
    client = client_for(buyer)
    for field in ("ship_address", "bill_address"):
        response = place(client, page_data(client, **{field: str(theirs.pk)}))
        assert response.status_code == 200
        assert response.context["form"].errors[field] == ["This address is no longer saved: choose another one."]
        assert "Elsewhere 1" not in response.content.decode()
    assert not Purchase.objects.exists()


def test_billing_to_the_shipping_address_a_saved_one_or_one_typed(buyer, listing, warehouse, office):
    client = client_for(buyer)
    cases = [
        # a new address typed to ship to, billed there: its country's name ends the billing text
        ({"ship_address": "new", "shipping_address": "Dam 1\n1012 JS Amsterdam", "ship_to_country": "NL",
          "bill_address": "same"}, "Dam 1\n1012 JS Amsterdam\nNetherlands"),
        ({"bill_address": "same"}, f"{warehouse.shipping_text}\nNetherlands"),
        ({"bill_address": str(office.pk)}, office.as_text),
        ({"bill_address": "new", "billing_address": "Accounts payable\nPO Box 12, Antwerpen"},
         "Accounts payable\nPO Box 12, Antwerpen"),
    ]  # fmt: skip
    for changes, billed in cases:
        CartLineFactory(user=buyer, listing=listing, quantity=10)
        response = place(client, page_data(client, **changes))
        assert response.status_code == 302, response.context["form"].errors
        assert Purchase.objects.first().orders.first().billing_address == billed

    CartLineFactory(user=buyer, listing=listing, quantity=10)
    response = place(client, page_data(client, bill_address="new", billing_address=""))
    assert response.context["form"].errors["billing_address"] == [
        "Type the billing address, or bill to the shipping address."
    ]


def test_a_new_address_can_be_saved_to_the_company_when_the_order_is_placed(buyer, company, cart, warehouse):
    client = client_for(buyer)
    data = page_data(
        client, ship_address="new", shipping_address="Europaweg 900\n3199 LC Rotterdam", ship_to_country="NL",
        save_address="on", address_label="Europoort depot",
    )  # fmt: skip
    response = place(client, data)
    assert response.status_code == 302
    saved = CompanyAddress.objects.get(label="Europoort depot")
    assert (saved.company, saved.address, saved.country, saved.is_default) == (
        company, "Europaweg 900\n3199 LC Rotterdam", "NL", False,
    )  # fmt: skip
    assert Order.objects.first().shipping_address == "Europaweg 900\n3199 LC Rotterdam"
    followed = client.get(response["Location"])
    assert "“Europoort depot” is saved to your company&#x27;s addresses." in followed.content.decode()
    # the same form sent again places nothing more and saves nothing more
    assert place(client, data)["Location"] == response["Location"]
    assert CompanyAddress.objects.filter(label="Europoort depot").count() == 1 and Purchase.objects.count() == 1


def test_saving_a_new_address_without_a_name_is_refused_beside_the_field_and_nothing_is_placed(buyer, cart):
    client = client_for(buyer)
    data = page_data(
        client, shipping_address="Europaweg 900", ship_to_country="NL", save_address="on", address_label=""
    )
    response = place(client, data)
    assert response.status_code == 200 and not Purchase.objects.exists() and not CompanyAddress.objects.exists()
    assert "address_label" in response.context["form"].errors
    assert 'data-testid="error-address_label"' in response.content.decode()
    assert "Europaweg 900</textarea>" in response.content.decode()


def test_net_terms_of_an_unapproved_company_are_refused_beside_the_supplier_s_field_keeping_what_was_typed(
    buyer, cart, warehouse
):
    client = client_for(buyer)
    first, second = cart["first"], cart["second"]
    data = page_data(
        client,
        **{f"payment_terms-{first}": "net30", f"incoterm-{first}": "DAP", f"incoterm_place-{first}": "Venlo",
           f"note-{first}": "Call before delivery", f"incoterm_place-{second}": "Xiamen"},
    )  # fmt: skip
    response = place(client, data)
    assert response.status_code == 200 and not Purchase.objects.exists()
    form = response.context["form"]
    assert list(form.errors) == [f"payment_terms-{first}"]
    assert "approved for credit" in form.errors[f"payment_terms-{first}"][0]
    html = response.content.decode()
    assert f'data-testid="error-payment_terms-{first}"' in html
    assert 'value="Venlo"' in html and "Call before delivery</textarea>" in html and 'value="Xiamen"' in html
    assert '<option value="DAP" data-charges="freight" selected>' in html
    assert CartLine.objects.count() == 2

    response = place(client, {**data, f"payment_terms-{first}": "", "payment_terms": "net60"})
    assert list(response.context["form"].errors) == ["payment_terms"]
    assert 'data-testid="error-payment_terms"' in response.content.decode()


def test_a_deposit_without_its_percent_is_refused_beside_the_supplier_s_deposit_field(buyer, cart, warehouse):
    client = client_for(buyer)
    first = cart["first"]
    data = page_data(client, deposit_percent="", **{f"payment_terms-{first}": "deposit"})
    response = place(client, data)
    assert list(response.context["form"].errors) == [f"deposit_percent-{first}"]
    assert f'data-testid="error-deposit_percent-{first}"' in response.content.decode()


def test_a_supplier_added_to_the_cart_in_another_tab_is_not_placed_on_terms_never_shown(
    buyer, listing, supplier, category, warehouse
):
    from .factories import listing_with

    CartLineFactory(user=buyer, listing=listing, quantity=10)
    client = client_for(buyer)
    data = page_data(client)
    newcomer = listing_with(f.SupplierFactory(), category)
    CartLineFactory(user=buyer, listing=newcomer, quantity=10)
    response = place(client, data)
    assert response.status_code == 200 and not Purchase.objects.exists()
    assert "Your cart changed since this page was loaded" in response.content.decode()
    assert f'name="incoterm-{newcomer.supplier_id}"' in response.content.decode()


def test_another_buyer_s_purchase_page_and_a_supplier_s_checkout_are_refused(buyer, cart, warehouse, supplier_member):
    client = client_for(buyer)
    assert place(client, page_data(client)).status_code == 302
    purchase = Purchase.objects.get()
    done = reverse("orders:checkout_done", args=[purchase.pk])
    assert client_for(f.BuyerMemberFactory().user).get(done).status_code == 404
    assert client_for(supplier_member).get(done).status_code == 403
    assert client_for(supplier_member).get(CHECKOUT).status_code == 403


@pytest.mark.parametrize("addresses", [1, 8])
def test_the_checkout_query_budget_does_not_grow_with_addresses_or_suppliers(
    buyer, company, cart, addresses, django_assert_num_queries
):
    for n in range(addresses):
        address_save(company=company, actor=buyer, data={"label": f"Depot {n}", "address": "Kade 1", "country": "NL"})
    client = client_for(buyer)
    client.get(CHECKOUT)  # warm the session
    with django_assert_num_queries(10):
        assert client.get(CHECKOUT).status_code == 200
