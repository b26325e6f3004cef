"""The cart takes only what the listing's rules accept, with the grid's words: below the MOQ, off
the pack multiple, a mixed batch short, a variant under its own minimum are refused with the
nearest quantities; adding again replaces; the cart page's update judges the same way and keeps
what was typed; the listing page's grid posts through htmx and gets its answer in place."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from catalog.models import ListingVariant
from orders.models import CartLine
from orders.services.cart import QuantityRefused, cart_add, cart_line_update
from tests import factories as f
from tests.conftest import client_for

from .factories import CartLineFactory, listing_with

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def add(client, listing, headers=None, **data):
    return client.post(reverse("orders:cart_add", args=[listing.pk]), {"kind": "bulk", **data}, headers=headers)


def update(client, line, quantity):
    return client.post(reverse("orders:cart_line_update", args=[line.pk]), {"quantity": quantity})


@pytest.fixture
def packs(supplier, category):
    """Sold from 5 sets in packs of 5."""
    return listing_with(supplier, category, moq=5, order_multiple=5, unit="set", tiers=((5, "10.00"), (50, "9.00")))


@pytest.fixture
def navy_black(supplier, category):
    """A mixed batch of 10 pieces across two colours."""
    return listing_with(supplier, category, moq=10, variants=[{"colour": "Navy"}, {"colour": "Black"}])


def quantities(user):
    return sorted(CartLine.objects.filter(user=user).values_list("variant__colour", "quantity", "from_stock"))


# --- adding from the listing page -----------------------------------------------------------------


def test_below_the_moq_is_refused_with_the_nearest_quantity_and_nothing_enters_the_cart(buyer, packs):
    client = client_for(buyer)
    response = add(client, packs, quantity="3")
    assert response.status_code == 302 and response["Location"].endswith("?quantity=3")
    page = client.get(response["Location"]).content.decode()
    assert "The minimum order is 5 sets (you entered 3). Sold in multiples of 5 sets: 3 is not one. " in page
    assert "Nearest you can order: 5 sets." in page
    assert not CartLine.objects.exists()


def test_off_the_pack_multiple_offers_the_quantity_below_and_above(buyer, packs):
    with pytest.raises(QuantityRefused) as refused:
        cart_add(user=buyer, listing=packs, quantities={None: 12}, kind="bulk")
    assert refused.value.message == (
        "Sold in multiples of 5 sets: 12 is not one. Nearest you can order: 10 sets or 15 sets."
    )
    assert (refused.value.check.below, refused.value.check.above) == ({None: 10}, {None: 15})
    assert refused.value.extra["nearest"] == [[{"variant": None, "quantity": 10}], [{"variant": None, "quantity": 15}]]


def test_the_grid_posts_through_htmx_and_a_refusal_comes_back_in_place_with_what_was_typed(buyer, packs):
    response = add(client_for(buyer), packs, headers=HTMX, quantity="3")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and 'data-testid="refused"' in body and "Not added to your cart." in body
    assert f'href="{packs.get_absolute_url()}?quantity=5#quantity-form"' in body
    assert not CartLine.objects.exists()
    accepted = add(client_for(buyer), packs, headers=HTMX, quantity="5")
    assert accepted["HX-Redirect"] == "/cart/"  # the whole page goes to the cart
    assert quantities(buyer) == [(None, 5, False)]


def test_adding_again_replaces_the_quantity_it_never_adds_up(buyer, packs):
    client = client_for(buyer)
    add(client, packs, quantity="10")
    add(client, packs, quantity="25")
    assert quantities(buyer) == [(None, 25, False)]
    follow = client.get(add(client, packs, quantity="15")["Location"])
    assert "Your cart now holds 15 sets of" in follow.content.decode()
    assert quantities(buyer) == [(None, 15, False)]


def test_a_mixed_batch_counts_the_variants_together_and_leaves_untyped_ones_as_they_were(buyer, navy_black):
    navy, black = navy_black.variants.all()
    with pytest.raises(QuantityRefused) as refused:
        cart_add(user=buyer, listing=navy_black, quantities={navy.pk: 4, black.pk: 3}, kind="bulk")
    message = refused.value.message
    assert "The minimum order is 10 pieces in total, mixed across the variants (you entered 7)." in message
    assert "Nearest you can order: Navy 7 + Black 3 (10 pieces in all)." in refused.value.message
    cart_add(user=buyer, listing=navy_black, quantities={navy.pk: 6, black.pk: 4}, kind="bulk")
    # Black alone is typed again: Navy keeps its 6, and together they still make the batch.
    cart_add(user=buyer, listing=navy_black, quantities={black.pk: 5}, kind="bulk")
    assert quantities(buyer) == [("Black", 5, False), ("Navy", 6, False)]
    # 0 takes a variant out, judged with what stays.
    with pytest.raises(QuantityRefused, match=r"you entered 5\)"):
        cart_add(user=buyer, listing=navy_black, quantities={navy.pk: 0}, kind="bulk")
    cart_add(user=buyer, listing=navy_black, quantities={navy.pk: 0, black.pk: 10}, kind="bulk")
    assert quantities(buyer) == [("Black", 10, False)]


def test_a_variant_under_its_own_minimum_is_named(buyer, supplier, category):
    listing = listing_with(
        supplier, category, moq=10, moq_mode="per_variant", variants=[{"size": "S"}, {"size": "XL", "moq": 30}]
    )
    small, large = listing.variants.all()
    with pytest.raises(QuantityRefused) as refused:
        cart_add(user=buyer, listing=listing, quantities={small.pk: 10, large.pk: 20}, kind="bulk")
    assert refused.value.check.errors == ["XL: the minimum is 30 pieces of this variant (you entered 20)."]
    assert refused.value.check.above == {small.pk: 10, large.pk: 30}
    assert not CartLine.objects.exists()


def test_typed_quantities_are_read_as_people_write_them(buyer, packs):
    client = client_for(buyer)
    for typed in ("2,000", "2 000", "2\u202f000", "２０００", "２，０００"):
        CartLine.objects.all().delete()
        assert add(client, packs, quantity=typed).status_code == 302
        assert quantities(buyer) == [(None, 2000, False)], typed


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2.5", "“2.5” is not a whole number: order whole units, without a decimal point."),
        ("abc", "“abc” is not a number: type a whole number such as 2000 or 2,000."),
        ("1,5", "“1,5” cannot be read as a quantity: group thousands in threes (2,000 or 2 000), or write 2000."),
    ],
)
def test_text_that_is_not_a_quantity_gets_a_message_and_stays_typed(buyer, packs, typed, message):
    client = client_for(buyer)
    response = add(client, packs, quantity=typed)
    page = client.get(response["Location"]).content.decode()
    assert message in page and f'value="{typed}"' in page
    htmx = add(client, packs, headers=HTMX, quantity=typed).content.decode()
    assert message in htmx and "Not added to your cart." in htmx
    assert not CartLine.objects.exists()


def test_the_refusal_is_in_the_buyers_language(buyer, packs):
    client = client_for(buyer)
    response = add(client, packs, headers={**HTMX, "Accept-Language": "zh-hans"}, quantity="2.5")
    with translation.override("zh-hans"):
        assert str(translation.gettext("Not added to your cart.")) in response.content.decode()
    assert response["Content-Language"] == "zh-hans"


def test_from_stock_beyond_what_is_ready_is_refused(buyer, supplier, category):
    listing = listing_with(supplier, category, spot_stock=12)
    with pytest.raises(Exception, match="only 12 left in stock"):
        cart_add(user=buyer, listing=listing, quantities={None: 20}, kind="bulk", from_stock={None})
    cart_add(user=buyer, listing=listing, quantities={None: 12}, kind="bulk", from_stock={None})
    # Adding again made to order replaces the line from stock: one line per variant.
    cart_add(user=buyer, listing=listing, quantities={None: 20}, kind="bulk")
    assert quantities(buyer) == [(None, 20, False)]


def test_a_sample_is_one_and_adding_it_again_keeps_one(buyer, supplier, category):
    listing = listing_with(supplier, category, sample_available=True, sample_price=Decimal("20.00"))
    for _ in range(2):
        cart_add(user=buyer, listing=listing, quantities={None: 7}, kind="sample")
    assert list(CartLine.objects.values_list("kind", "quantity")) == [("sample", 1)]


# --- the cart page's update -----------------------------------------------------------------------


def test_the_cart_update_refuses_by_the_same_rules_and_keeps_what_was_typed(buyer, packs):
    client = client_for(buyer)
    add(client, packs, quantity="10")
    line = CartLine.objects.get()
    response = update(client, line, "12")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sold in multiples of 5 sets: 12 is not one. Nearest you can order: 10 sets or 15 sets." in page
    assert 'value="12"' in page and 'data-testid="cart-line-error"' in page
    assert CartLine.objects.get().quantity == 10
    assert update(client, line, "1,000").status_code == 302
    assert CartLine.objects.get().quantity == 1000
    assert "is not a whole number" in update(client, line, "2.5").content.decode()


def test_a_mixed_batch_line_is_offered_the_quantity_that_completes_the_batch(buyer, navy_black):
    navy, black = navy_black.variants.all()
    cart_add(user=buyer, listing=navy_black, quantities={navy.pk: 6, black.pk: 4}, kind="bulk")
    line = CartLine.objects.get(variant=navy)
    with pytest.raises(QuantityRefused) as refused:
        cart_line_update(line=line, quantity=3)
    # Only this line may change: the rest of the batch is what the other line holds.
    assert refused.value.message.endswith("Nearest you can order: Navy 6 (10 pieces in all).")
    assert refused.value.check.above == {navy.pk: 6, black.pk: 4}
    assert cart_line_update(line=line, quantity=8).quantity == 8


def test_a_cart_broken_by_changed_rules_can_be_mended_line_by_line(buyer, supplier, category):
    """Two lines off a pack size that came later: neither alone can make the order whole, so each
    line that is right by itself is taken, and the order passes once both are."""
    colours = [{"colour": "Navy"}, {"colour": "Black"}]
    listing = listing_with(supplier, category, moq=10, order_multiple=2, variants=colours)
    navy, black = listing.variants.all()
    first = CartLineFactory(user=buyer, listing=listing, variant=navy, quantity=3)
    second = CartLineFactory(user=buyer, listing=listing, variant=black, quantity=3)
    with pytest.raises(QuantityRefused, match="Navy: sold in multiples of 2 pieces, 5 is not one"):
        cart_line_update(line=first, quantity=5)  # the line itself is off the pack size
    cart_line_update(line=first, quantity=4)
    cart_line_update(line=second, quantity=6)
    assert quantities(buyer) == [("Black", 6, False), ("Navy", 4, False)]


def test_another_buyer_cannot_add_into_or_change_your_cart(buyer, packs):
    client = client_for(buyer)
    add(client, packs, quantity="10")
    line = CartLine.objects.get()
    intruder = client_for(f.BuyerMemberFactory().user)
    assert update(intruder, line, "15").status_code == 404
    add(intruder, packs, quantity="20")
    assert CartLine.objects.get(pk=line.pk).quantity == 10
    assert CartLine.objects.filter(user=buyer).count() == 1


def test_a_supplier_is_refused_by_htmx_too(supplier_member, packs):
    response = add(client_for(supplier_member), packs, headers=HTMX, quantity="10")
    assert response.status_code == 403 and not CartLine.objects.exists()


def test_a_variant_of_another_listing_is_refused(buyer, navy_black, packs):
    other = ListingVariant.objects.create(listing=packs, colour="Grey", position=0)
    response = add(client_for(buyer), navy_black, **{f"q-{other.pk}": "10"})
    assert response.status_code == 302 and not CartLine.objects.exists()


def test_a_refusal_not_about_the_rules_is_said_in_the_grids_banner(buyer, supplier, category):
    listing = listing_with(supplier, category, spot_stock=12, sample_available=True, sample_price=Decimal("20.00"))
    client = client_for(buyer)
    body = add(client, listing, headers=HTMX, quantity="20", from_stock="1").content.decode()
    assert "Not added to your cart: " in body and "only 12 left in stock (you asked for 20)." in body
    # A sample is one whatever the grid holds, even text that is no quantity.
    sample = client.post(reverse("orders:cart_add", args=[listing.pk]), {"kind": "sample", "quantity": "2.5"})
    assert sample.status_code == 302 and list(CartLine.objects.values_list("kind", "quantity")) == [("sample", 1)]
