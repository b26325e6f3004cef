"""Writes of buyers. Every state change happens in exactly one function here."""

from .inquiries import (
    BODY_MAX_LENGTH,
    DUPLICATE_WINDOW,
    SUBJECT_MAX_LENGTH,
    buyer_sign_up,
    inquiry_mark_read,
    inquiry_message_notify,
    inquiry_reply,
    inquiry_start,
    supplier_save,
    supplier_unsave,
)
from .team import (
    EMAIL_MAX_LENGTH,
    NAME_MAX_LENGTH,
    buyer_invitation_accept,
    buyer_invitation_join,
    buyer_invitation_withdraw,
    buyer_member_invite,
    buyer_member_remove,
)

__all__ = [
    "BODY_MAX_LENGTH",
    "DUPLICATE_WINDOW",
    "EMAIL_MAX_LENGTH",
    "NAME_MAX_LENGTH",
    "SUBJECT_MAX_LENGTH",
    "buyer_invitation_accept",
    "buyer_invitation_join",
    "buyer_invitation_withdraw",
    "buyer_member_invite",
    "buyer_member_remove",
    "buyer_sign_up",
    "inquiry_mark_read",
    "inquiry_message_notify",
    "inquiry_reply",
    "inquiry_start",
    "supplier_save",
    "supplier_unsave",
]
