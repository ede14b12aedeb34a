"""Question text to safe HTML by its format (plain, Moodle, HTML, Markdown). No database.

HTML from the bank is cut down to an allow-list, so an imported file cannot bring scripts,
styles or event handlers into a page.
"""

import re

from bs4 import BeautifulSoup
from django.utils.html import escape, linebreaks

ALLOWED_TAGS = {
    "p",
    "br",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "sub",
    "sup",
    "ul",
    "ol",
    "li",
    "code",
    "pre",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "span",
    "a",
}
ALLOWED_ATTRS = {"a": {"href"}, "th": {"scope"}}
SAFE_URL = re.compile(r"^(https?:|mailto:|/)", re.IGNORECASE)


def sanitise_html(source: str) -> str:
    soup = BeautifulSoup(source, "html.parser")
    for tag in soup.find_all(True):
        if tag.name in ("script", "style", "iframe", "object", "embed", "template"):
            tag.decompose()
            continue
        if tag.name not in ALLOWED_TAGS:
            tag.unwrap()
            continue
        allowed = ALLOWED_ATTRS.get(tag.name, set())
        for attr in list(tag.attrs):
            if attr not in allowed or (
                attr == "href" and not SAFE_URL.match(str(tag.attrs[attr]).strip())
            ):
                del tag.attrs[attr]
        if tag.name == "a":
            tag.attrs["rel"] = "noopener"
    return str(soup)


_BULLET = re.compile(r"^\s*[-*]\s+")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?!\w)")
_CODE = re.compile(r"`([^`]+)`")


def markdown_basic(source: str) -> str:
    """The Markdown people write in quiz questions: paragraphs, line breaks, bold, italic, code,
    bullet lists. Everything is escaped first."""
    blocks = re.split(r"\n\s*\n", source.strip())
    out = []
    for block in blocks:
        lines = block.split("\n")
        if all(_BULLET.match(line) for line in lines):
            items = "".join("<li>" + _inline(_BULLET.sub("", line)) + "</li>" for line in lines)
            out.append(f"<ul>{items}</ul>")
        else:
            out.append("<p>" + "<br>".join(_inline(line) for line in lines) + "</p>")
    return "".join(out)


def _inline(text: str) -> str:
    text = escape(text)
    text = _CODE.sub(r"<code>\1</code>", text)
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    return _ITALIC.sub(r"<em>\1</em>", text)


def render(text: str, text_format: str) -> str:
    if text_format == "html":
        return sanitise_html(text)
    if text_format == "markdown":
        return markdown_basic(text)
    return linebreaks(escape(text))
