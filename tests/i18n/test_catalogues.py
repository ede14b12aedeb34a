"""Every string of ours is translated, in one register (usted) and with one word (constancia)."""

import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = re.search(r"^APPS_WITH_LOCALE := (.*)$", (ROOT / "Makefile").read_text(), re.M)[1].split()
OURS = [ROOT / "locale"] + [ROOT / app / "locale" for app in APPS]
OVERRIDES = ROOT / "locale_overrides"


def catalogue(path: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr[...] and flags."""
    found = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        parts, key = {"flags": ""}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                parts["flags"] += line
            match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                parts[key] = match.group(2)
            elif key and line.startswith('"'):
                parts[key] += line[1:-1]
        if parts.get("msgid"):
            parts["translations"] = [v for k, v in parts.items() if k.startswith("msgstr")]
            found.append(parts)
    return found


def spanish_catalogues() -> list[Path]:
    return [base / "es/LC_MESSAGES/django.po" for base in OURS] + sorted(
        (OVERRIDES / "es/LC_MESSAGES").glob("*.po")
    )


def spanish_strings() -> list[tuple[str, str]]:
    return [
        (str(path.relative_to(ROOT)), text)
        for path in spanish_catalogues()
        for entry in catalogue(path)
        for text in entry["translations"]
    ]


@pytest.mark.parametrize("path", spanish_catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_spanish_entry_is_translated_and_none_is_fuzzy(path):
    gaps = [
        e["msgid"] for e in catalogue(path) if "fuzzy" in e["flags"] or not all(e["translations"])
    ]
    assert gaps == [], f"{path.relative_to(ROOT)}: untranslated or fuzzy: {gaps}"


SPANISH_MSGID = re.compile(r"[¿¡]|\b(el|los|las|del|que|para|con|una|por|usted|su|sus)\b")


@pytest.mark.parametrize("base", OURS, ids=lambda p: str(p.relative_to(ROOT)))
def test_an_english_catalogue_translates_every_msgid_written_in_spanish(base):
    """Our msgids are English; one written in Spanish needs an English msgstr."""
    gaps = [
        e["msgid"]
        for e in catalogue(base / "en/LC_MESSAGES/django.po")
        if SPANISH_MSGID.search(e["msgid"]) and not all(e["translations"])
    ]
    assert gaps == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext tools are not installed")
@pytest.mark.parametrize(
    "path",
    [p for base in OURS + [OVERRIDES] for p in base.glob("*/*/*.po")],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_msgfmt_accepts_the_catalogue_and_its_placeholders(path):
    result = subprocess.run(  # noqa: S603 — a fixed tool on our own files
        ["msgfmt", "--check-format", "-o", "/dev/null", str(path)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


# Second-person "tú" forms that have no formal reading. Words that are also third person or
# nouns ("completa", "revisa", "prueba") are left out: they cannot be told apart by a pattern.
INFORMAL = re.compile(
    r"\b(tu|tus|tuyo|tuya|ti|contigo|tienes|puedes|debes|quieres|necesitas|estás|eres|"
    r"recibirás|podrás|verás|tendrás|inscríbete|regístrate|descárgalo|descárgala|inténtalo|"
    r"únete|suscríbete|cancélalo|corrígelo|quítalo|cámbiala|verifícalo|compártelo|"
    r"olvidaste|enviaste|escribiste|seleccionaste|concluiste|asististe|te inscribiste|"
    r"te diste|pediste|compartiste|coordinas|facilitas|escribas|quedas|estabas|"
    r"inicia sesión|crea tu|restablece tu|repite la|déjalo|espera un|espera unos)\b",
    re.IGNORECASE,
)


def test_spanish_strings_use_the_formal_register():
    informal = [(where, text) for where, text in spanish_strings() if INFORMAL.search(text)]
    assert informal == []


def test_spanish_strings_call_the_document_a_constancia():
    wrong = [(w, t) for w, t in spanish_strings() if re.search(r"certificad[oa]s?\b", t, re.I)]
    assert wrong == []


def test_the_wagtail_overrides_do_not_change_the_wording_of_our_apps():
    """LOCALE_PATHS win over every app's catalogue: an override of a msgid one of our apps
    translates would silently replace the app's wording (say «Revocada» by «Revocado»)."""
    ours = {}
    for base in OURS:
        for entry in catalogue(base / "es/LC_MESSAGES/django.po"):
            ours[(entry.get("msgctxt"), entry["msgid"])] = entry["translations"]
    clashes = [
        entry["msgid"]
        for entry in catalogue(OVERRIDES / "es/LC_MESSAGES/django.po")
        if ours.get((entry.get("msgctxt"), entry["msgid"]), entry["translations"])
        != entry["translations"]
    ]
    assert clashes == []


def test_every_wagtail_admin_string_has_spanish():
    """Wagtail's Spanish catalogue lacks some strings; locale_overrides/ supplies them. After a
    Wagtail upgrade this lists the new ones (scripts/wagtail_missing_es.py prints them too)."""
    spec = importlib.util.spec_from_file_location(
        "wagtail_missing_es", ROOT / "scripts/wagtail_missing_es.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    gaps = []
    for domain in ("django", "djangojs"):
        ours = sorted(ROOT.glob(f"*/locale/es/LC_MESSAGES/{domain}.po"))
        ours.append(OVERRIDES / f"es/LC_MESSAGES/{domain}.po")
        gaps += [parts["msgid"] for _, parts in module.missing(domain, ours)]
    assert gaps == []


TEMPLATE_DIRS = [ROOT / "templates"] + [ROOT / app / "templates" for app in APPS + ["lms"]]
# Text that is the same in every language: autonyms of the language menu, a brand, file formats.
SAME_IN_EVERY_LANGUAGE = {"Español", "English", "WhatsApp", "XLSX", "CSV", "h"}


def untranslated_text(source: str) -> list[str]:
    """Words in a Django template outside {% translate %} and {% blocktranslate %}."""
    source = re.sub(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", "", source, flags=re.S)
    source = re.sub(
        r"\{%\s*blocktranslate\b.*?\{%\s*endblocktranslate\s*%\}", "", source, flags=re.S
    )
    source = re.sub(r"<(script|style)\b.*?</\1>", "", source, flags=re.S)
    source = re.sub(
        r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}|<[^>]*>|&[a-z]+;|&#\d+;", " ", source, flags=re.S
    )
    return re.findall(r"[^\W\d_][\w'’\-]*(?: [\w'’\-]+)*", source)


def test_template_text_goes_through_translation():
    found = []
    for directory in TEMPLATE_DIRS:
        for path in sorted(directory.rglob("*")):
            if path.suffix in (".html", ".txt"):
                words = untranslated_text(path.read_text(encoding="utf-8"))
                found += [(str(path.relative_to(ROOT)), w) for w in words]
    assert [f for f in found if f[1] not in SAME_IN_EVERY_LANGUAGE] == []
