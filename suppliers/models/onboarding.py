"""Belt operators bring their companies on board as a group: invitations."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def new_invitation_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """An operator's invitation of one company; its link opens a pre-filled application."""

    belt = models.ForeignKey("belts.Belt", on_delete=models.CASCADE, related_name="invitations")
    company_name = models.CharField(_("company"), max_length=200)
    contact_name = models.CharField(_("contact"), max_length=100)
    email = models.EmailField(_("email"))
    token = models.CharField(max_length=40, unique=True, default=new_invitation_token)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)
    supplier = models.OneToOneField(
        "suppliers.Supplier", on_delete=models.SET_NULL, null=True, blank=True, related_name="invitation"
    )

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["belt", "email"], name="invitation_unique_email_per_belt")]

    def __str__(self) -> str:
        return f"{self.company_name} <{self.email}>"

    def get_absolute_url(self) -> str:
        return reverse("suppliers:apply_invited", args=[self.token])
