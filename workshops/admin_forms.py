"""Admin forms for workshops: session times in the session's own time zone; safe session removal."""

from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.admin.panels import InlinePanel

LOCAL_TIME_FIELDS = ("start", "end", "registration_deadline", "cancellation_deadline")


def as_zone_wall_clock(value, zone: str):
    """An aware datetime as the naive local time an editor reads in `zone`."""
    return value.astimezone(ZoneInfo(zone)).replace(tzinfo=None) if value else value


def reinterpret_in_zone(value, zone: str):
    """The admin form parsed `value` in the editor's zone; keep the wall-clock time, use `zone`."""
    if value is None:
        return None
    naive = timezone.make_naive(value, timezone.get_current_timezone())
    return naive.replace(tzinfo=ZoneInfo(zone))


class SessionTimesMixin:
    """Shows and reads start, end and deadlines as wall-clock times of the session's time zone."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = getattr(self.instance, "time_zone", "") or "America/Mexico_City"
        for name in LOCAL_TIME_FIELDS:
            if name in self.fields and getattr(self.instance, name, None):
                self.initial[name] = as_zone_wall_clock(getattr(self.instance, name), zone)

    def clean(self):
        cleaned = super().clean()
        zone = cleaned.get("time_zone") or "America/Mexico_City"
        for name in LOCAL_TIME_FIELDS:
            if cleaned.get(name) is not None:
                cleaned[name] = reinterpret_in_zone(cleaned[name], zone)
        return cleaned


class SessionAdminForm(SessionTimesMixin, WagtailAdminModelForm):
    pass


class SessionInlinePanel(InlinePanel):
    """InlinePanel whose child form reads times in the session's time zone."""

    def get_form_options(self):
        options = super().get_form_options()
        formset = options["formsets"][self.relation_name]
        base = formset.get("form")
        formset["form"] = (
            type(base)("WorkshopSessionForm", (SessionTimesMixin, base), {})
            if base
            else SessionAdminForm
        )
        return options


class WorkshopPageForm(WagtailAdminPageForm):
    """Refuses to remove a session that has registrations or materials (they PROTECT it)."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("sessions")
        if formset is None or not formset.is_valid():
            return cleaned
        from .models import Registration, SessionMaterial

        removed = [f.instance.pk for f in formset.deleted_forms if f.instance.pk]
        if not removed:
            return cleaned
        used = set(
            Registration.objects.filter(session_id__in=removed).values_list("session_id", flat=True)
        )
        used |= set(
            SessionMaterial.objects.filter(session_id__in=removed).values_list(
                "session_id", flat=True
            )
        )
        if used:
            self.add_error(
                None,
                _(
                    "A session that people registered for cannot be removed (%(count)s "
                    "session(s) have registrations or materials); change its date or capacity "
                    "instead."
                )
                % {"count": len(used)},
            )
        return cleaned
