"""Writes for buyers: sign-up, inquiries (threads with suppliers) and saved suppliers."""

import datetime

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import user_send_activation, user_send_already_registered
from catalog.models import Listing
from marketplace.exceptions import ApplicationError
from marketplace.filecheck.models import FileCheck
from marketplace.filecheck.services import checked_name, file_check_later, file_receive, shown_name
from marketplace.mail.services import mail_enqueue
from marketplace.uploads import CleanFile
from suppliers.models import Supplier, SupplierMember

from ..models import BuyerCompany, BuyerMember, Inquiry, InquiryMessage, Party, SavedSupplier


@transaction.atomic
def buyer_sign_up(
    *, email: str, password: str, full_name: str, company_name: str, country: str, business_type: str, base_url: str
) -> User | None:
    """Create an inactive buyer account with its buying company and email a confirmation link.

    For an address that already has an account, nothing is created and its owner is told by
    email instead; the caller answers both cases the same way, so sign-up reveals no accounts.
    """
    if User.objects.filter(email__iexact=email).exists():
        # Hash anyway, so the answer takes as long as creating an account would (no timing oracle).
        make_password(password)
        user_send_already_registered(email=email, base_url=base_url)
        return None
    user = User.objects.create_user(
        email=email, password=password, full_name=full_name, role=User.Role.BUYER, is_active=False
    )
    company = BuyerCompany.objects.create(name=company_name, country=country, business_type=business_type)
    BuyerMember.objects.create(company=company, user=user)
    user_send_activation(user=user, base_url=base_url)
    return user


# --- inquiries ------------------------------------------------------------------------------------

# The same person sending the same words to the same supplier within this window is a double click
# or a retried request: the first inquiry is returned instead of a second thread.
DUPLICATE_WINDOW = datetime.timedelta(seconds=60)
SUBJECT_MAX_LENGTH = 200
BODY_MAX_LENGTH = 5000


