from django import template
from django.core.cache import cache

from reports.selectors import can_see_reports

register = template.Library()

NAV_CACHE_SECONDS = 300


@register.inclusion_tag("reports/nav_link.html")
def reports_nav_link(user):
    """The "Reports" menu entry, for trainers and programme managers only.

    The menu is on every page, so the answer is cached per user for a few minutes instead of
    costing a query each time; the report views themselves always check afresh.
    """
    if not getattr(user, "is_authenticated", False):
        return {"show": False}
    key = f"reports:nav:{user.pk}"
    show = cache.get(key)
    if show is None:
        show = can_see_reports(user)
        cache.set(key, show, NAV_CACHE_SECONDS)
    return {"show": show}


@register.filter
def percent(value):
    """A score out of 100 as "73 %" or an em dash when there is none."""
    if value is None or value == "":
        return "—"
    return f"{float(value):.0f} %"


@register.filter
def signed(value):
    if value is None or value == "":
        return "—"
    return f"{float(value):+.0f}"
