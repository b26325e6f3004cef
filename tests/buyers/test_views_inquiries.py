"""Inquiry pages: the buyer's list, the new-inquiry form, the thread (both sides), the supplier's inbox,
the dashboard, save/unsave, and the buttons on listing and supplier pages. Outsiders get 404."""

import pytest
from django.urls import reverse

from buyers.models import Inquiry, SavedSupplier
from buyers.services.inquiries import inquiry_reply, inquiry_start, supplier_save
from tests import factories as f
from tests.buyers.conftest import png_upload
from tests.conftest import client_for


def _new_url(supplier, listing=None):
    url = f"{reverse('buyers:inquiry_new')}?supplier={supplier.slug}"
    return f"{url}&listing={listing.pk}" if listing else url


# --- starting an inquiry ----------------------------------------------------------------------------


def test_buyer_sends_an_inquiry_about_a_listing_and_lands_on_the_thread(
    buyer, supplier, supplier_member, listing, notified, django_capture_on_commit_callbacks
):
    client = client_for(buyer)
    page = client.get(_new_url(supplier, listing))
    assert page.status_code == 200 and listing.title_en in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _new_url(supplier, listing),
            {"subject": "20 units", "body": "Price FOB Wuhan?", "attachment": png_upload("spec.png")},
        )
    inquiry = Inquiry.objects.get()
    assert response.status_code == 302 and response["Location"] == inquiry.get_absolute_url()
    assert (inquiry.listing, inquiry.supplier, inquiry.started_by) == (listing, supplier, buyer)
    assert inquiry.messages.get().attachment_name == "spec.png"
    assert len(notified) == 1 and notified[0][1] == "http://testserver"


def test_bad_input_keeps_what_was_typed(buyer, supplier, notified):
    response = client_for(buyer).post(
        _new_url(supplier), {"subject": "Samples please", "body": "", "attachment": png_upload()}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="Samples please"' in html and "This field is required." in html
    assert 'data-testid="choose-file-again"' in html
    assert not Inquiry.objects.exists()


def test_a_renamed_executable_is_refused_on_the_form_with_the_text_kept(buyer, supplier, notified):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00" + b"\x00" * 500, content_type="image/png")
    response = client_for(buyer).post(_new_url(supplier), {"subject": "Hi", "body": "Typed words", "attachment": fake})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Upload a PDF file or a JPEG, PNG or WebP image." in html and "Typed words" in html
    assert not Inquiry.objects.exists()


def test_only_certified_suppliers_and_their_public_listings_can_be_written_to(
    buyer, belt, supplier, other_supplier, notified
):
    client = client_for(buyer)
    applicant = f.ApplicantSupplierFactory(belt=belt)
    draft = f.ListingFactory(supplier=supplier, status="draft", published_at=None)
    theirs = f.ListingFactory(supplier=other_supplier)
    for url in (
        _new_url(applicant),
        _new_url(supplier, draft),
        _new_url(supplier, theirs),
        f"{reverse('buyers:inquiry_new')}?supplier=nobody",
        f"{reverse('buyers:inquiry_new')}?supplier={supplier.slug}&listing=x1",
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"subject": "x", "body": "y"}).status_code == 404, url
    assert not Inquiry.objects.exists()


def test_suppliers_operators_and_anonymous_cannot_start_inquiries(client, supplier, other_member, operator, notified):
    for user in (other_member, operator):
        assert client_for(user).get(_new_url(supplier)).status_code == 404
    response = client.get(_new_url(supplier))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- the thread ------------------------------------------------------------------------------------


def test_supplier_reads_and_answers_the_thread_and_the_buyer_sees_it_as_new(
    inquiry, buyer, supplier_member, django_capture_on_commit_callbacks, notified
):
    supplier_client = client_for(supplier_member)
    page = supplier_client.get(inquiry.get_absolute_url())
    assert page.status_code == 200 and 'data-testid="new-message"' in page.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.supplier_read_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        response = supplier_client.post(inquiry.get_absolute_url(), {"body": "USD 18,500 each."})
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.first_supplier_reply_at is not None and len(notified) == 1  # the reply's email

    buyer_page = client_for(buyer).get(inquiry.get_absolute_url()).content.decode()
    assert "USD 18,500 each." in buyer_page and buyer_page.count('data-testid="new-message"') == 1
    inquiry.refresh_from_db()
    assert inquiry.buyer_read_at >= inquiry.last_message_at


def test_an_empty_reply_keeps_the_page_and_writes_nothing(inquiry, buyer):
    response = client_for(buyer).post(inquiry.get_absolute_url(), {"body": "   "})
    assert response.status_code == 400 and inquiry.messages.count() == 1


