from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework.utils.encoders import JSONEncoder


class IdempotentRequest(models.Model):
    """An API client's idempotency key: inserted first in the request's transaction, so a retried
    or concurrent request with the same key runs once and is answered with the first response.

    `user_id` is a plain column, not a foreign key: the kernel points no relation up to accounts
    (docs/architecture.md); rows of a deleted user are dropped by the daily purge with the rest.
    `(user_id, key)` is unique across endpoints: a key sent to another operation is refused (422)."""

    user_id = models.BigIntegerField(_("user"))
    key = models.CharField(_("idempotency key"), max_length=100)
    endpoint = models.CharField(_("operation"), max_length=200)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("answer status"), null=True)
    response = models.JSONField(_("answer body"), null=True, encoder=JSONEncoder)
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [
            models.UniqueConstraint(fields=["user_id", "key"], name="idempotentrequest_unique_key_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key} {self.endpoint}"
