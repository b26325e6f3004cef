"""Ratings: after completion the buyer rates the supplier once per order (orders.services.transitions.order_rate)."""

import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from orders.models import Order, Rating
from orders.services.transitions import OrderStateConflict, actions_for, order_rate
from tests.orders.factories import order_at


def test_the_buyer_rates_a_completed_order_once_and_the_supplier_is_told(
    buyer, supplier, supplier_member, django_capture_on_commit_callbacks
):
    order = order_at("completed", buyer=buyer, supplier=supplier)
    with django_capture_on_commit_callbacks(execute=True):
        rating = order_rate(order=order, actor=buyer, stars=4, text="  Good packing, slow replies.  ")
    assert (rating.stars, rating.text, rating.supplier, rating.buyer, rating.created_by) == (
        4,
        "Good packing, slow replies.",
        supplier,
        buyer.buyer_membership.company,
        buyer,
    )
    event = order.events.latest("id")
    assert (event.kind, event.party, event.data, event.note) == ("rated", "buyer", {"stars": 4}, rating.text)
    assert [m.to for m in mail.outbox] == [[supplier_member.email]]

    with pytest.raises(OrderStateConflict, match="already been rated"):
        order_rate(order=order, actor=buyer, stars=5)
    assert Rating.objects.filter(order=order).count() == 1


@pytest.mark.parametrize("status", [s for s in Order.Status.values if s != "completed"])
def test_only_a_completed_order_can_be_rated(status, buyer, supplier):
    order = order_at(status, buyer=buyer, supplier=supplier)
    with pytest.raises(OrderStateConflict, match="Only a completed order can be rated"):
        order_rate(order=order, actor=buyer, stars=5)
    assert not Rating.objects.exists()


def test_the_supplier_and_strangers_cannot_rate(buyer, supplier, supplier_member, other_member, outsider):
    order = order_at("completed", buyer=buyer, supplier=supplier)
    for person in (supplier_member, other_member, outsider):
        with pytest.raises(PermissionDenied):
            order_rate(order=order, actor=person, stars=5)
    assert not Rating.objects.exists()


@pytest.mark.parametrize("stars", [0, 6, -1, "5", True, None])
def test_stars_are_one_to_five(stars, buyer, supplier):
    order = order_at("completed", buyer=buyer, supplier=supplier)
    with pytest.raises(ValidationError) as exc:
        order_rate(order=order, actor=buyer, stars=stars)
    assert "stars" in exc.value.message_dict
    assert not Rating.objects.exists()


def test_rate_is_offered_to_the_buyer_of_a_completed_unrated_order_only(buyer, supplier):
    order = order_at("completed", buyer=buyer, supplier=supplier)
    assert actions_for(Order.objects.select_related("rating").get(pk=order.pk), "buyer") == ["rate"]
    assert actions_for(order, "supplier") == []
    order_rate(order=order, actor=buyer, stars=3)
    assert actions_for(Order.objects.select_related("rating").get(pk=order.pk), "buyer") == []


@pytest.mark.django_db(transaction=True)
def test_two_ratings_sent_at_once_make_one(buyer, supplier):
    """A double click: both submissions wait on the order lock; the second sees the first's rating."""
    order = order_at("completed", buyer=buyer, supplier=supplier)
    outcomes: list[object] = []
    start = threading.Barrier(2)

    def rate(stars):
        try:
            start.wait()
            order_rate(order=Order.objects.get(pk=order.pk), actor=buyer, stars=stars)
            outcomes.append("ok")
        except Exception as exc:  # reported below
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=rate, args=(n,)) for n in (4, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert outcomes.count("ok") == 1, outcomes
    assert Rating.objects.filter(order=order).count() == 1
    assert order.events.filter(kind="rated").count() == 1
