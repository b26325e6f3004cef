"""Absolute links for mails and documents read outside the site: `{% absolute_url 'orders:order_detail' n %}`
and `{{ path|absolute }}` prefix settings.SITE_URL (a mail reader has no page to resolve "/orders/…" against)."""

from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()


@register.simple_tag
def absolute_url(view_name: str, *args: Any, **kwargs: Any) -> str:
    return settings.SITE_URL + reverse(view_name, args=args or None, kwargs=kwargs or None)


@register.filter
def absolute(path: str) -> str:
    path = str(path)
    return path if path.startswith(("http://", "https://")) else settings.SITE_URL + path
