from django import template
from django.core.cache import cache
from django.utils import translation
from django.utils.safestring import mark_safe

from courses.caching import cache_seconds, content_version

register = template.Library()

BODY_SECONDS = 60 * 60


@register.simple_tag(takes_context=True)
def lesson_body(context, page):
    """The page's StreamField body, rendered once per content version and language.

    The blocks depend on the content only (no user, no CSRF token); rendering rich text and
    image renditions costs queries that a learner's every visit would otherwise repeat.
    """
    key = f"courses:body:v1:{content_version()}:{translation.get_language()}:{page.pk}"
    html = cache.get(key)
    if html is None:
        flat = context.flatten()
        html = "\n".join(str(child.render_as_block(context=flat)) for child in page.body)
        cache.set(key, html, cache_seconds(BODY_SECONDS))
    return mark_safe(html)  # noqa: S308 - rendered by the block templates, escaped there
