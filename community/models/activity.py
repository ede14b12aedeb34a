"""The discussion activity: a module's conversation, complete by a rule of participation."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from courses.models import ActivityPage


class DiscussionPage(ActivityPage):
    """An activity under a module: learners of the course discuss a prompt in the page's own
    space; starting `threads_required` threads and replying to `replies_required` peers'
    threads completes it (through the courses completion service)."""

    prompt = models.TextField(
        _("prompt"), help_text=_("The question or task the learners discuss.")
    )
    threads_required = models.PositiveSmallIntegerField(_("threads to start"), default=1)
    replies_required = models.PositiveSmallIntegerField(_("replies to peers"), default=2)
    allow_anonymous = models.BooleanField(
        _("allow anonymous posts"),
        default=False,
        help_text=_(
            "Participants may post as anonymous to their peers; moderators still see their names."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("prompt"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("threads_required"), FieldPanel("replies_required")]),
                FieldPanel("allow_anonymous"),
            ],
            heading=_("Completion rule"),
        ),
        MultiFieldPanel(ActivityPage.activity_panels, heading=_("Activity")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("prompt")]

    activity_kind_label = _("Discussion")

    class Meta:
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")

    def get_context(self, request, *args, **kwargs):
        from ..selectors import discussion_activity_context

        context = super().get_context(request, *args, **kwargs)
        context.update(discussion_activity_context(request.user, self))
        return context
