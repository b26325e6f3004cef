"""A buyer's inquiries and the thread page both sides use; attachments; saved suppliers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import buyer_required
from accounts.http import AuthenticatedHttpRequest
from marketplace.exceptions import ApplicationError
from marketplace.storage import private_file_response

from ..forms import InquiryReplyForm, InquiryStartForm, add_service_errors
from ..http import BuyerHttpRequest
from ..selectors.inquiries import (
    inquiry_get_for_user,
    inquiry_list_for_buyer,
    inquiry_message_get_for_user,
    inquiry_messages,
    listing_get_for_inquiry,
    saved_supplier_list,
    supplier_get_for_inquiry,
)
from ..services.inquiries import inquiry_mark_read, inquiry_reply, inquiry_start, supplier_save, supplier_unsave

PAGE_SIZE = 25


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")[:-1]


@require_GET
@buyer_required
def inquiry_list(request: BuyerHttpRequest) -> HttpResponse:
    """The company's threads, newest activity first, each with its unread count."""
    buyer = request.buyer_company
    page = Paginator(inquiry_list_for_buyer(buyer=buyer), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "buyers/inquiry_list.html", {"company": buyer, "page": page})


@require_http_methods(["GET", "POST"])
@buyer_required
def inquiry_new(request: BuyerHttpRequest) -> HttpResponse:
    """Write to a certified supplier (?supplier=<slug>), optionally about one of its listings (&listing=<id>)."""
    buyer = request.buyer_company
    supplier = supplier_get_for_inquiry(slug=request.GET.get("supplier", ""))
    listing = None
    listing_id = request.GET.get("listing", "")
    if listing_id:
        if not listing_id.isdigit():
            raise Http404("No such listing")
        listing = listing_get_for_inquiry(supplier=supplier, pk=int(listing_id))
    if listing is not None:
        subject = _("Inquiry about %(title)s") % {"title": listing.title}
    else:
        subject = _("Inquiry from %(company)s") % {"company": buyer.name}
    form = InquiryStartForm(request.POST or None, request.FILES or None, initial={"subject": subject[:200]})
    if request.method == "POST" and form.is_valid():
        try:
            inquiry = inquiry_start(
                buyer=buyer, actor=request.user, supplier=supplier, listing=listing,
                subject=form.cleaned_data["subject"], body=form.cleaned_data["body"],
                attachment=form.cleaned_data["attachment"], base_url=_base_url(request),
            )  # fmt: skip
        except (ValidationError, ApplicationError) as exc:
            add_service_errors(form, exc)
        else:
            if form.cleaned_data["attachment"] is None:
                messages.success(request, _("Your inquiry was sent. The supplier gets an email and answers here."))
            else:
                messages.success(
                    request,
                    _(
                        "Your inquiry was sent. Your attachment is being checked: the supplier gets an email "
                        "once the check is over, and answers here."
                    ),
                )
            return redirect(inquiry.get_absolute_url())
    context = {"form": form, "supplier": supplier, "listing": listing, "company": buyer}
    return render(request, "buyers/inquiry_new.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def inquiry_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The thread, for both sides: reading it marks it read; the form below answers it."""
    inquiry, viewer = inquiry_get_for_user(user=request.user, pk=pk)
    form = InquiryReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                inquiry_reply(
                    inquiry=inquiry, actor=request.user, body=form.cleaned_data["body"],
                    attachment=form.cleaned_data["attachment"], base_url=_base_url(request),
                )  # fmt: skip
            except (ValidationError, ApplicationError) as exc:
                add_service_errors(form, exc)
            else:
                if form.cleaned_data["attachment"] is None:
                    messages.success(request, _("Your reply was sent."))
                else:
                    messages.success(
                        request, _("Your reply was sent. Your attachment is offered once it has been checked.")
                    )
                return redirect(f"{inquiry.get_absolute_url()}#latest")
        read_until = inquiry.read_at_of(viewer.party)
    else:
        # What was new when the page opened stays marked on this page, though the thread is read now.
        read_until = inquiry.read_at_of(viewer.party)
        inquiry_mark_read(inquiry=inquiry, actor=request.user)
    context = {
        "inquiry": inquiry, "viewer": viewer, "thread": inquiry_messages(inquiry=inquiry), "form": form,
        "read_until": read_until,
    }  # fmt: skip
    return render(request, "buyers/inquiry_detail.html", context, status=400 if form.errors else 200)


@require_GET
@login_required
def attachment_download(request: AuthenticatedHttpRequest, pk: int, message_pk: int) -> HttpResponseBase:
    """A message's checked attachment, for the two sides of the inquiry only, never inline: 404 for
    anyone else, and for everyone while it is being checked or once it was refused."""
    message = inquiry_message_get_for_user(user=request.user, inquiry_pk=pk, pk=message_pk)
    return attachment_response(message)


def attachment_response(message) -> HttpResponseBase:
    return private_file_response(
        message.attachment,
        filename=message.attachment_name or message.attachment.name.rsplit("/", 1)[-1],
        content_type=message.attachment_content_type or "application/octet-stream",
    )


# --- saved suppliers ------------------------------------------------------------------------------


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(fallback)


def _save_button(request: HttpRequest, supplier, saved: bool) -> HttpResponse:
    context = {"supplier": supplier, "supplier_saved": saved, "next": request.POST.get("next", "")}
    return render(request, "buyers/partials/save_supplier_button.html", context)


@require_POST
@buyer_required
def supplier_save_view(request: BuyerHttpRequest, slug: str) -> HttpResponse:
    buyer = request.buyer_company
    supplier = supplier_get_for_inquiry(slug=slug)
    supplier_save(buyer=buyer, actor=request.user, supplier=supplier)
    if getattr(request, "htmx", False):
        return _save_button(request, supplier, True)
    messages.success(request, _("%(name)s is on your saved suppliers.") % {"name": supplier.name})
    return _back(request, supplier.get_absolute_url())


@require_POST
@buyer_required
def supplier_unsave_view(request: BuyerHttpRequest, slug: str) -> HttpResponse:
    buyer = request.buyer_company
    saved = saved_supplier_list(buyer=buyer).filter(supplier__slug=slug).first()
    if saved is None:
        raise Http404("Not among your saved suppliers")
    supplier_unsave(buyer=buyer, actor=request.user, supplier=saved.supplier)
    if getattr(request, "htmx", False):
        return _save_button(request, saved.supplier, False)
    messages.success(request, _("%(name)s was removed from your saved suppliers.") % {"name": saved.supplier.name})
    return _back(request, saved.supplier.get_absolute_url())
