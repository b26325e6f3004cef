"""`{% panels "app.page.place" %}`: the panels higher apps added to a slot (marketplace.panels)."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from marketplace.panels import slot_get

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context: template.Context, name: str) -> SafeString:
    # Each panel's template escapes its own output, as an {% include %} would.
    return mark_safe(slot_get(name).render(context))  # noqa: S308  # nosec B308 B703
