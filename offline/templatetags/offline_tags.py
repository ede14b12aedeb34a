import json

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from ..selectors import account_key

register = template.Library()


@register.simple_tag(takes_context=True)
def offline_account(context) -> str:
    request = context.get("request")
    return account_key(request.user) if request is not None and hasattr(request, "user") else ""


@register.simple_tag
def offline_config():
    """URLs and words the offline script needs, as JSON for a data attribute (escaped on output:
    no inline script)."""
    return json.dumps(
        {
            "complete": reverse("courses:complete", args=[0]),
            "logout": reverse("logout"),
            "token": reverse("offline:token"),
            "sync": reverse("offline:sync"),
            "status": reverse("offline:status"),
            "t": {
                "offline": _("You are offline: you see the copies saved on this device."),
                "pending": _("Waiting to be sent"),
                "sent": _("Sent"),
                "rejected": _("Refused"),
                "pendingCount": _("to send when you are back online"),
                "size": _("About %s will be stored on this device."),
                "docs": _("Also the downloadable documents (%s)"),
                "saving": _("Saving…"),
                "saved": _("Saved on this device on %s."),
                "failed": _("Some parts could not be saved: try again with a better connection."),
                "done": _("Saved: you can open these pages without a connection."),
                "completedHere": _(
                    "Completed on this device: it will be sent when you are back online."
                ),
                "keep": _("Keep my answers to send later"),
                "kept": _(
                    "Your answers are kept on this device and will be sent when you are back "
                    "online."
                ),
                "copy": _("A copy to answer without a connection is saved on this device."),
                "answered": _("Answered"),
                "received": _("Received"),
                "score": _("Score"),
                "none": _("Nothing yet."),
                "needsConnection": _(
                    "This needs a connection: try again when you are back online."
                ),
            },
        },
        ensure_ascii=False,
    )
