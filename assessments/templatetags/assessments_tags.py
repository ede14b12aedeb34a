from django import template
from django.utils.formats import number_format
from django.utils.safestring import mark_safe

from assessments import text

register = template.Library()


@register.filter
def question_html(snapshot: dict) -> str:
    """A question's text as safe HTML, following its format."""
    return mark_safe(text.render(snapshot.get("text", ""), snapshot.get("format", "plain")))  # noqa: S308


@register.filter
def percent(value) -> str:
    """A score as "96,7 %" in the reader's language ("—" when there is none)."""
    if value is None or value == "":
        return "—"
    value = round(float(value), 1)
    return f"{number_format(value, decimal_pos=0 if value.is_integer() else 1)} %"


@register.filter
def signed(value) -> str:
    """A gain in points with its sign: "+12,5", "-3"."""
    if value is None:
        return "—"
    value = round(float(value), 1)
    text = number_format(abs(value), decimal_pos=0 if value.is_integer() else 1)
    return ("+" if value > 0 else "-" if value < 0 else "") + text