def _clean_text(value: str, *, field: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > max_length:
        raise ValidationError(
            {
                field: _("Keep this under %(limit)s characters (it has %(count)s).")
                % {"limit": max_length, "count": len(value)}
            }
        )
    return value


def _add_message(
    *,
    inquiry: Inquiry,
    actor: User,
    party: str,
    body: str,
    attachment: "UploadedFile[bytes] | None",
    now: datetime.datetime,
) -> InquiryMessage:
    """Write one message; its attachment, if any, is kept unchecked and queued for its check.

    The request checks the attachment's size and magic bytes only (images and PDFs, size-capped):
    anything else is a ValidationError and nothing is written. The content is checked in the
    worker (`inquiry_attachment_checked` records the outcome); a message without attachment is
    clean at once.
    """
    message = InquiryMessage(inquiry=inquiry, author=actor, party=party, body=body, created_at=now)
    if attachment is None:
        message.file_check = FileCheck.CLEAN
        message.save()
        return message
    try:
        file_receive(message, attachment)
    except ValidationError as exc:
        raise ValidationError({"attachment": exc.messages}) from exc
    message.attachment_name = shown_name(attachment.name or "")
    message.attachment_size = attachment.size
    message.save()
    file_check_later(message)
    return message


def inquiry_attachment_checked(message: InquiryMessage, clean: CleanFile | None, content_type: str) -> None:
    """The check of `message`'s attachment is over (`on_checked` of the "inquiry_attachment" kind:
    inside the transaction that records it, before the message is saved; `clean` is None when refused).

    A clean copy names the attachment with its own extension; either way the other side is
    notified now, in this transaction: a message with an attachment waits for its check, so the
    notice says truly whether a file came with it.
    """
    if clean is not None:
        message.attachment_name = checked_name(message.attachment_name, clean.name)
        message.attachment_size = clean.size
        message.attachment_content_type = content_type
    else:
        message.attachment_content_type = ""
    _notify_other_side(message, base_url=settings.SITE_URL)


def _party_of(*, inquiry: Inquiry, actor: User) -> str:
    """The side `actor` writes for in this thread; PermissionDenied for anyone else."""
    if BuyerMember.objects.filter(user=actor, company_id=inquiry.buyer_id).exists():
        return Party.BUYER
    if SupplierMember.objects.filter(user=actor, supplier_id=inquiry.supplier_id).exists():
        return Party.SUPPLIER
    raise PermissionDenied("Only the two sides of an inquiry may write to it")


@transaction.atomic
def inquiry_start(
    *,
    buyer: BuyerCompany,
    actor: User,
    supplier: Supplier,
    listing: Listing | None = None,
    subject: str,
    body: str,
    attachment: "UploadedFile[bytes] | None" = None,
    base_url: str = "",
) -> Inquiry:
    """Open a thread from `buyer` to `supplier` with its first message; the supplier is emailed after commit.

    Only a member of `buyer` may start it, only to a publicly certified supplier, and only about a
    public listing of that supplier. A repeat of the same request within a minute returns the first.
    """
    errors: dict[str, list[str]] = {}
    try:
        subject = _clean_text(subject, field="subject", max_length=SUBJECT_MAX_LENGTH)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        body = _clean_text(body, field="body", max_length=BODY_MAX_LENGTH)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    # Lock the buying company: two identical submissions (double click, retry) take turns, and the
    # second finds the first below instead of opening a second thread.
    buyer = BuyerCompany.objects.select_for_update().get(pk=buyer.pk)
    if not BuyerMember.objects.filter(user=actor, company=buyer).exists():
        raise PermissionDenied("Only the buying company's members may write for it")
    if not Supplier.objects.certified().filter(pk=supplier.pk).exists():
        raise ApplicationError(_("This supplier is not certified at the moment and cannot receive inquiries."))
    if listing is not None and not Listing.objects.public().filter(pk=listing.pk, supplier_id=supplier.pk).exists():
        raise ApplicationError(_("This listing is not available from this supplier."))
    now = timezone.now()
    same_request = {
        "buyer": buyer, "supplier_id": supplier.pk, "listing_id": listing.pk if listing else None,
        "subject": subject, "started_by": actor, "messages__body": body,
    }  # fmt: skip
    repeat = Inquiry.objects.filter(created_at__gte=now - DUPLICATE_WINDOW, **same_request).order_by("pk").first()
    if repeat is not None:
        return repeat
    inquiry = Inquiry.objects.create(
        buyer=buyer, supplier_id=supplier.pk, listing=listing, subject=subject, started_by=actor,
        created_at=now, last_message_at=now, buyer_read_at=now,
    )  # fmt: skip
    message = _add_message(inquiry=inquiry, actor=actor, party=Party.BUYER, body=body, attachment=attachment, now=now)
    if attachment is None:  # else the supplier is emailed when the attachment's check is over
        inquiry_message_notify(message_id=message.pk, base_url=base_url)
    return inquiry


@transaction.atomic
def inquiry_reply(
    *, inquiry: Inquiry, actor: User, body: str, attachment: "UploadedFile[bytes] | None" = None, base_url: str = ""
) -> InquiryMessage:
    """Add a message from `actor`'s side; the other side is emailed (outbox, sent after commit).

    Buyer members of the inquiry's company and supplier members of its supplier only. The thread row
    is locked, so replies take turns: `last_message_at` only moves forward and
    `first_supplier_reply_at` is set once, by the supplier's first reply.
    """
    body = _clean_text(body, field="body", max_length=BODY_MAX_LENGTH)
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    party = _party_of(inquiry=inquiry, actor=actor)
    now = timezone.now()
    message = _add_message(inquiry=inquiry, actor=actor, party=party, body=body, attachment=attachment, now=now)
    inquiry.last_message_at = now
    fields = ["last_message_at"]
    # The writer has read what it answers: its own message does not count as unread for its side.
    if party == Party.BUYER:
        inquiry.buyer_read_at = now
        fields.append("buyer_read_at")
    else:
        inquiry.supplier_read_at = now
        fields.append("supplier_read_at")
        if inquiry.first_supplier_reply_at is None:
            inquiry.first_supplier_reply_at = now
            fields.append("first_supplier_reply_at")
    inquiry.save(update_fields=fields)
    if attachment is None:  # else the other side is emailed when the attachment's check is over
        inquiry_message_notify(message_id=message.pk, base_url=base_url)
    return message


@transaction.atomic
def inquiry_mark_read(*, inquiry: Inquiry, actor: User) -> Inquiry:
    """Record that `actor`'s side has read the thread up to now (does nothing when nothing is unread)."""
    party = _party_of(inquiry=inquiry, actor=actor)
    field = "buyer_read_at" if party == Party.BUYER else "supplier_read_at"
    now = timezone.now()
    # A conditional UPDATE instead of a lock: the mark only moves forward, and reading a thread that
    # is already read writes nothing.
    unread = Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": F("last_message_at")})
    if Inquiry.objects.filter(unread, pk=inquiry.pk).update(**{field: now}):
        setattr(inquiry, field, now)
    return inquiry


def _recipients(message: InquiryMessage) -> list[tuple[str, str]]:
    """(email, language) of the people on the other side of `message`, in their own language."""
    inquiry = message.inquiry
    if message.party == Party.BUYER:
        users = [m.user for m in SupplierMember.objects.filter(supplier_id=inquiry.supplier_id).select_related("user")]
        people = [(u.email, u.preferred_language) for u in users if u.is_active]
        if not people and inquiry.supplier.contact_email:
            people = [(inquiry.supplier.contact_email, settings.LANGUAGE_CODE)]
        return people
    users = [m.user for m in BuyerMember.objects.filter(company_id=inquiry.buyer_id).select_related("user")]
    return [(u.email, u.preferred_language) for u in users if u.is_active]


@transaction.atomic
def inquiry_message_notify(*, message_id: int, base_url: str = "") -> int:
    """Email the other side of a message, each person in their language; returns how many emails
    were enqueued. The emails are written to the outbox in the caller's transaction (the message's
    own) and sent after commit.

    A message with an attachment is notified when the attachment's check is over
    (`inquiry_attachment_checked`), so a notice never announces a file that is not clean.
    Safe to run twice: the message is claimed with a conditional UPDATE (`notified_at`), so a second
    run enqueues nothing (and each email has its own dedupe key as well).
    """
    message = (
        InquiryMessage.objects.select_related("inquiry__buyer", "inquiry__supplier", "author")
        .filter(pk=message_id)
        .first()
    )
    return _notify_other_side(message, base_url=base_url) if message is not None else 0


def _notify_other_side(message: InquiryMessage, *, base_url: str) -> int:
    """Claim `message`'s notice (at most once, by `notified_at`) and enqueue its emails; 0 when it
    was claimed before. `message` may hold a check outcome not saved yet: the emails read it."""
    now = timezone.now()
    if not InquiryMessage.objects.filter(pk=message.pk, notified_at__isnull=True).update(notified_at=now):
        return 0
    message.notified_at = now
    inquiry = message.inquiry
    opens_thread = message.party == Party.BUYER and not inquiry.messages.filter(pk__lt=message.pk).exists()
    template = "buyers/email/inquiry_new.txt" if opens_thread else "buyers/email/inquiry_reply.txt"
    link = base_url + reverse("buyers:inquiry_detail", args=[inquiry.pk])
    recipients = _recipients(message)
    for email, language in recipients:
        mail_enqueue(
            to=email,
            template=template,
            context={"message": message, "inquiry": inquiry, "link": link},
            language=language or settings.LANGUAGE_CODE,
            kind="inquiry_new" if opens_thread else "inquiry_reply",
            dedupe_key=f"inquiry-message:{message.pk}:{email}",
        )
    return len(recipients)


# --- saved suppliers ------------------------------------------------------------------------------


@transaction.atomic
def supplier_save(*, buyer: BuyerCompany, actor: User, supplier: Supplier) -> SavedSupplier:
    """Put a publicly certified supplier on the company's short list (saving it twice keeps one row)."""
    if not BuyerMember.objects.filter(user=actor, company_id=buyer.pk).exists():
        raise PermissionDenied("Only the buying company's members may save suppliers for it")
    if not Supplier.objects.certified().filter(pk=supplier.pk).exists():
        raise ApplicationError(_("Only certified suppliers can be saved."))
    # The unique constraint settles two saves at once: get_or_create retries the read on a conflict.
    saved, _created = SavedSupplier.objects.get_or_create(
        buyer_id=buyer.pk, supplier_id=supplier.pk, defaults={"saved_by": actor}
    )
    return saved


@transaction.atomic
def supplier_unsave(*, buyer: BuyerCompany, actor: User, supplier: Supplier) -> None:
    """Take a supplier off the company's short list (nothing happens if it was not on it)."""
    if not BuyerMember.objects.filter(user=actor, company_id=buyer.pk).exists():
        raise PermissionDenied("Only the buying company's members may change its saved suppliers")
    SavedSupplier.objects.filter(buyer_id=buyer.pk, supplier_id=supplier.pk).delete()
