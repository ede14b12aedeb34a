from django import template

register = template.Library()


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
