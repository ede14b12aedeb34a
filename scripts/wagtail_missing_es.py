"""List the msgids of Wagtail's own catalogues (and wagtailmedia's) that have no Spanish.

Wagtail ships only the strings its translators finished, and wagtailmedia no Spanish at all;
those they lack show in English in our Spanish admin. locale_overrides/es/LC_MESSAGES/
supplies them. Run after upgrading either: `.venv/bin/python scripts/wagtail_missing_es.py`
prints what is still missing.
"""

import pathlib
import re
import sys

import wagtail
import wagtailmedia

SKIP = ("search_promotions", "table_block", "styleguide")  # apps we do not install
# Admin packages whose English catalogues list the msgids shown in our admin.
PACKAGES = (wagtail, wagtailmedia)


def entries(path: pathlib.Path) -> dict:
    found = {}
    if not path.exists():  # wagtailmedia has no locale/es at all
        return found
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        parts, key, fuzzy = {}, None, "#, fuzzy" in block
        for line in block.splitlines():
            match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                parts[key] = match.group(2)
            elif key and line.startswith('"'):
                parts[key] += line[1:-1]
        if parts.get("msgid"):
            done = not fuzzy and all(v for k, v in parts.items() if k.startswith("msgstr"))
            found[(parts.get("msgctxt"), parts["msgid"])] = (parts, done)
    return found


def missing(domain: str, ours: list[pathlib.Path]) -> list:
    """The packages' (file, entry) pairs with no Spanish: not in any of their Spanish
    catalogues (a msgid gettext finds in one is found for all) nor in `ours`."""
    supplied = {}
    for path in ours:
        supplied.update(entries(path))
    english, spanish = [], {}
    for package in PACKAGES:
        root = pathlib.Path(package.__file__).parent
        for path in sorted(root.glob(f"**/locale/en/LC_MESSAGES/{domain}.po")):
            if not any(s in str(path) for s in SKIP):
                english.append((path.relative_to(root.parent), entries(path)))
        for path in root.glob(f"**/locale/es/LC_MESSAGES/{domain}.po"):
            spanish.update({k: v for k, v in entries(path).items() if v[1]})
    gaps = []
    for where, found in english:
        for key, (parts, _) in found.items():
            if key not in spanish and not supplied.get(key, (None, False))[1]:
                gaps.append((where, parts))
    return gaps


if __name__ == "__main__":
    project = pathlib.Path(__file__).resolve().parent.parent
    total = 0
    for domain in ("django", "djangojs"):
        # Our own catalogues count too: where one of our apps translates a msgid, the
        # override leaves it out (LOCALE_PATHS would otherwise win over the app's wording).
        ours = sorted(project.glob(f"*/locale/es/LC_MESSAGES/{domain}.po"))
        ours.append(project / f"locale_overrides/es/LC_MESSAGES/{domain}.po")
        for where, parts in missing(domain, ours):
            total += 1
            print(f"{where}: {parts['msgid']}")
    sys.exit(1 if total else 0)
