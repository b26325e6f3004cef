"""API routes of the trade (mounted under /api/v1/ in marketplace/urls.py)."""

from django.urls import path

from .api import cart as api_cart
from .api import orders as api_orders
from .api import placing as api_placing
from .api import protection as api_protection
from .api import rfq as api_rfq
from .api import webhooks as api_webhooks

urlpatterns = [
    # placing (POST) and the user's orders (GET)
    path("orders/", api_placing.OrderListCreateApi.as_view(), name="order-list"),
    # one placed order and the steps of its life: one APIView per step (each its own schema)
    path("orders/<str:number>/", api_orders.OrderDetailApi.as_view(), name="order-detail"),
    path("orders/<str:number>/confirm/", api_orders.OrderConfirmApi.as_view(), name="order-confirm"),
    path("orders/<str:number>/accept-terms/", api_orders.OrderAcceptTermsApi.as_view(), name="order-accept-terms"),
    path(
        "orders/<str:number>/mark-deposit-paid/",
        api_orders.OrderMarkDepositPaidApi.as_view(),
        name="order-mark-deposit-paid",
    ),
    path("orders/<str:number>/mark-paid/", api_orders.OrderMarkPaidApi.as_view(), name="order-mark-paid"),
    path("orders/<str:number>/ship/", api_orders.OrderShipApi.as_view(), name="order-ship"),
    path(
        "orders/<str:number>/confirm-delivery/",
        api_orders.OrderConfirmDeliveryApi.as_view(),
        name="order-confirm-delivery",
    ),
    path("orders/<str:number>/complete/", api_orders.OrderCompleteApi.as_view(), name="order-complete"),
    path("orders/<str:number>/cancel/", api_orders.OrderCancelApi.as_view(), name="order-cancel"),
    path("orders/<str:number>/rate/", api_orders.OrderRateApi.as_view(), name="order-rate"),
]

# ==== requests for quotation (orders/api/rfq.py) ==================================================
urlpatterns += [
    path("rfqs/", api_rfq.RfqListCreateApi.as_view(), name="rfq-list"),
    path("rfqs/<int:pk>/", api_rfq.RfqDetailApi.as_view(), name="rfq-detail"),
    path("rfqs/<int:pk>/award/", api_rfq.RfqAwardApi.as_view(), name="rfq-award"),
    path("rfqs/<int:pk>/files/<int:attachment_pk>/", api_rfq.RfqAttachmentApi.as_view(), name="rfq-attachment"),
    path("rfq-opportunities/", api_rfq.OpportunityListApi.as_view(), name="rfq-opportunity-list"),
    path("rfq-opportunities/<int:pk>/", api_rfq.OpportunityDetailApi.as_view(), name="rfq-opportunity-detail"),
    path("rfq-opportunities/<int:pk>/quote/", api_rfq.QuoteSubmitApi.as_view(), name="rfq-opportunity-quote"),
    path("rfq-opportunities/<int:pk>/withdraw/", api_rfq.QuoteWithdrawApi.as_view(), name="rfq-opportunity-withdraw"),
]

# ==== RFQ lifecycle: the buyer cancels an open RFQ ================================================
urlpatterns += [
    path("rfqs/<int:pk>/cancel/", api_rfq.RfqCancelApi.as_view(), name="rfq-cancel"),
]

# ==== payment protection and disputes of an order (orders/api/protection.py) =======================
urlpatterns += [
    path("orders/<str:number>/protection/", api_protection.ProtectionDetailApi.as_view(), name="order-protection"),
    path(
        "orders/<str:number>/protection/open/",
        api_protection.ProtectionOpenApi.as_view(),
        name="order-protection-open",
    ),
    path(
        "orders/<str:number>/protection/confirm-delivery/",
        api_protection.ProtectionConfirmDeliveryApi.as_view(),
        name="order-protection-confirm-delivery",
    ),
    path("orders/<str:number>/dispute/", api_protection.DisputeOpenApi.as_view(), name="order-dispute-open"),
    path("orders/<str:number>/dispute/answer/", api_protection.DisputeAnswerApi.as_view(), name="order-dispute-answer"),
    path(
        "orders/<str:number>/dispute/evidence/<int:pk>/",
        api_protection.DisputeEvidenceApi.as_view(),
        name="order-dispute-evidence",
    ),
]

# ==== webhook endpoints and their delivery logs (orders/api/webhooks.py) ==========================
urlpatterns += [
    path("webhooks/", api_webhooks.WebhookEndpointListCreateApi.as_view(), name="webhook-list"),
    path("webhooks/<int:pk>/", api_webhooks.WebhookEndpointDetailApi.as_view(), name="webhook-detail"),
    path("webhooks/<int:pk>/deliveries/", api_webhooks.WebhookDeliveryListApi.as_view(), name="webhook-deliveries"),
    path(
        "webhooks/<int:pk>/deliveries/<int:delivery_pk>/redeliver/",
        api_webhooks.WebhookRedeliverApi.as_view(),
        name="webhook-redeliver",
    ),
]

# ==== the cart and its checkout (orders/api/cart.py) ==============================================
urlpatterns += [
    path("cart/", api_cart.CartApi.as_view(), name="cart"),
    path("cart/items/", api_cart.CartItemAddApi.as_view(), name="cart-items"),
    path("cart/lines/<int:pk>/", api_cart.CartLineApi.as_view(), name="cart-line"),
    path("cart/checkout/", api_cart.CartCheckoutApi.as_view(), name="cart-checkout"),
]
