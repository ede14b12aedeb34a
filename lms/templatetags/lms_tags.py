from django import template
from wagtail import hooks

register = template.Library()


@register.inclusion_tag("includes/hook_links.html", takes_context=True)
def hook_links(context, name: str):
    """Links other apps add to a place (``footer``, ``profile``) through the ``lms_<name>_links``
    hook.

    Each hook function takes the request and returns a list of (label, url) pairs.
    """
    request = context.get("request")
    links = [link for fn in hooks.get_hooks(f"lms_{name}_links") for link in (fn(request) or [])]
    return {"links": links}


@register.inclusion_tag("includes/nav_hook_items.html", takes_context=True)
def nav_hook_items(context):
    """Main-menu items other apps add through the ``lms_nav_links`` hook (request -> [(label,
    url)])."""
    request = context.get("request")
    return {
        "links": [link for fn in hooks.get_hooks("lms_nav_links") for link in (fn(request) or [])]
    }


PROGRAMME_DEPTH = 3  # root › home page › programme


@register.simple_tag(takes_context=True)
def programme_help(context) -> dict:
    """The help channels of the programme the current page belongs to, if it names any.

    A programme is the page at depth 3 of the tree; it may declare ``help_phone``, ``help_email``
    and ``help_hours``. Kept per content version (docs/caching.md).
    """
    from wagtail.models import Page

    from lms.caching import content_cached

    page = context.get("page") or context.get("course")
    path = getattr(page, "path", "")
    if len(path) < Page.steplen * PROGRAMME_DEPTH:
        return {}
    prefix = path[: Page.steplen * PROGRAMME_DEPTH]

    def build() -> dict:
        programme = Page.objects.filter(path=prefix).specific().first()
        if programme is None:
            return {}
        return {
            name: getattr(programme, f"help_{name}", "") or ""
            for name in ("phone", "email", "hours")
        }

    return content_cached(f"programme-help:{prefix}", build)


@register.simple_tag(takes_context=True)
def site_help(context) -> dict:
    """The site's help channels (Wagtail site settings), kept per content version: saving the
    settings sets a new one (courses.handlers)."""
    from wagtail.models import Site

    from lms.caching import content_cached
    from lms.models import HelpSettings

    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None

    def build() -> dict:
        # Read, never created: Wagtail's `for_site` inserts the row on a first GET; until an
        # editor saves the settings, the model's defaults are the channels.
        help_settings = (
            HelpSettings.objects.filter(site=site).first() if site else None
        ) or HelpSettings()
        return {
            name: getattr(help_settings, name) for name in ("phone", "email", "hours", "whatsapp")
        }

    return content_cached(f"site-help:{getattr(site, 'pk', 0)}", build)


@register.inclusion_tag("includes/staff_tools.html")
def staff_tools(user):
    """The header's "Staff tools" menu: the links apps add through the ``lms_staff_links`` hook
    (each function takes the user and returns (label, url) pairs). Read on every page: the
    hooks ask `lms.selectors`, whose role reads are one query per request (`User.grants`), so a
    role granted or taken shows on the next page."""
    if not getattr(user, "is_authenticated", False):
        return {"links": []}
    links = [link for fn in hooks.get_hooks("lms_staff_links") for link in fn(user) or []]
    return {"links": links}


def _locale_languages() -> dict[int, str]:
    """Locale id -> language code, kept per content version (saving a locale sets a new one)."""
    from wagtail.models import Locale

    from lms.caching import content_cached

    return content_cached(
        "locale-languages", lambda: dict(Locale.objects.values_list("pk", "language_code"))
    )


def language_of(obj) -> str:
    """The language an object's text is written in: its locale's (pages, translatable snippets)."""
    locale_id = getattr(obj, "locale_id", None)
    if locale_id is None:
        return ""
    return _locale_languages().get(locale_id, "")


@register.simple_tag(takes_context=True)
def content_language(context) -> str:
    """The language of what the page shows: the Wagtail page's own, else the interface's.
    `<html lang>` says it; the parts in another language say theirs (`lang_attr`)."""
    from django.utils.translation import get_language

    return language_of(context.get("page")) or get_language()


@register.simple_tag
def lang_attr(obj) -> str:
    """` lang="es"` on an element holding the text of `obj` (a page) when that text is not in
    the interface language, else nothing."""
    from django.utils.html import format_html
    from django.utils.translation import get_language

    code = language_of(obj)
    return format_html(' lang="{}"', code) if code and code != get_language() else ""


@register.inclusion_tag("includes/content_language_notice.html", takes_context=True)
def content_language_notice(context):
    """Said once on a page whose content is not in the interface language: which language it
    is in, and the link to the page's own translation into the interface language if there is
    one. The notice is in the interface language."""
    from django.utils.translation import get_language, get_language_info
    from wagtail.models import Locale

    page = context.get("page")
    code = language_of(page)
    active = get_language()
    if not code or code == active:
        return {"show": False}
    translation = None
    locale = Locale.objects.filter(language_code=active).first()
    if locale is not None:
        translation = page.get_translations().live().filter(locale=locale).first()
    return {
        "show": True,
        "language": get_language_info(code)["name_translated"],
        "own_language": get_language_info(active)["name_translated"],
        "translation_url": translation.get_url(context.get("request")) if translation else "",
    }