def test_thread_reply_and_inbox_are_closed_to_everyone_else(
    inquiry, client, other_buyer, other_member, operator, staff, outsider
):
    url = inquiry.get_absolute_url()
    for user in (other_buyer, other_member, operator, staff, outsider):
        c = client_for(user)
        assert c.get(url).status_code == 404
        assert c.post(url, {"body": "Let me in"}).status_code == 404
    assert client.get(url).status_code == 302
    assert client.post(url, {"body": "x"}).status_code == 302
    assert inquiry.messages.count() == 1
    # Another supplier's inbox does not list it, another buyer's list does not list it.
    assert inquiry.subject not in client_for(other_member).get(reverse("buyers:inbox")).content.decode()
    assert inquiry.subject not in client_for(other_buyer).get(reverse("buyers:inquiry_list")).content.decode()
    for user in (other_buyer, operator):
        assert client_for(user).get(reverse("buyers:inbox")).status_code == 404
    for user in (other_member, operator):
        assert client_for(user).get(reverse("buyers:inquiry_list")).status_code == 404


# --- lists and their unread figures ------------------------------------------------------------------


def test_buyer_list_shows_unread_counts_newest_first(inquiry, buyer, company, supplier, supplier_member, notified):
    inquiry_reply(inquiry=inquiry, actor=supplier_member, body="One")
    inquiry_reply(inquiry=inquiry, actor=supplier_member, body="Two")
    html = client_for(buyer).get(reverse("buyers:inquiry_list")).content.decode()
    assert inquiry.subject in html and "2 new" in html


def test_inbox_lists_the_suppliers_threads_unread_first(
    buyer, company, supplier, supplier_member, other_buyer, notified
):
    read = inquiry_start(buyer=company, actor=buyer, supplier=supplier, subject="Read one", body="a")
    inquiry_start(
        buyer=other_buyer.buyer_membership.company, actor=other_buyer, supplier=supplier, subject="Unread one",
        body="b",
    )  # fmt: skip
    client_for(supplier_member).get(read.get_absolute_url())  # reading marks it read
    html = client_for(supplier_member).get(reverse("buyers:inbox")).content.decode()
    assert html.index("Unread one") < html.index("Read one")


def _many_threads(company, buyer, supplier, supplier_member, n):
    for i in range(n):
        thread = inquiry_start(
            buyer=company, actor=buyer, supplier=supplier, subject=f"Thread {i}", body=f"b{i}",
            listing=f.ListingFactory(supplier=supplier),
        )  # fmt: skip
        inquiry_reply(inquiry=thread, actor=supplier_member, body="Answer", attachment=None)


@pytest.mark.parametrize("n", [1, 6])
def test_inbox_and_list_query_counts_do_not_grow_with_threads(
    n, buyer, company, supplier, supplier_member, notified, django_assert_num_queries
):
    _many_threads(company, buyer, supplier, supplier_member, n)
    buyer_client, supplier_client = client_for(buyer), client_for(supplier_member)
    # session, user, company, count, page of threads (with supplier, listing and unread count)
    with django_assert_num_queries(6):
        assert buyer_client.get(reverse("buyers:inquiry_list")).status_code == 200
    # session, user, supplier, count, page of threads (with buyer, listing and unread count)
    with django_assert_num_queries(6):
        assert supplier_client.get(reverse("buyers:inbox")).status_code == 200


@pytest.mark.parametrize("n", [1, 8])
def test_thread_page_query_count_does_not_grow_with_messages(
    n, inquiry, buyer, supplier_member, django_assert_num_queries
):
    for i in range(n):
        inquiry_reply(inquiry=inquiry, actor=supplier_member, body=f"Answer {i}", attachment=png_upload())
    client = client_for(buyer)
    # session, user, inquiry (membership by EXISTS), mark read (membership check + savepoint pair +
    # conditional UPDATE), messages with authors
    with django_assert_num_queries(9):
        assert client.get(inquiry.get_absolute_url()).status_code == 200
    # Already read: the conditional UPDATE finds nothing; the count stays the same.
    with django_assert_num_queries(9):
        assert client.get(inquiry.get_absolute_url()).status_code == 200


# --- dashboard, saved suppliers, buttons -------------------------------------------------------------


