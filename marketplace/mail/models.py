"""Outbound mail: one row per email, written in the transaction of the change that caused it."""

import datetime

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboundMailQuerySet(models.QuerySet["OutboundMail"]):
    def unsent(self) -> "OutboundMailQuerySet":
        return self.filter(sent_at__isnull=True)

    def due(self, *, now: datetime.datetime, max_attempts: int) -> "OutboundMailQuerySet":
        """Unsent mails whose next attempt is due and that have attempts left, oldest first."""
        return self.unsent().filter(next_attempt_at__lte=now, attempts__lt=max_attempts).order_by("next_attempt_at")


class OutboundMail(models.Model):
    """An email as rendered when it was enqueued; `sent_at` is set once, by the one send that
    delivered it to the mail server (marketplace.mail.services.mail_send)."""

    kind = models.CharField(_("kind"), max_length=64, blank=True, db_index=True)
    to = ArrayField(models.EmailField(max_length=254), verbose_name=_("recipients"))
    subject = models.CharField(_("subject"), max_length=998)
    body = models.TextField(_("text body"))
    html_body = models.TextField(_("HTML body"), blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True)
    # The same mail is never enqueued twice: a caller that may run again names its mail.
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    objects = OutboundMailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outbound mail")
        verbose_name_plural = _("outbound mails")
        ordering = ("-created_at", "-pk")
        indexes = [
            # The sweep's query: only the (few) unsent rows are in this index.
            models.Index(fields=["next_attempt_at"], condition=Q(sent_at__isnull=True), name="mail_unsent_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind or 'mail'} to {', '.join(self.to)}: {self.subject}"

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None
