"""Pure text handling (no database): sanitising posts, mentions, Spanish search word roots."""

import functools
import re
import unicodedata

import nh3
import snowballstemmer

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "a", "blockquote", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
MAX_BODY_CHARS = 10_000
MENTION = re.compile(r"(?<![\w@])@([a-z0-9][a-z0-9\-]{1,60}[a-z0-9])", re.IGNORECASE)
_BLOCK = re.compile(r"<(p|ul|ol|blockquote)\b", re.IGNORECASE)


def sanitise(body: str) -> str:
    """Safe HTML from what a person typed: a small set of tags, links with safe schemes and
    rel="nofollow noopener"; plain text becomes paragraphs."""
    body = (body or "").strip()[:MAX_BODY_CHARS]
    if not _BLOCK.search(body):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
        body = "".join("<p>" + p.replace("\n", "<br>") + "</p>" for p in paragraphs)
    return nh3.clean(
        body,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    ).strip()


def plain_text(html: str) -> str:
    """The words of a sanitised body, for e-mails and length checks."""
    return " ".join(nh3.clean(html or "", tags=set()).split())


def mention_handle(full_name: str) -> str:
    """A person's @-name: their full name without accents, lower case, words joined by hyphens."""
    ascii_name = unicodedata.normalize("NFKD", full_name or "").encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_name.lower()))


def mentions(text: str) -> set[str]:
    """The @-names in a text (lower case)."""
    return {
        m.lower()
        for m in MENTION.findall(plain_text(text) if "<" in (text or "") else (text or ""))
    }


def fold(word: str) -> str:
    """Lower case without accents (for comparing words, not for showing them)."""
    return unicodedata.normalize("NFKD", word.lower()).encode("ascii", "ignore").decode()


# Short words every Spanish text has: as prefixes they would match nearly everything.
STOP_WORDS = frozenset(
    [
        "como",
        "con",
        "contra",
        "cual",
        "cuando",
        "del",
        "desde",
        "donde",
        "entre",
        "esta",
        "estas",
        "este",
        "esto",
        "estos",
        "hasta",
        "las",
        "los",
        "mas",
        "muy",
        "para",
        "pero",
        "por",
        "porque",
        "que",
        "segun",
        "sin",
        "sobre",
        "son",
        "sus",
        "tambien",
        "todo",
        "todos",
        "una",
        "uno",
        "unas",
        "unos",
    ]
)
ROOT_MIN = 5


@functools.cache
def _spanish_stemmer():
    return snowballstemmer.stemmer("spanish")


def word_root(word: str) -> str:
    """The prefix that joins a Spanish word's family: its Snowball stem without accents, less
    the stem's last two letters (never under five). Derived words whose stems differ in their
    last letters meet: "violencia" (stem violenci) gives "violen" and "violentos" (violent)
    gives "viole", and each is a prefix of the other word."""
    stem = fold(_spanish_stemmer().stemWord(word.lower()))
    return stem if len(stem) <= ROOT_MIN else stem[: max(ROOT_MIN, len(stem) - 2)]


def word_roots(query: str, *, limit: int = 6) -> list[str]:
    """A root per query word (words under four letters and the commonest ones left out)."""
    roots = []
    for word in re.findall(r"\w+", query.lower()):
        if len(word) < 4 or fold(word) in STOP_WORDS:
            continue
        root = word_root(word)
        if root not in roots:
            roots.append(root)
    return roots[:limit]


def folded_words(*texts: str) -> str:
    """The words of some texts (HTML allowed) without accents, for the index that word roots
    are looked up in: a person typing on a phone often leaves the accents out."""
    return " ".join(fold(plain_text(text) if "<" in text else text) for text in texts if text)
