from django import template

from reports.selectors import can_see_reports

register = template.Library()


@register.inclusion_tag("reports/nav_link.html")
def reports_nav_link(user):
    """The "Reports" menu entry, for trainers and programme managers only."""
    return {"show": can_see_reports(user)}


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
