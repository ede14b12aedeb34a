"""Listing columns for our snippet viewsets that show values the way the Spanish admin reads them.

Wagtail turns a field name in `list_display` into a plain column, so a boolean prints as
"True"/"False" and a field without a translated verbose name shows its English attribute name.
"""

from django.db.models import Model
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, DateColumn


class YesNoColumn(BooleanColumn):
    """Wagtail's tick/cross column, with «Sí»/«No» for screen readers instead of True/False."""

    cell_template_name = "lms/admin/yes_no_cell.html"


def boolean_column(model: type[Model], field_name: str) -> YesNoColumn:
    """A yes/no icon column labelled with the field's (translated) verbose name, sortable."""
    label = capfirst(model._meta.get_field(field_name).verbose_name)
    return YesNoColumn(field_name, label=label, sort_key=field_name)


def date_column(field_name: str, label: str) -> DateColumn:
    """A sortable date column with a label of our own (for fields with no verbose name)."""
    return DateColumn(field_name, label=label, sort_key=field_name)


def updated_column(field_name: str = "updated_at") -> DateColumn:
    """The last change, labelled «Actualizado» whatever the field's verbose name."""
    return date_column(field_name, _("Updated"))
