"""The form of a webhook endpoint on the dashboards' webhooks page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import WebhookEventType


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where the events are POSTed: an http(s) address on the public internet."),
    )
    description = forms.CharField(label=_("What it is for"), max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=WebhookEventType.choices, widget=forms.CheckboxSelectMultiple
    )
