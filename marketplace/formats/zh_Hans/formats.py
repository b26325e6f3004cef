"""Django's zh_Hans formats with digit grouping by three, separated by commas (88,000)."""

from django.conf.locale.zh_Hans.formats import *  # type: ignore[import-untyped]  # noqa: F403  (every other format as Django has it)

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
