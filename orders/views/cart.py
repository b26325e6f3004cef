"""The cart and checkout pages (buyers only). Thin: parse → selector or service → respond.

Anonymous visitors are sent to sign in; signed-in people who do not buy for a company get 403.
A cart line of another person does not exist (404).
"""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.decorators import buyer_required
from buyers.http import BuyerHttpRequest
from buyers.selectors.addresses import address_list_for_company
from buyers.services.addresses import address_save
from catalog.models import Listing
from catalog.quantities import QuantityGridForm
from marketplace.exceptions import ApplicationError

from ..forms.cart import CartLineQuantityForm, CheckoutForm
from ..models import OrderKind
from ..selectors.cart import cart_for_user, cart_line_get_for_user, listing_get_for_cart, purchase_get_for_user
from ..services.cart import QuantityRefused, cart_add, cart_line_remove, cart_line_update
from ..services.placing import IdempotencyKeyReused, cart_checkout

# The cart is no secret: anyone signed in who does not buy for a company is told so (403).
ONLY_BUYERS = gettext_lazy("Only buyers can order.")


@require_POST
@buyer_required(forbidden=ONLY_BUYERS)
def cart_add_view(request: BuyerHttpRequest, pk: int) -> HttpResponse:
    """Put the quantities of the listing page's grid (`quantity`, or `q-<variant id>` each) in the
    cart, replacing what it held of them. The grid posts through htmx: a refusal answers with the
    grid's result (the rules broken, the nearest quantities) and keeps what was typed; without
    htmx the page comes back with the typed quantities and the message."""
    listing = listing_get_for_cart(pk=pk)  # only what anyone may see is for sale
    if listing is None:
        messages.error(request, _("This listing is no longer on sale."))
        return _to(request, reverse("orders:cart"))
    kind = request.POST.get("kind", OrderKind.BULK)
    grid = QuantityGridForm(listing, request.POST)
    try:
        if grid.problems() and kind != OrderKind.SAMPLE:  # a sample is one, whatever was typed
            raise ApplicationError(" ".join(grid.problems()))
        in_cart = cart_add(
            user=request.user,
            listing=listing,
            quantities=grid.typed(),
            kind=kind,
            from_stock=_read_from_stock(listing, request.POST),
        )
    except ApplicationError as exc:
        if request.htmx:
            # The grid's result shows the broken rules or the unreadable fields itself; any other
            # refusal (stock, a full cart, no samples) is said in the banner.
            shown_below = isinstance(exc, QuantityRefused) or (grid.problems() and kind != OrderKind.SAMPLE)
            context = {
                "listing": listing,
                "grid": grid,
                "check": exc.check if isinstance(exc, QuantityRefused) else grid.check(),
                "refused": _("Not added to your cart.")
                if shown_below
                else _("Not added to your cart: %(why)s") % {"why": exc.message},
            }
            return render(request, "catalog/partials/tier_response.html", context)
        messages.error(request, exc.message)
        typed = grid.typed_text()
        return redirect(listing.get_absolute_url() + ("?" + urlencode(typed) if typed else ""))
    if kind == OrderKind.SAMPLE:
        messages.success(request, _("Sample added to your cart."))
    elif in_cart is None:
        messages.success(request, _("Removed from your cart."))
    else:
        messages.success(
            request,
            _("Your cart now holds %(order)s of %(listing)s.") % {"order": in_cart.in_words, "listing": listing.title},
        )
    return _to(request, reverse("orders:cart"))


def _to(request: BuyerHttpRequest, url: str) -> HttpResponse:
    """Go to `url`: the whole page, also when htmx asked (it would swap the page into the grid)."""
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _read_from_stock(listing: Listing, data: Any) -> set[int | None]:
    """Which lines the buyer takes from spot stock: `from_stock` for a listing without variants,
    `s-<variant id>` for each variant."""
    variants = list(listing.variants.all())
    if not variants:
        return {None} if data.get("from_stock") == "1" else set()
    return {v.pk for v in variants if data.get(f"s-{v.pk}") == "1"}


@require_GET
@buyer_required(forbidden=ONLY_BUYERS)
def cart(request: BuyerHttpRequest) -> HttpResponse:
    return _cart_page(request)


