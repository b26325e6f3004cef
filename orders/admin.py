"""Staff views of the trade. Orders are changed through services only: the admin shows them
read-only (lines and the audit trail as read-only inlines)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    CartLine,
    Order,
    OrderEvent,
    OrderLine,
    Purchase,
    Quote,
    Rating,
    Rfq,
    RfqEvent,
    RfqRecipient,
    WebhookDelivery,
    WebhookEndpoint,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = ("position", "title", "variant_label", "sku", "quantity", "unit", "unit_price", "line_total", "from_stock")
    readonly_fields = fields


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    fields = ("created_at", "kind", "party", "actor", "from_status", "to_status", "note")
    readonly_fields = fields


class OrderInline(ReadOnlyInline):
    model = Order
    fields = ("number", "supplier", "kind", "status", "currency", "total")
    readonly_fields = fields
    show_change_link = True


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed here: trade records change through their services only."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# The order's fields by what staff look for; any field not named here still shows, under "Other".
_DATES = (
    "created_at", "confirmed_at", "deposit_paid_at", "paid_at", "shipped_at", "delivered_at", "completed_at",
    "cancelled_at", "updated_at",
)  # fmt: skip
ORDER_FIELDSETS = (
    (None, {"fields": ("number", "status", "kind", "purchase", "buyer", "placed_by", "supplier", "quote", "language")}),
    (
        _("Terms"),
        {"fields": ("incoterm", "incoterm_place", "payment_terms", "deposit_percent", "lead_time_days", "currency")},
    ),
    (_("Amounts"), {"fields": ("subtotal", "sample_credit", "freight", "insurance", "total")}),
    (_("Addresses"), {"fields": ("billing_address", "shipping_address", "ship_to_country", "note")}),
    (_("Shipping"), {"fields": ("carrier", "tracking_number")}),
    (_("Cancellation"), {"fields": ("cancel_reason", "cancelled_by_party")}),
    (_("Dates"), {"fields": _DATES}),
)


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = (
        "number", "buyer", "supplier", "kind", "status", "payment_terms", "currency", "total", "created_at",
    )  # fmt: skip
    list_filter = ("status", "kind", "payment_terms", "currency", "incoterm")
    search_fields = ("number", "buyer__name", "supplier__name_en", "supplier__name_zh")
    list_select_related = ("buyer", "supplier")
    date_hierarchy = "created_at"
    inlines = (OrderLineInline, OrderEventInline)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Order._meta.fields]

    def get_fieldsets(self, request, obj=None):
        named = {name for _title, options in ORDER_FIELDSETS for name in options["fields"]}
        rest = [field.name for field in Order._meta.fields if field.name not in named and not field.primary_key]
        return (*ORDER_FIELDSETS, (_("Other"), {"fields": rest})) if rest else ORDER_FIELDSETS

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Purchase)
class PurchaseAdmin(admin.ModelAdmin):
    list_display = ("id", "buyer", "placed_by", "source", "created_at")
    list_filter = ("source",)
    search_fields = ("buyer__name", "placed_by__email", "idempotency_key")
    list_select_related = ("buyer", "placed_by")
    inlines = (OrderInline,)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Purchase._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CartLine)
class CartLineAdmin(admin.ModelAdmin):
    list_display = ("user", "listing", "variant", "kind", "quantity", "from_stock", "added_at")
    list_filter = ("kind", "from_stock")
    raw_id_fields = ("user", "listing", "variant")


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("order", "supplier", "buyer", "stars", "created_at")
    list_filter = ("stars",)
    raw_id_fields = ("order", "buyer", "supplier", "created_by")


class RfqRecipientInline(ReadOnlyInline):
    model = RfqRecipient
    fields = ("supplier", "routed_at", "notified_at", "seen_at")
    readonly_fields = fields


class QuoteInline(ReadOnlyInline):
    model = Quote
    fields = ("supplier", "status", "unit_price", "currency", "moq", "quantity", "incoterm", "freight_total",
              "lead_time_days", "valid_until", "accepted_quantity", "decided_by", "decided_at")  # fmt: skip
    readonly_fields = fields


class RfqEventInline(ReadOnlyInline):
    """The RFQ's audit trail; PostgreSQL refuses to change it, the inline does not offer to."""

    model = RfqEvent
    fields = ("created_at", "kind", "party", "actor", "quote", "data")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor", "quote")


@admin.register(Rfq)
class RfqAdmin(ReadOnlyAdmin):
    list_display = ("id", "title", "buyer", "status", "quantity", "unit", "incoterm", "deadline", "created_at")
    list_filter = ("status", "required_level", "incoterm")
    search_fields = ("title", "buyer__name")
    list_select_related = ("buyer",)
    date_hierarchy = "created_at"
    inlines = (RfqRecipientInline, QuoteInline, RfqEventInline)


@admin.register(Quote)
class QuoteAdmin(ReadOnlyAdmin):
    list_display = ("id", "rfq", "supplier", "status", "unit_price", "currency", "quantity", "created_at")
    list_filter = ("status", "currency")
    search_fields = ("rfq__title", "supplier__name_en", "supplier__name_zh")
    list_select_related = ("rfq", "supplier")


# Payment protection and disputes (staff steps through their services).
from . import admin_protection  # noqa: E402, F401


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    """Read-only, for support: an endpoint and its deliveries. The signing secret is not shown."""

    list_display = ("url", "supplier", "buyer", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("url", "supplier__name_en", "buyer__name")
    list_select_related = ("supplier", "buyer")
    fields = ("url", "description", "supplier", "buyer", "events", "is_active", "secret_prefix", "created_by",
              "created_at", "updated_at")  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """Read-only delivery log of every endpoint (filter by status or search by the endpoint's URL)."""

    list_display = ("event_type", "endpoint", "status", "attempts", "last_status_code", "created_at", "delivered_at")
    list_filter = ("status", "event_type")
    search_fields = ("endpoint__url", "event_id")
    list_select_related = ("endpoint",)
    fields = ("endpoint", "event_id", "event_type", "payload", "status", "attempts", "next_attempt_at",
              "last_attempt_at", "last_status_code", "last_error", "delivered_at", "created_at",
              "redelivery_of")  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
