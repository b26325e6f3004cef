"""Fill the Chinese catalog's untranslated or fuzzy entries from JSON tables of translations.

    python scripts/fill_po.py TABLE.json [TABLE.json …]

Each table maps an English msgid to its Simplified Chinese msgstr; a plural entry's key is
"singular\\u0000plural" and its value a list of forms (Chinese has one). A table's translation
wins over what the catalog holds. Entries that stay untranslated are listed at the end, so that
`make messages` followed by this script shows what is left to translate. Python-format entries are
checked: a translation must use the same %(name)s placeholders as its msgid (its plural form's,
for a plural entry).
"""

import json
import re
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "marketplace/locale/zh_Hans/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def main(paths: list[str]) -> int:
    table: dict[str, str | list[str]] = {}
    for path in paths:
        table |= json.loads(Path(path).read_text(encoding="utf-8"))
    po = polib.pofile(str(PO))
    problems, missing = [], []
    for entry in po:
        if entry.obsolete:
            continue
        key = f"{entry.msgid}\0{entry.msgid_plural}" if entry.msgid_plural else entry.msgid
        value = table.get(key)
        if value is not None:
            forms = value if isinstance(value, list) else [value]
            source = entry.msgid_plural or entry.msgid
            if sorted(PLACEHOLDER.findall(forms[0])) != sorted(PLACEHOLDER.findall(source)):
                problems.append(entry.msgid)
                continue
            if entry.msgid_plural:
                entry.msgstr_plural = dict(enumerate(forms))
            else:
                entry.msgstr = forms[0]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = None
        done = any(entry.msgstr_plural.values()) if entry.msgid_plural else bool(entry.msgstr)
        if not done or "fuzzy" in entry.flags:
            missing.append(entry.msgid)
    po.save()
    for msgid in problems:
        print(f"placeholders differ, not filled: {msgid!r}")
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    print(f"{len(missing)} untranslated, {len(problems)} refused")
    return 1 if missing or problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
