from django import template
from wagtail import hooks

register = template.Library()


@register.inclusion_tag("includes/hook_links.html", takes_context=True)
def hook_links(context, name: str):
    """Links other apps add to a place (``footer``, ``profile``) through the ``lms_<name>_links`` hook.

    Each hook function takes the request and returns a list of (label, url) pairs.
    """
    request = context.get("request")
    links = [link for fn in hooks.get_hooks(f"lms_{name}_links") for link in (fn(request) or [])]
    return {"links": links}
