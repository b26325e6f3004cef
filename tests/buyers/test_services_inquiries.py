"""Inquiry services: who may start and answer a thread, read marks and unread counts, the first
supplier reply, double submissions, and the email to the other side after commit."""

import datetime
import threading
import time

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import mailers
from django.db import connection
from django.utils import timezone

from accounts.models import User
from buyers.models import Inquiry, InquiryMessage
from buyers.selectors.inquiries import inquiry_list_for_buyer, inquiry_list_for_supplier, inquiry_unread_count
from buyers.services.inquiries import inquiry_mark_read, inquiry_message_notify, inquiry_reply, inquiry_start
from marketplace.exceptions import ApplicationError
from marketplace.mail.models import OutboundMail
from suppliers.models import Supplier
from tests import factories as f


def _start(buyer, supplier, **kwargs):
    defaults = {"subject": "Samples", "body": "Can you send two samples?"}
    return inquiry_start(buyer=buyer.buyer_membership.company, actor=buyer, supplier=supplier, **{**defaults, **kwargs})


def test_start_opens_a_thread_with_the_first_message_read_by_the_buyer_unread_by_the_supplier(
    inquiry, buyer, supplier_member, listing
):
    message = inquiry.messages.get()
    assert (message.party, message.author, message.body) == ("buyer", buyer, "Price for 20 units FOB Wuhan?")
    assert inquiry.listing == listing and inquiry.started_by == buyer
    assert inquiry.buyer_read_at == inquiry.last_message_at == message.created_at
    assert inquiry.supplier_read_at is None and inquiry.first_supplier_reply_at is None
    assert inquiry_unread_count(user=buyer) == 0
    assert inquiry_unread_count(user=supplier_member) == 1


@pytest.mark.parametrize(
    "change",
    [
        {"status": Supplier.Status.UNDER_VERIFICATION, "certification_level": "none"},
        {"status": Supplier.Status.SUSPENDED},
        {"certified_until": datetime.date(2020, 1, 1)},
    ],
    ids=["applicant", "suspended", "expired"],
)
def test_start_refuses_a_supplier_that_is_not_publicly_certified(buyer, belt, notified, change):
    supplier = f.SupplierFactory(belt=belt)
    Supplier.objects.filter(pk=supplier.pk).update(**change)
    with pytest.raises(ApplicationError):
        _start(buyer, supplier)
    assert not Inquiry.objects.exists() and notified == []


def test_start_refuses_a_draft_listing_and_another_suppliers_listing(buyer, supplier, other_supplier, notified):
    draft = f.ListingFactory(supplier=supplier, status="draft", published_at=None)
    theirs = f.ListingFactory(supplier=other_supplier)
    for listing in (draft, theirs):
        with pytest.raises(ApplicationError):
            _start(buyer, supplier, listing=listing)
    assert not Inquiry.objects.exists()


def test_start_refuses_someone_who_does_not_buy_for_the_company(buyer, other_buyer, supplier, notified):
    with pytest.raises(PermissionDenied):
        inquiry_start(buyer=buyer.buyer_membership.company, actor=other_buyer, supplier=supplier, subject="x", body="y")


def test_start_refuses_empty_and_overlong_text_by_field(buyer, supplier, notified):
    with pytest.raises(ValidationError) as caught:
        _start(buyer, supplier, subject="  ", body="x" * 5001)
    assert set(caught.value.message_dict) == {"subject", "body"}


