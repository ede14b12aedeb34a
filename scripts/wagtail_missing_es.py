"""List the msgids of Wagtail's own catalogues that have no Spanish translation.

Wagtail ships only the strings its translators finished; those it lacks show in English in
our Spanish admin. locale_overrides/es/LC_MESSAGES/ supplies them. Run after a Wagtail
upgrade: `.venv/bin/python scripts/wagtail_missing_es.py` prints what is still missing.
"""

import pathlib
import re
import sys

import wagtail

SKIP = ("search_promotions", "table_block", "styleguide")  # apps we do not install


def entries(path: pathlib.Path) -> dict:
    found = {}
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
    """Wagtail's (file, entry) pairs with no Spanish, neither Wagtail's nor in `ours`."""
    root = pathlib.Path(wagtail.__file__).parent
    supplied = {}
    for path in ours:
        if path.exists():
            supplied.update(entries(path))
    gaps = []
    for english in sorted(root.glob(f"**/locale/en/LC_MESSAGES/{domain}.po")):
        if any(s in str(english) for s in SKIP):
            continue
        spanish = entries(pathlib.Path(str(english).replace("/en/", "/es/")))
        for key, (parts, _) in entries(english).items():
            if not spanish.get(key, (None, False))[1] and not supplied.get(key, (None, False))[1]:
                gaps.append((english.relative_to(root), parts))
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
