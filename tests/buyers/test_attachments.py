"""Attachments of inquiry messages: checked by content (images and PDFs only, size-capped), stored in
private storage, and downloadable, always as an attachment, by the two sides of the inquiry only."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from buyers.models import InquiryMessage
from buyers.services.inquiries import inquiry_reply
from tests import factories as f
from tests.buyers.conftest import png_upload
from tests.conftest import client_for

# A Windows executable's first bytes ("MZ" header), named like a picture.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 2048


def test_a_renamed_executable_is_refused_and_nothing_is_stored(inquiry, supplier_member):
    for name in ("photo.png", "quote.pdf"):
        with pytest.raises(ValidationError) as caught:
            inquiry_reply(
                inquiry=inquiry, actor=supplier_member, body="See attached",
                attachment=SimpleUploadedFile(name, EXE, content_type="image/png"),
            )  # fmt: skip
        assert "attachment" in caught.value.message_dict
    assert inquiry.messages.count() == 1
    assert not (settings.PRIVATE_MEDIA_ROOT / "inquiries").exists()


def test_a_pdf_with_javascript_is_refused_by_its_check_and_the_message_is_kept(inquiry, supplier_member):
    # The request sees a PDF header only; the check (run at once under the test settings) refuses it.
    message = inquiry_reply(
        inquiry=inquiry, actor=supplier_member, body="x", attachment=f.pdf_upload(b"/JavaScript (x)")
    )
    assert message.file_is_refused and not message.attachment and not message.file_quarantine
    assert message.file_refusal.startswith("pdf_") and message.body == "x"
    assert not (settings.PRIVATE_MEDIA_ROOT / "inquiries").exists()


def test_a_file_over_the_cap_is_refused(inquiry, supplier_member, settings):
    settings.UPLOAD_IMAGE_MAX_BYTES = 2_000
    with pytest.raises(ValidationError, match="too large"):
        inquiry_reply(inquiry=inquiry, actor=supplier_member, body="x", attachment=f.licence_upload())
    big_pdf = f.pdf_upload(b"x" * (15 * 1024 * 1024))
    with pytest.raises(ValidationError, match="too large"):
        inquiry_reply(inquiry=inquiry, actor=supplier_member, body="x", attachment=big_pdf)
    assert inquiry.messages.count() == 1


def test_a_real_png_and_pdf_are_stored_privately_under_a_server_made_name(inquiry, supplier_member, buyer):
    picture = inquiry_reply(inquiry=inquiry, actor=supplier_member, body="Drawing", attachment=png_upload("plan.png"))
    document = inquiry_reply(inquiry=inquiry, actor=buyer, body="Our spec", attachment=f.pdf_upload())
    assert (picture.attachment_name, picture.attachment_content_type) == ("plan.png", "image/png")
    assert (document.attachment_name, document.attachment_content_type) == ("licence.pdf", "application/pdf")
    assert document.attachment_size == document.attachment.size > 12000
    for message in (picture, document):
        path = message.attachment.path
        assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
        assert "plan" not in path and "licence" not in path  # the sender's name is only for display
        with pytest.raises(ValueError):
            message.attachment.url  # noqa: B018 - private files have no URL


@pytest.fixture
def attached(inquiry, supplier_member):
    return inquiry_reply(inquiry=inquiry, actor=supplier_member, body="Drawing", attachment=png_upload("plan.png"))


def test_both_sides_download_as_an_attachment(attached, buyer, supplier_member, company):
    colleague = f.BuyerMemberFactory(company=company).user
    urls = (
        reverse("buyers:attachment_download", args=[attached.inquiry_id, attached.pk]),
        reverse("api:inquiry-attachment", args=[attached.inquiry_id, attached.pk]),
    )
    for url in urls:
        for user in (buyer, colleague, supplier_member):
            response = client_for(user).get(url)
            assert response.status_code == 200, (url, user)
            assert response["Content-Disposition"].startswith("attachment")
            assert 'filename="plan.png"' in response["Content-Disposition"]
            assert response["Content-Type"] == "image/png"
            assert response["X-Content-Type-Options"] == "nosniff"
            assert b"".join(response.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"


def test_nobody_else_downloads_it(attached, client, other_buyer, other_member, operator, staff, outsider):
    html = reverse("buyers:attachment_download", args=[attached.inquiry_id, attached.pk])
    api = reverse("api:inquiry-attachment", args=[attached.inquiry_id, attached.pk])
    for user in (other_buyer, other_member, operator, staff, outsider):
        assert client_for(user).get(html).status_code == 404
        assert client_for(user).get(api).status_code == 404
    assert client.get(html).status_code == 302  # to sign-in
    assert client.get(api).status_code == 403


def test_a_message_id_from_another_thread_is_not_found(attached, buyer, supplier, other_buyer, notified):
    from buyers.services.inquiries import inquiry_start

    theirs = inquiry_start(
        buyer=other_buyer.buyer_membership.company, actor=other_buyer, supplier=supplier, subject="x", body="y",
        attachment=png_upload(),
    )  # fmt: skip
    their_message = InquiryMessage.objects.get(inquiry=theirs)
    # The buyer's own thread id with the other thread's message id: still 404.
    url = reverse("buyers:attachment_download", args=[attached.inquiry_id, their_message.pk])
    assert client_for(buyer).get(url).status_code == 404