def _cart_page(
    request: BuyerHttpRequest, *, editing: CartLineQuantityForm | None = None, line_pk: int = 0
) -> HttpResponse:
    """The cart; `editing` is the refused quantity form of the line `line_pk`, shown as typed."""
    groups = cart_for_user(user=request.user)
    if editing is not None:
        for group in groups:
            for item in group.items:
                for line in item.lines:
                    if line.pk == line_pk:
                        line.editing = editing  # type: ignore[attr-defined]
    return render(
        request,
        "orders/cart.html",
        {"groups": groups, "can_checkout": bool(groups) and all(g.ok for g in groups)},
    )


@require_POST
@buyer_required(forbidden=ONLY_BUYERS)
def cart_line_update_view(request: BuyerHttpRequest, pk: int) -> HttpResponse:
    """Change a line's quantity (0 removes it) by the listing's rules, or remove it. A refused
    quantity comes back in its field, as typed, with the message beside it."""
    line = cart_line_get_for_user(user=request.user, pk=pk)
    if request.POST.get("remove"):
        cart_line_remove(line=line)
        messages.success(request, _("Removed from your cart."))
        return redirect("orders:cart")
    form = CartLineQuantityForm(request.POST)
    if form.is_valid():
        try:
            cart_line_update(line=line, quantity=form.cleaned_data["quantity"])
        except ApplicationError as exc:
            form.add_error("quantity", exc.message)
        else:
            return redirect("orders:cart")
    return _cart_page(request, editing=form, line_pk=line.pk)


@require_http_methods(["GET", "POST"])
@buyer_required(forbidden=ONLY_BUYERS)
def checkout(request: BuyerHttpRequest) -> HttpResponse:
    """Ship to, bill to, payment terms and each supplier's terms; places the cart (`cart_checkout`)
    and, when asked, saves the new address to the company once the order is placed."""
    buyer = request.buyer_company
    groups = cart_for_user(user=request.user)
    addresses = list(address_list_for_company(company=buyer))
    options: dict[str, Any] = {"groups": groups, "addresses": addresses, "net_terms_approved": buyer.net_terms_approved}
    if request.method == "POST":
        form = CheckoutForm(request.POST, **options)
        if form.is_valid():
            try:
                purchase, created = cart_checkout(
                    buyer=buyer,
                    actor=request.user,
                    **form.checkout_terms(),
                    idempotency_key=form.cleaned_data["idempotency_key"],
                    language=get_language() or "en",
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_service_error(field, error)
            except IdempotencyKeyReused:  # cannot come from our own page; a tampered key
                form.add_error(None, _("This form was already used. Please check your orders."))
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                if created and form.address_to_save is not None:
                    _save_address(request, form.address_to_save)
                return redirect("orders:checkout_done", purchase.pk)
    else:
        if not groups:
            messages.info(request, _("Your cart is empty."))
            return redirect("orders:cart")
        initial = CheckoutForm.initial_for(addresses=addresses, country=buyer.country)
        form = CheckoutForm(initial=initial, **options)
    return render(
        request,
        "orders/checkout.html",
        {
            "form": form,
            "groups": groups,
            "addresses": addresses,
            "can_checkout": bool(groups) and all(g.ok for g in groups),
        },
    )


def _save_address(request: BuyerHttpRequest, data: dict[str, Any]) -> None:
    """Keep the new shipping address for the company; the order is placed whatever happens here."""
    try:
        address = address_save(company=request.buyer_company, actor=request.user, data=data)
    except (ValidationError, ApplicationError) as exc:
        reason = exc.message if isinstance(exc, ApplicationError) else " ".join(exc.messages)
        messages.warning(request, _("Your order was placed, but the address was not saved: %(why)s") % {"why": reason})
    else:
        messages.success(request, _("“%(label)s” is saved to your company's addresses.") % {"label": address.label})


@require_GET
@buyer_required(forbidden=ONLY_BUYERS)
def checkout_done(request: BuyerHttpRequest, pk: int) -> HttpResponse:
    purchase = purchase_get_for_user(user=request.user, pk=pk)
    orders = list(purchase.orders.all())
    for order in orders:
        order.page_url = _order_url(order.number)  # type: ignore[attr-defined]
    return render(
        request,
        "orders/checkout_done.html",
        {"purchase": purchase, "orders": orders, "charges_expected": any(o.charges_needed for o in orders)},
    )


def _order_url(number: str) -> str:
    try:
        return reverse("orders:order_detail", args=[number])
    except NoReverseMatch:  # the order pages are not installed yet
        return f"/orders/{number}/"
