"""Reads of accounts, scoped by who asks."""

from django.db.models import QuerySet

from .models import ApiToken, User


def api_token_list_for_user(*, user: User) -> QuerySet[ApiToken]:
    """`user`'s own tokens, newest first, revoked ones included (the page shows when they were
    revoked). One query, no joins: a token row holds everything the list shows."""
    return ApiToken.objects.for_user(user).order_by("-created_at", "-id")


def api_token_get_for_user(*, user: User, pk: int) -> ApiToken | None:
    """One of `user`'s tokens, or None (another user's token is not found)."""
    return ApiToken.objects.for_user(user).filter(pk=pk).first()
