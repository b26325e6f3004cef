"""Pages of the trade: cart, checkout, orders (RFQs and quotes next)."""

from django.urls import path

from .views import cart as views_cart
from .views import orders as views_orders
from .views import protection as views_protection
from .views import rfq as views_rfq
from .views import webhooks as views_webhooks

app_name = "orders"

ORDER_ACTIONS = (
    "confirm",
    "accept_terms",
    "mark_deposit_paid",
    "mark_paid",
    "ship",
    "confirm_delivery",
    "complete",
    "cancel",
    "rate",
)

urlpatterns = [
    # cart and checkout (orders/views_cart.py)
    path("cart/", views_cart.cart, name="cart"),
    path("cart/add/<int:pk>/", views_cart.cart_add_view, name="cart_add"),
    path("cart/lines/<int:pk>/", views_cart.cart_line_update_view, name="cart_line_update"),
    path("checkout/", views_cart.checkout, name="checkout"),
    path("checkout/done/<int:pk>/", views_cart.checkout_done, name="checkout_done"),
    # placed orders: lists, detail, purchase order, actions (orders/views_orders.py)
    path("orders/", views_orders.order_list, name="order_list"),
    path("dashboard/orders/", views_orders.supplier_order_list, name="supplier_order_list"),
    path("orders/<str:number>/", views_orders.order_detail, name="order_detail"),
    path("orders/<str:number>/purchase-order.pdf", views_orders.order_purchase_order_pdf, name="order_pdf"),
    # one POST route per step of an order, all served by one view: orders:order_confirm, …
    *(
        path(
            f"orders/<str:number>/{action.replace('_', '-')}/",
            views_orders.order_action,
            {"action": action},
            name=f"order_{action}",
        )
        for action in ORDER_ACTIONS
    ),
]

# ==== requests for quotation (orders/views/rfq.py) ================================================
urlpatterns += [
    path("rfqs/", views_rfq.rfq_list, name="rfq_list"),
    path("rfqs/new/", views_rfq.rfq_new, name="rfq_new"),
    path("rfqs/<int:pk>/", views_rfq.rfq_detail, name="rfq_detail"),
    path("rfqs/<int:pk>/award/", views_rfq.rfq_award_view, name="rfq_award"),
    path("rfqs/<int:pk>/files/<int:attachment_pk>/", views_rfq.rfq_attachment_download, name="rfq_attachment"),
    path("dashboard/rfqs/", views_rfq.opportunity_list, name="rfq_opportunities"),
    path("dashboard/rfqs/<int:pk>/", views_rfq.opportunity_detail, name="rfq_opportunity"),
    path("dashboard/rfqs/<int:pk>/withdraw/", views_rfq.opportunity_withdraw, name="rfq_withdraw"),
]

# ==== RFQ lifecycle: the buyer cancels an open RFQ ================================================
urlpatterns += [
    path("rfqs/<int:pk>/cancel/", views_rfq.rfq_cancel_view, name="rfq_cancel"),
]

# ==== payment protection and disputes (orders/views/protection.py) ================================
urlpatterns += [
    path("orders/<str:number>/protection/", views_protection.protection_open_view, name="protection_open"),
    path("orders/<str:number>/dispute/", views_protection.dispute_open_view, name="dispute_open"),
    path("orders/<str:number>/dispute/answer/", views_protection.dispute_answer_view, name="dispute_answer"),
    path(
        "orders/<str:number>/dispute/evidence/<int:pk>/",
        views_protection.evidence_download,
        name="dispute_evidence",
    ),
]

# ==== webhooks of a supplier or a buying company (orders/views/webhooks.py) ======================
urlpatterns += [
    path("dashboard/webhooks/", views_webhooks.webhook_list, name="webhook_list"),
    path("dashboard/webhooks/<int:pk>/", views_webhooks.webhook_detail, name="webhook_detail"),
    path("dashboard/webhooks/<int:pk>/toggle/", views_webhooks.webhook_toggle, name="webhook_toggle"),
    path("dashboard/webhooks/<int:pk>/delete/", views_webhooks.webhook_delete, name="webhook_delete"),
    path(
        "dashboard/webhooks/<int:pk>/deliveries/<int:delivery_pk>/redeliver/",
        views_webhooks.webhook_redeliver_view,
        name="webhook_redeliver",
    ),
]
