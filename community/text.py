"""Pure text handling for posts (no database): sanitising, mentions, search word roots."""

import re
import unicodedata

import nh3

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


def word_roots(query: str, *, keep: int = 5) -> list[str]:
    """A root per query word that joins a Spanish word family for a prefix search:
    "violencia" and "violentos" both give "violen". Words shorter than 6 letters stay whole."""
    roots = []
    for word in re.findall(r"\w+", query.lower()):
        if len(word) < 4:
            continue
        root = word if len(word) < 6 else word[: max(keep, len(word) - 3)]
        if root not in roots:
            roots.append(root)
    return roots[:6]
