"""Files attached to an RFQ: checked by content (size and magic bytes in the request, the PDF's
structure in the worker), stored privately, shown on the RFQ and opportunity pages, downloadable
by the buying company, the suppliers the RFQ was routed to and staff only (404 for anyone else,
by URL and API), and not before the check passed."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from buyers.models import BuyerMember
from orders.models import RFQ_ATTACHMENTS_MAX, Rfq, RfqAttachment, RfqEvent
from orders.services.rfq import rfq_post
from orders.services.rfq_attachments import rfq_attachments_receive
from tests import factories as f
from tests.buyers.conftest import png_upload
from tests.conftest import client_for

from .factories import in_days, make_rfq, supplier_with_member
from .test_rfq_pages import _rfq_form

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 2048


def _post(buyer, category, attachments):
    company = BuyerMember.objects.get(user=buyer).company
    return rfq_post(
        buyer=company, actor=buyer, title="Flanges DN50", category=category, quantity=500, unit="piece",
        currency="USD", destination_country="NL", incoterm="CIF", deadline=in_days(7), attachments=attachments,
    )  # fmt: skip


def test_a_drawing_and_a_spec_are_kept_privately_and_checked(buyer, category):
    rfq = _post(buyer, category, [png_upload("plan.png"), f.pdf_upload()])
    files = list(rfq.attachments.order_by("pk"))
    assert [(a.name, a.content_type, a.file_check) for a in files] == [
        ("plan.png", "image/png", "clean"),
        ("licence.pdf", "application/pdf", "clean"),
    ]
    for attachment in files:
        assert attachment.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
        assert "plan" not in attachment.file.path and "licence" not in attachment.file.path
        with pytest.raises(ValueError):
            attachment.file.url  # noqa: B018 - private files have no URL
    assert RfqEvent.objects.get(rfq=rfq, kind="posted").data == {"files": 2}


def test_a_renamed_executable_or_too_many_files_refuse_the_whole_post(buyer, category):
    with pytest.raises(ValidationError) as caught:
        _post(buyer, category, [SimpleUploadedFile("drawing.pdf", EXE, content_type="application/pdf")])
    assert "drawing.pdf" in caught.value.message_dict["attachments"][0]
    with pytest.raises(ValidationError) as caught:
        _post(buyer, category, [png_upload(f"p{i}.png") for i in range(RFQ_ATTACHMENTS_MAX + 1)])
    assert "attachments" in caught.value.message_dict
    assert not Rfq.objects.exists() and not RfqAttachment.objects.exists()


def test_a_pdf_with_a_script_is_refused_by_its_check_and_never_offered(buyer, category, supplier, supplier_member):
    rfq = make_rfq(buyer, category=category, routed_to=[supplier])
    (attachment,) = rfq_attachments_receive(rfq=rfq, actor=buyer, uploads=[f.pdf_upload(b"/JavaScript (x)")])
    attachment.refresh_from_db()
    assert attachment.file_is_refused and not attachment.file and not attachment.file_quarantine
    url = reverse("orders:rfq_attachment", args=[rfq.pk, attachment.pk])
    assert client_for(buyer).get(url).status_code == 404
    page = client_for(buyer).get(reverse("orders:rfq_detail", args=[rfq.pk]))
    assert 'data-check="refused"' in page.text
    assert (
        'data-check="refused"' in client_for(supplier_member).get(reverse("orders:rfq_opportunity", args=[rfq.pk])).text
    )


def test_a_file_still_being_checked_is_not_offered(buyer, category, settings):
    settings.FILE_CHECK_EAGER = False
    rfq = make_rfq(buyer, category=category)
    (attachment,) = rfq_attachments_receive(rfq=rfq, actor=buyer, uploads=[f.pdf_upload()])
    assert attachment.file_is_pending
    assert client_for(buyer).get(reverse("orders:rfq_attachment", args=[rfq.pk, attachment.pk])).status_code == 404
    assert "being checked" in client_for(buyer).get(reverse("orders:rfq_detail", args=[rfq.pk])).text


@pytest.fixture
def attached(buyer, category, supplier):
    rfq = make_rfq(buyer, category=category, routed_to=[supplier])
    (attachment,) = rfq_attachments_receive(rfq=rfq, actor=buyer, uploads=[png_upload("plan.png")])
    return attachment


def _urls(attachment):
    return (
        reverse("orders:rfq_attachment", args=[attachment.rfq_id, attachment.pk]),
        reverse("api:rfq-attachment", args=[attachment.rfq_id, attachment.pk]),
    )


def test_the_buyer_routed_suppliers_and_staff_download_it(attached, buyer, supplier_member):
    colleague = f.BuyerMemberFactory(company=attached.rfq.buyer).user
    staff = f.UserFactory(is_staff=True)
    for url in _urls(attached):
        for user in (buyer, colleague, supplier_member, staff):
            response = client_for(user).get(url)
            assert response.status_code == 200, (url, user)
            assert response["Content-Disposition"].startswith('attachment; filename="plan.png"')
            assert response["X-Content-Type-Options"] == "nosniff"
            assert "no-store" in response["Cache-Control"]


def test_everyone_else_gets_404_by_url_and_api(attached, outsider):
    _unrouted, unrouted_member = supplier_with_member()
    strangers = [f.BuyerMemberFactory().user, unrouted_member, outsider]
    page_url, api_url = _urls(attached)
    for user in strangers:
        assert client_for(user).get(page_url).status_code == 404, user
        assert client_for(user).get(api_url).status_code == 404, user
        api = APIClient()
        api.force_authenticate(user)
        assert api.get(api_url).status_code == 404, user
    wrong_rfq = make_rfq(attached.rfq.created_by, category=attached.rfq.category)
    url = reverse("orders:rfq_attachment", args=[wrong_rfq.pk, attached.pk])
    assert client_for(attached.rfq.created_by).get(url).status_code == 404


def test_both_pages_show_the_file(attached, buyer, supplier_member):
    link = reverse("orders:rfq_attachment", args=[attached.rfq_id, attached.pk])
    for user, page in (
        (buyer, reverse("orders:rfq_detail", args=[attached.rfq_id])),
        (supplier_member, reverse("orders:rfq_opportunity", args=[attached.rfq_id])),
    ):
        response = client_for(user).get(page)
        assert response.status_code == 200 and f'href="{link}"' in response.text and "plan.png" in response.text


def test_the_form_takes_files_and_keeps_the_typing_when_one_is_refused(buyer, category):
    client = client_for(buyer)
    bad = SimpleUploadedFile("drawing.pdf", EXE, content_type="application/pdf")
    response = client.post(reverse("orders:rfq_new"), {**_rfq_form(category), "attachments": [bad]})
    assert response.status_code == 400
    assert 'data-testid="error-attachments"' in response.text and 'value="Dried goji berries"' in response.text
    assert not Rfq.objects.exists()
    response = client.post(
        reverse("orders:rfq_new"), {**_rfq_form(category), "attachments": [png_upload("plan.png"), f.pdf_upload()]}
    )
    assert response.status_code == 302
    assert Rfq.objects.get().attachments.filter(file_check="clean").count() == 2


@pytest.mark.parametrize("n", [2, 6])
def test_opportunity_page_query_budget_does_not_grow_with_files(
    buyer, category, supplier, supplier_member, n, django_assert_num_queries
):
    rfq = make_rfq(buyer, category=category, routed_to=[supplier])
    rfq_attachments_receive(rfq=rfq, actor=buyer, uploads=[png_upload(f"plan-{i}.png") for i in range(n)])
    client = client_for(supplier_member)
    client.get(reverse("orders:rfq_opportunity", args=[rfq.pk]))  # the first look is stamped once
    # session, user, supplier, recipient with RFQ, own quote, history, files, nav badges
    with django_assert_num_queries(9):
        response = client.get(reverse("orders:rfq_opportunity", args=[rfq.pk]))
    assert response.text.count('data-testid="rfq-attachment-link"') == n


def test_the_api_lists_the_files_to_both_sides_with_a_link_once_clean(attached, buyer, supplier_member):
    link = reverse("api:rfq-attachment", args=[attached.rfq_id, attached.pk])
    for user, url in (
        (buyer, f"/api/v1/rfqs/{attached.rfq_id}/"),
        (supplier_member, f"/api/v1/rfq-opportunities/{attached.rfq_id}/"),
    ):
        api = APIClient()
        api.force_authenticate(user)
        response = api.get(url)
        assert response.status_code == 200
        assert response.data["attachments"] == [
            {"id": attached.pk, "name": "plan.png", "size": attached.size, "check": "clean", "url": link}
        ]