def test_dashboard_shows_unread_latest_inquiries_and_saved_suppliers(
    inquiry, buyer, company, supplier, supplier_member, other_supplier
):
    inquiry_reply(inquiry=inquiry, actor=supplier_member, body="Answer")
    supplier_save(buyer=company, actor=buyer, supplier=other_supplier)
    html = client_for(buyer).get(reverse("buyers:dashboard")).content.decode()
    assert 'data-testid="dashboard-unread"' in html and "1 unread" in html
    assert inquiry.subject in html
    assert other_supplier.name_en in html and 'data-testid="saved-supplier"' in html


def test_dashboard_query_count_does_not_grow(
    buyer, company, supplier, supplier_member, belt, notified, django_assert_num_queries
):
    _many_threads(company, buyer, supplier, supplier_member, 3)
    for _ in range(3):
        supplier_save(buyer=company, actor=buyer, supplier=f.SupplierFactory(belt=belt))
    client = client_for(buyer)
    client.get(reverse("buyers:dashboard"))  # belt figures are counted on a belt's first view
    # session, user, company, unread count, latest threads, saved suppliers (with belts), belts,
    # + the trade sections (orders_tags): waiting quotes, open orders, RFQs (the navigation reuses the unread count)
    with django_assert_num_queries(10):
        assert client.get(reverse("buyers:dashboard")).status_code == 200


def test_save_and_unsave_from_the_supplier_profile(buyer, company, supplier):
    client = client_for(buyer)
    profile = supplier.get_absolute_url()
    assert 'data-testid="supplier-save"' in client.get(profile).content.decode()
    response = client.post(reverse("buyers:supplier_save", args=[supplier.slug]), {"next": profile})
    assert response.status_code == 302 and response["Location"] == profile
    assert SavedSupplier.objects.filter(buyer=company, supplier=supplier).count() == 1
    client.post(reverse("buyers:supplier_save", args=[supplier.slug]))  # twice: still one
    assert SavedSupplier.objects.filter(buyer=company, supplier=supplier).count() == 1
    assert 'data-testid="supplier-unsave"' in client.get(profile).content.decode()
    htmx = client.post(reverse("buyers:supplier_unsave", args=[supplier.slug]), headers={"HX-Request": "true"})
    assert htmx.status_code == 200 and 'data-testid="supplier-save"' in htmx.content.decode()
    assert not SavedSupplier.objects.exists()


def test_save_refuses_uncertified_suppliers_outsiders_and_get(buyer, belt, supplier, other_member, client):
    applicant = f.ApplicantSupplierFactory(belt=belt)
    assert client_for(buyer).post(reverse("buyers:supplier_save", args=[applicant.slug])).status_code == 404
    assert client_for(other_member).post(reverse("buyers:supplier_save", args=[supplier.slug])).status_code == 404
    assert client_for(buyer).get(reverse("buyers:supplier_save", args=[supplier.slug])).status_code == 405
    assert client.post(reverse("buyers:supplier_save", args=[supplier.slug])).status_code == 302
    assert client_for(buyer).post(reverse("buyers:supplier_unsave", args=[supplier.slug])).status_code == 404
    assert not SavedSupplier.objects.exists()


def test_one_buyer_cannot_remove_another_buyers_saved_supplier(buyer, company, other_buyer, supplier):
    supplier_save(buyer=company, actor=buyer, supplier=supplier)
    assert client_for(other_buyer).post(reverse("buyers:supplier_unsave", args=[supplier.slug])).status_code == 404
    assert SavedSupplier.objects.filter(buyer=company).count() == 1


def test_send_inquiry_button_on_listing_and_supplier_pages_for_buyers_and_visitors_only(
    client, buyer, supplier, supplier_member, listing
):
    expected = _new_url(supplier, listing).replace("&", "&amp;")
    for c in (client, client_for(buyer)):
        assert expected in c.get(listing.get_absolute_url()).content.decode()
        assert _new_url(supplier) in c.get(supplier.get_absolute_url()).content.decode()
    own = client_for(supplier_member)
    assert 'data-testid="send-inquiry"' not in own.get(listing.get_absolute_url()).content.decode()
    assert 'data-testid="send-inquiry"' not in own.get(supplier.get_absolute_url()).content.decode()


def test_unread_inquiries_nav_partial_shows_the_count_for_each_side(inquiry, buyer, supplier_member, operator):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    def render(user):
        request = RequestFactory().get("/")
        request.user = user
        return render_to_string("buyers/partials/inquiries_nav.html", {"user": user, "request": request})

    assert 'data-testid="nav-unread">1' in render(supplier_member)
    assert 'data-testid="nav-inquiries"' in render(buyer) and "nav-unread" not in render(buyer)
    assert render(operator).strip() == ""
