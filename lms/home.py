"""The learner home ("Mi aprendizaje") gathers panels that other apps register.

An app registers a Wagtail hook named ``learner_home_panels``; the hook receives the request and
returns a `HomePanel` or ``None``. Lower apps never import higher ones: the home only asks the
hooks, as the Wagtail admin home does with its panels.
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from wagtail import hooks

HOOK_NAME = "learner_home_panels"


@dataclass
class HomePanel:
    order: int
    template_name: str
    context: dict = field(default_factory=dict)

    def render(self, request) -> str:
        return render_to_string(self.template_name, self.context, request=request)


def home_panels(request) -> list[HomePanel]:
    panels = [panel for fn in hooks.get_hooks(HOOK_NAME) if (panel := fn(request)) is not None]
    return sorted(panels, key=lambda p: p.order)
