"""Attachments of inquiry messages are checked in the worker, never in the request.

The request checks the size and the magic bytes only: a PNG header followed by garbage, or a PDF
with a script, is accepted and kept pending. The message's text is in the thread at once; the file
is offered to nobody (404 for every party) until its check (`file_check`) passes, and then as the
checked copy. A refused file shows its refusal to the sender's side, in the reader's language, and
"refused" to the other side. The other side is emailed once, when the check is over.
"""

import io

import pytest
from django.urls import reverse
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from rest_framework.test import APIClient

from buyers.models import InquiryMessage
from marketplace.filecheck.services import file_check
from marketplace.mail.models import OutboundMail
from tests import factories as f
from tests.conftest import client_for
from tests.marketplace.pdf_corpus import pdf

KIND = "inquiry_attachment"
PNG_HEADER_THEN_GARBAGE = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\xde\xad\xbe\xef" * 500
SCRIPT_PDF = pdf(b"/OpenAction 4 0 R ", {4: b"<< /S /JavaScript /JS (app.alert\\(document.cookie\\)) >>"})
SCRIPTS_EN = "The PDF contains scripts (JavaScript), which we do not accept."
SCRIPTS_ZH = "该 PDF 文件包含脚本（JavaScript），平台不予接受。"


@pytest.fixture(autouse=True)
def _checked_in_the_worker(settings):
    settings.FILE_CHECK_EAGER = False


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _upload(name: str, data: bytes, content_type: str = "image/png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


def _png_with_a_comment() -> bytes:
    info = PngInfo()
    info.add_text("Comment", "trailing words the checked copy drops")
    return f.image_bytes("PNG", size=(40, 30), pnginfo=info)


def _reply_on_the_page(inquiry, user, name: str, data: bytes, content_type: str = "image/png") -> InquiryMessage:
    response = client_for(user).post(
        inquiry.get_absolute_url(), {"body": "See the file", "attachment": _upload(name, data, content_type)}
    )
    assert response.status_code == 302, response.content.decode()
    return inquiry.messages.latest("pk")


def _downloads(message: InquiryMessage) -> tuple[str, str]:
    args = [message.inquiry_id, message.pk]
    return reverse("buyers:attachment_download", args=args), reverse("api:inquiry-attachment", args=args)


def _page(inquiry, user, language: str = "en") -> str:
    return client_for(user).get(inquiry.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()


def _notices(message: InquiryMessage) -> list[OutboundMail]:
    return list(OutboundMail.objects.filter(dedupe_key__startswith=f"inquiry-message:{message.pk}:"))


def test_a_png_header_then_garbage_is_accepted_pending_and_refused_by_the_check(
    inquiry, buyer, supplier_member, notified
):
    message = _reply_on_the_page(inquiry, supplier_member, "plan.png", PNG_HEADER_THEN_GARBAGE)
    assert message.body == "See the file"  # the text is in the thread at once
    assert message.file_is_pending and message.file_quarantine and not message.attachment
    assert message.attachment_name == "plan.png" and message.notified_at is None and _notices(message) == []

    sender_page, recipient_page = _page(inquiry, supplier_member), _page(inquiry, buyer)
    assert "See the file" in recipient_page and 'data-testid="attachment-pending"' in recipient_page
    assert "plan.png is being checked" in sender_page
    assert 'data-testid="attachment"' not in sender_page + recipient_page
    for user in (buyer, supplier_member):
        for url in _downloads(message):
            assert client_for(user).get(url).status_code == 404, (user, url)

    assert file_check(kind=KIND, pk=message.pk) == "refused"
    message.refresh_from_db()
    assert message.file_refusal == "image_unreadable" and not message.attachment and not message.file_quarantine
    assert "The image could not be read." in _page(inquiry, supplier_member)
    recipient_page = _page(inquiry, buyer)
    assert "Attachment refused" in recipient_page and "The image could not be read." not in recipient_page
    for user in (buyer, supplier_member):
        for url in _downloads(message):
            assert client_for(user).get(url).status_code == 404, (user, url)
    # Notified once, now, without announcing a file.
    [notice] = _notices(message)
    assert "See the file" in notice.body and "Attached:" not in notice.body
    assert "An attachment was refused" in notice.body
    assert file_check(kind=KIND, pk=message.pk) == "refused" and len(_notices(message)) == 1


def test_a_clean_picture_waits_for_its_check_then_both_sides_download_the_checked_copy(
    inquiry, buyer, company, supplier_member, other_buyer, other_member, notified
):
    sent = _png_with_a_comment()
    response = api(supplier_member).post(
        reverse("api:inquiry-message-create", args=[inquiry.pk]),
        {"body": "Drawing attached", "attachment": _upload("plan.png", sent)},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    attachment = response.json()["attachment"]
    assert attachment == {
        "name": "plan.png", "size": len(sent), "content_type": None, "check": "pending", "refusal": None, "url": None,
    }  # fmt: skip
    message = InquiryMessage.objects.get(pk=response.json()["id"])
    assert message.file_is_pending and _notices(message) == []
    for url in _downloads(message):
        assert client_for(buyer).get(url).status_code == 404
        assert client_for(supplier_member).get(url).status_code == 404
    seen_by_buyer = api(buyer).get(reverse("api:inquiry-detail", args=[inquiry.pk])).json()["messages"][-1]
    assert seen_by_buyer["body"] == "Drawing attached" and seen_by_buyer["attachment"]["url"] is None

    assert file_check(kind=KIND, pk=message.pk) == "clean"
    message.refresh_from_db()
    assert (message.attachment_name, message.attachment_content_type) == ("plan.png", "image/png")
    assert message.attachment_size == message.attachment.size
    with message.attachment.open("rb") as stored:
        checked_copy = stored.read()
    assert b"trailing words" in sent and b"trailing words" not in checked_copy  # re-encoded
    assert Image.open(io.BytesIO(checked_copy)).size == (40, 30)
    colleague = f.BuyerMemberFactory(company=company).user
    for url in _downloads(message):
        for user in (buyer, colleague, supplier_member):
            download = client_for(user).get(url)
            assert download.status_code == 200, (user, url)
            assert b"".join(download.streaming_content) == checked_copy
        for user in (other_buyer, other_member):
            assert client_for(user).get(url).status_code == 404
    detail = api(buyer).get(reverse("api:inquiry-detail", args=[inquiry.pk])).json()["messages"][-1]["attachment"]
    assert detail["check"] == "clean" and detail["content_type"] == "image/png" and detail["refusal"] is None
    assert detail["url"].endswith(_downloads(message)[1])
    assert 'data-testid="attachment"' in _page(inquiry, buyer)
    [notice] = _notices(message)
    assert "Attached: plan.png" in notice.body and _downloads(message)[0] not in notice.body


def test_a_pdf_with_a_script_is_refused_and_the_sender_reads_why_in_their_language(
    inquiry, buyer, company, supplier_member, notified
):
    message = _reply_on_the_page(inquiry, buyer, "spec.pdf", SCRIPT_PDF, "application/pdf")
    assert message.file_is_pending
    assert file_check(kind=KIND, pk=message.pk) == "refused"
    message.refresh_from_db()
    assert message.file_refusal == "pdf_javascript"

    colleague = f.BuyerMemberFactory(company=company).user
    for user in (buyer, colleague):  # the sender's side
        assert SCRIPTS_EN in _page(inquiry, user, "en")
        assert SCRIPTS_ZH in _page(inquiry, user, "zh-hans")
    recipient_page = _page(inquiry, supplier_member)
    assert "Attachment refused" in recipient_page and SCRIPTS_EN not in recipient_page

    detail = reverse("api:inquiry-detail", args=[inquiry.pk])
    english = api(buyer).get(detail, HTTP_ACCEPT_LANGUAGE="en").json()["messages"][-1]["attachment"]
    chinese = api(buyer).get(detail, HTTP_ACCEPT_LANGUAGE="zh-hans").json()["messages"][-1]["attachment"]
    assert (english["check"], english["url"], english["content_type"]) == ("refused", None, None)
    assert english["refusal"].startswith(SCRIPTS_EN) and chinese["refusal"].startswith(SCRIPTS_ZH)
    for user in (buyer, supplier_member):
        for url in _downloads(message):
            assert client_for(user).get(url).status_code == 404


def test_the_api_stores_a_hostile_pdf_pending_and_the_check_refuses_it(inquiry, supplier_member, notified):
    response = api(supplier_member).post(
        reverse("api:inquiry-message-create", args=[inquiry.pk]),
        {"body": "Our quotation", "attachment": _upload("quote.pdf", SCRIPT_PDF, "application/pdf")},
        format="multipart",
    )
    assert response.status_code == 201 and response.json()["attachment"]["check"] == "pending"
    pk = response.json()["id"]
    assert file_check(kind=KIND, pk=pk) == "refused"
    assert InquiryMessage.objects.get(pk=pk).body == "Our quotation"


def test_the_wrong_user_gets_404_whatever_the_check(inquiry, supplier_member, other_buyer, other_member, outsider):
    pending = _reply_on_the_page(inquiry, supplier_member, "plan.png", f.image_bytes("PNG"))
    clean = _reply_on_the_page(inquiry, supplier_member, "plan.png", f.image_bytes("PNG"))
    assert file_check(kind=KIND, pk=clean.pk) == "clean"
    for message in (pending, clean):
        for url in _downloads(message):
            for user in (other_buyer, other_member, outsider):
                assert client_for(user).get(url).status_code == 404, (message, user, url)


def test_a_message_without_attachment_is_clean_and_notified_at_once(inquiry, buyer, supplier_member, notified):
    response = api(supplier_member).post(
        reverse("api:inquiry-message-create", args=[inquiry.pk]), {"body": "Yes, FOB Wuhan"}, format="json"
    )
    assert response.status_code == 201 and response.json()["attachment"] is None
    message = InquiryMessage.objects.get(pk=response.json()["id"])
    assert message.file_is_clean and message.notified_at is not None and len(_notices(message)) == 1