def test_the_same_request_twice_within_a_minute_makes_one_thread(
    buyer, supplier, notified, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _start(buyer, supplier)
    with django_capture_on_commit_callbacks(execute=True):
        again = _start(buyer, supplier)
    assert again.pk == first.pk and Inquiry.objects.count() == 1 and len(notified) == 1
    different = _start(buyer, supplier, body="Another question")
    assert different.pk != first.pk


def test_reply_by_the_supplier_sets_first_reply_once_and_moves_read_marks(inquiry, buyer, supplier_member):
    first = inquiry_reply(inquiry=inquiry, actor=supplier_member, body="USD 18,500 each.")
    inquiry.refresh_from_db()
    assert first.party == "supplier"
    assert inquiry.first_supplier_reply_at == first.created_at == inquiry.last_message_at
    assert inquiry.supplier_read_at == first.created_at
    assert inquiry_unread_count(user=buyer) == 1 and inquiry_unread_count(user=supplier_member) == 0

    second = inquiry_reply(inquiry=inquiry, actor=supplier_member, body="Lead time 25 days.")
    inquiry.refresh_from_db()
    assert second.created_at > first.created_at
    assert inquiry.first_supplier_reply_at == first.created_at  # set once
    assert inquiry.last_message_at == second.created_at


def test_a_buyer_reply_never_sets_the_first_supplier_reply(inquiry, buyer):
    inquiry_reply(inquiry=inquiry, actor=buyer, body="Also: CIF Rotterdam?")
    inquiry.refresh_from_db()
    assert inquiry.first_supplier_reply_at is None


def test_reply_refuses_everyone_but_the_two_sides(inquiry, other_buyer, other_member, operator, staff):
    for outsider in (other_buyer, other_member, operator, staff):
        with pytest.raises(PermissionDenied):
            inquiry_reply(inquiry=inquiry, actor=outsider, body="Hello")
    assert inquiry.messages.count() == 1


def test_another_member_of_either_side_may_answer(inquiry, company, supplier):
    colleague = f.BuyerMemberFactory(company=company).user
    supplier_colleague = f.SupplierMemberFactory(supplier=supplier).user
    assert inquiry_reply(inquiry=inquiry, actor=colleague, body="Me too").party == "buyer"
    assert inquiry_reply(inquiry=inquiry, actor=supplier_colleague, body="Noted").party == "supplier"


def test_mark_read_clears_the_unread_figures_of_that_side_only(inquiry, buyer, supplier_member):
    inquiry_reply(inquiry=inquiry, actor=supplier_member, body="Yes")
    inquiry_reply(inquiry=inquiry, actor=supplier_member, body="And samples too")
    listed = inquiry_list_for_buyer(buyer=inquiry.buyer).get()
    assert listed.unread == 2 and inquiry_unread_count(user=buyer) == 1
    inquiry_mark_read(inquiry=inquiry, actor=buyer)
    assert inquiry_list_for_buyer(buyer=inquiry.buyer).get().unread == 0
    assert inquiry_unread_count(user=buyer) == 0
    inquiry_reply(inquiry=inquiry, actor=buyer, body="Thanks")
    assert inquiry_list_for_supplier(supplier=inquiry.supplier).get().unread == 1
    assert inquiry_unread_count(user=supplier_member) == 1


def test_mark_read_of_a_read_thread_writes_nothing(inquiry, buyer):
    inquiry.refresh_from_db()
    before = inquiry.buyer_read_at
    inquiry_mark_read(inquiry=inquiry, actor=buyer)
    inquiry.refresh_from_db()
    assert inquiry.buyer_read_at == before


def test_supplier_inbox_puts_unread_threads_first(buyer, supplier, supplier_member, notified):
    older = _start(buyer, supplier, subject="Older")
    newer = _start(buyer, supplier, subject="Newer", body="Other words")
    inquiry_mark_read(inquiry=newer, actor=supplier_member)
    assert [i.subject for i in inquiry_list_for_supplier(supplier=supplier)] == ["Older", "Newer"]
    assert older.pk != newer.pk


def test_unread_count_is_zero_for_people_on_neither_side(inquiry, operator, staff, outsider):
    from django.contrib.auth.models import AnonymousUser

    for user in (operator, staff, outsider, AnonymousUser()):
        assert inquiry_unread_count(user=user) == 0


# --- email to the other side ---------------------------------------------------------------------


def test_the_emails_are_written_with_the_message_and_sent_only_when_the_transaction_commits(
    buyer, supplier, supplier_member, notified, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        inquiry = _start(buyer, supplier, base_url="https://belt.example")
        # In the same transaction as the message (outbox), but nothing leaves before the commit.
        assert OutboundMail.objects.filter(kind="inquiry_new", to=[supplier_member.email]).exists()
        assert notified == [] and mail.outbox == []
    for callback in callbacks:
        callback()
    assert notified == [(inquiry.messages.get().pk, "https://belt.example")]
    assert [m.to for m in mail.outbox] == [[supplier_member.email]]


def test_new_inquiry_emails_the_suppliers_members_in_their_language(
    buyer, supplier, supplier_member, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=supplier_member.pk).update(preferred_language="zh-hans")
    english = f.SupplierMemberFactory(supplier=supplier).user
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = _start(buyer, supplier, body="Price for 20 units FOB Wuhan?", base_url="https://belt.example")
    assert inquiry.messages.get().notified_at is not None
    assert len(mail.outbox) == 2
    by_recipient = {m.to[0]: m for m in mail.outbox}
    # Each email is rendered in its reader's language (the sign-off is already in the Chinese catalog).
    assert "— 产业带批发平台" in by_recipient[supplier_member.email].body
    assert "— Belt Marketplace" in by_recipient[english.email].body
    assert by_recipient[english.email].subject.startswith("New inquiry from")
    assert f"https://belt.example/inquiries/{inquiry.pk}/" in by_recipient[english.email].body
    assert "Price for 20 units FOB Wuhan?" in by_recipient[english.email].body


def test_supplier_reply_emails_the_buying_companys_members_not_the_supplier(
    inquiry, buyer, company, supplier_member, notified, django_capture_on_commit_callbacks
):
    colleague = f.BuyerMemberFactory(company=company).user
    with django_capture_on_commit_callbacks(execute=True):
        inquiry_reply(inquiry=inquiry, actor=supplier_member, body="USD 18,500 each.")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([buyer.email, colleague.email])
    assert all(m.subject.startswith("New reply from") for m in mail.outbox)


def test_notifying_a_message_twice_emails_once(buyer, supplier, supplier_member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = _start(buyer, supplier)
        message_id = inquiry.messages.get().pk
        assert inquiry_message_notify(message_id=message_id) == 0
    assert len(mail.outbox) == 1
    assert OutboundMail.objects.filter(kind="inquiry_new").count() == 1
    assert InquiryMessage.objects.get(pk=message_id).notified_at is not None


def test_a_mail_server_down_does_not_fail_the_inquiry(
    buyer, supplier, supplier_member, monkeypatch, django_capture_on_commit_callbacks
):
    class Down:
        def send_messages(self, messages):
            raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(mailers.__class__, "default", property(lambda self: Down()))
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = _start(buyer, supplier)
    assert inquiry.pk is not None
    assert OutboundMail.objects.unsent().get().attempts == 1  # the sweep sends it later


# --- replies at the same moment --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_supplier_replies_at_once_take_turns_and_the_first_reply_is_set_once(monkeypatch):
    """Two members answer at the same moment: the thread row lock makes them take turns, so
    `first_supplier_reply_at` is the earlier reply's time and `last_message_at` the later one's.

    Writing a message is slowed down so that, without the lock, both would read "no reply yet" and
    the later one would overwrite the first reply's time.
    """
    from buyers.services import inquiries as services

    real = services._add_message

    def slow(**kwargs):
        time.sleep(0.4)
        return real(**kwargs)

    monkeypatch.setattr(services, "_add_message", slow)
    belt = f.BeltFactory()
    supplier = f.SupplierFactory(belt=belt)
    members = [f.SupplierMemberFactory(supplier=supplier).user for _ in range(2)]
    buyer = f.BuyerMemberFactory().user
    inquiry = _start(buyer, supplier)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def answer(user: User) -> None:
        try:
            barrier.wait(timeout=10)
            inquiry_reply(inquiry=inquiry, actor=user, body=f"Answer from {user.email}")
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer, args=(user,)) for user in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    inquiry.refresh_from_db()
    replies = list(inquiry.messages.filter(party="supplier").order_by("created_at"))
    assert len(replies) == 2
    assert inquiry.first_supplier_reply_at == replies[0].created_at
    assert inquiry.last_message_at == replies[1].created_at
    assert inquiry.last_message_at <= timezone.now()
