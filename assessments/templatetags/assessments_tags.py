from django import template
from django.utils.safestring import mark_safe

from assessments import text

register = template.Library()


@register.filter
def question_html(snapshot: dict) -> str:
    """A question's text as safe HTML, following its format."""
    return mark_safe(text.render(snapshot.get("text", ""), snapshot.get("format", "plain")))  # noqa: S308


@register.filter
def percent(value) -> str:
    if value is None or value == "":
        return "—"
    value = float(value)
    return f"{value:.0f} %" if value.is_integer() else f"{value:.1f} %"


@register.filter
def signed(value) -> str:
    if value is None:
        return "—"
    value = float(value)
    return f"{value:+.1f}"
