"""Bilingual model fields: `name_en` / `name_zh` pairs read through one attribute."""

from typing import Any

from django.utils.translation import get_language


def current_language_suffix() -> str:
    """'zh' while a Chinese language is active, else 'en'."""
    return "zh" if (get_language() or "en").lower().startswith("zh") else "en"


class Localized:
    """Descriptor: `name = Localized("name")` returns `name_zh` in Chinese, else `name_en`.

    Falls back to the other language when the active one is empty, so a half-translated
    record never shows a blank.
    """

    def __init__(self, base: str) -> None:
        self.base = base

    def __get__(self, obj: Any, objtype: type | None = None) -> Any:
        if obj is None:
            return self
        suffix = current_language_suffix()
        other = "en" if suffix == "zh" else "zh"
        return getattr(obj, f"{self.base}_{suffix}") or getattr(obj, f"{self.base}_{other}")
