"""The course tree (Wagtail pages) and the learner state beside it (plain models).

HomePage > ProgrammePage > CoursePage > ModulePage > activity pages. An activity is any page
whose model subclasses `ActivityPage`; lessons live here, quizzes, surveys and workshops in the
apps above. Completion is one mechanism for all of them: `ActivityProgress`.
"""

from django.conf import settings
from django.db import models
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from lms.caching import content_version
from lms.pages import SitePageMixin

from .blocks import LessonBodyBlock
from .progress import IN_PROGRESS, NOT_STARTED

OUTLINE_CACHE_SECONDS = 60 * 60


class HomePage(SitePageMixin, Page):
    """The site's front page: the programmes and a word of welcome."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.ProgrammePage", "community.LibraryIndexPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """Wagtail's routing, in one query for the page and one for its specific type instead
        of two per level of the tree: the page whose URL path is the whole request path. Our
        page types do not route sub-paths themselves, so this finds what the per-level walk
        would; anything else (no page at that path) falls back to that walk."""
        if path_components:
            url_path = self.url_path + "/".join(path_components) + "/"
            page = (
                Page.objects.descendant_of(self)
                .filter(url_path=url_path, depth=self.depth + len(path_components))
                .specific()
                .first()
            )
            if page is not None:
                return page.route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["programmes"] = ProgrammePage.objects.child_of(self).live().public().specific()
        return context


class ProgrammePage(SitePageMixin, Page):
    """One programme (the masculinities course, the B+HR Academy): audience and help channels."""

    summary = models.TextField(_("summary"), blank=True)
    audience = models.TextField(_("audience"), blank=True)
    body = RichTextField(_("description"), blank=True)
    help_phone = models.CharField(_("help phone"), max_length=40, blank=True)
    help_email = models.EmailField(_("help e-mail"), blank=True)
    help_hours = models.CharField(_("help hours"), max_length=120, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("audience"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("help_phone"), FieldPanel("help_email"), FieldPanel("help_hours")],
            heading=_("Help channels"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("audience"),
    ]

    parent_page_types = ["courses.HomePage"]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = (
            CoursePage.objects.child_of(self).live().public().select_related("cover_image")
        )
        return context


class CoursePage(SitePageMixin, Page):
    """A course: modules of activities; completing it issues its certificate."""

    class EnrolmentMode(models.TextChoices):
        OPEN = "open", _("Open: anyone with an account can enrol")
        COHORT = "cohort", _("Cohort only: learners are enrolled through their cohort")

    summary = models.TextField(_("summary"))
    audience = models.TextField(_("audience"), blank=True)
    description = RichTextField(_("description"), blank=True)
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=1,
        default=10,
        help_text=_("Hours stated on the certificate."),
    )
    # The page's locale decides it (`save`): one source of truth, shown to no editor.
    language = models.CharField(
        _("language of instruction"), max_length=10, choices=settings.LANGUAGES, default="es"
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    enrolment_mode = models.CharField(
        _("enrolment"), max_length=10, choices=EnrolmentMode.choices, default=EnrolmentMode.OPEN
    )
    prerequisites = ParentalManyToManyField(
        "courses.CoursePage",
        verbose_name=_("prerequisite courses"),
        blank=True,
        related_name="required_by",
        help_text=_("Courses a learner must complete before enrolling in this one."),
    )
    certificate_validity_months = models.PositiveSmallIntegerField(
        _("certificate validity (months)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for certificates that do not expire."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("audience"),
        FieldPanel("description"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [
                FieldPanel("hours"),
                FieldPanel("enrolment_mode"),
                FieldPanel("prerequisites"),
                FieldPanel("certificate_validity_months"),
            ],
            heading=_("Enrolment and certificate"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("audience"),
        index.SearchField("description"),
        index.FilterField("enrolment_mode"),
        index.FilterField("language"),
    ]

    parent_page_types = ["courses.ProgrammePage"]
    subpage_types = ["courses.ModulePage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def save(self, *args, **kwargs):
        """The language of instruction is the page's locale (a translation made with
        wagtail-localize is a course in the translation's language)."""
        if self.locale_id:
            self.language = self.locale.language_code
        return super().save(*args, **kwargs)

    def get_programme(self):
        return ProgrammePage.objects.ancestor_of(self).first()

    def get_context(self, request, *args, **kwargs):
        from .selectors import (
            course_status,
            enrolment_cohort_for,
            enrolment_for,
            prerequisites_missing,
        )

        context = super().get_context(request, *args, **kwargs)
        user = request.user
        enrolment = enrolment_for(user, self)
        can_join = not enrolment and user.is_authenticated
        if can_join and self.enrolment_mode != self.EnrolmentMode.OPEN:
            can_join = enrolment_cohort_for(user, self) is not None
        context["enrolment"] = enrolment
        context["course_status"] = course_status(user, self, enrolment=enrolment)
        context["can_enrol"] = can_join
        context["missing_prerequisites"] = prerequisites_missing(user, self) if can_join else []
        context["programme"] = self.get_programme()
        # The outline's rendering is kept per content version (none while the cache is down).
        context["content_version"] = content_version()
        context["outline_seconds"] = OUTLINE_CACHE_SECONDS if context["content_version"] else 0
        return context


class ModulePage(SitePageMixin, Page):
    """An ordered part of a course (page order in the tree is the module order)."""

    summary = models.TextField(_("summary"), blank=True)
    requires_previous = models.BooleanField(
        _("complete the previous module first"),
        default=False,
        help_text=_(
            "Learners see this module's activities only after completing the previous module."
        ),
    )

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("requires_previous")]

    parent_page_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    @classmethod
    def clean_subpage_models(cls):
        """Children are activity pages of any app (lessons, quizzes, surveys, workshops) only."""
        from wagtail.models import get_page_models

        return [m for m in get_page_models() if issubclass(m, ActivityPage)]

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_of, course_status, enrolment_for

        context = super().get_context(request, *args, **kwargs)
        course = course_of(self)
        if course is not None:
            enrolment = enrolment_for(request.user, course)
            status = course_status(request.user, course, enrolment=enrolment)
            context.update(
                course=course,
                enrolment=enrolment,
                module_status=next((m for m in status.modules if m.node.id == self.pk), None),
            )
        return context


class ActivityPage(SitePageMixin, Page):
    """Base of every page a learner completes. Subclasses declare how completion happens."""

    required = models.BooleanField(
        _("required"),
        default=True,
        help_text=_("Required activities count towards module completion."),
    )
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=10)

    settings_panels = [*Page.settings_panels]
    activity_panels = [FieldPanel("required"), FieldPanel("estimated_minutes")]

    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        abstract = True

    activity_kind_label = _("Activity")
    # Lessons complete with the learner's button; quizzes, surveys and workshops by their own rules.
    completes_by_button = False
    # Whether an anonymous visitor's render of a public page of an open course may be kept by
    # shared caches (docs/caching.md). Only for pages whose anonymous render is the same for
    # everyone.
    cache_anonymous_page = False

    def is_gate(self) -> bool:
        """True when the rest of the course stays closed until this activity is complete."""
        return False

    def get_activity_context(self, request) -> dict:
        """`courses.selectors.activity_context`, computed once per request."""
        cached = getattr(request, "courses_activity_context", None)
        if cached is not None and cached[0] == self.pk:
            return cached[1]
        from .selectors import activity_context

        context = activity_context(request.user, self)
        request.courses_activity_context = (self.pk, context)
        return context

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.get_activity_context(request))
        return context

    def serve(self, request, *args, **kwargs):
        """On GET, an enrolled learner's first visit puts the activity in progress (the one
        write a GET makes, here only). The response says who may keep it (docs/caching.md)."""
        context = self.get_activity_context(request)
        # A page fetched to be saved for offline use (offline.js) is not a visit.
        if (
            request.method == "GET"
            and not getattr(request, "is_preview", False)
            and "X-Offline-Save" not in request.headers
        ):
            status = context.get("activity_status")
            if (
                request.user.is_authenticated
                and context.get("enrolment")
                and status
                and status.state == NOT_STARTED
                and not status.locked
            ):
                from .services import activity_start

                if activity_start(user=request.user, activity=self):
                    status.state = IN_PROGRESS
        response = super().serve(request, *args, **kwargs)
        if self._shareable(request, context):
            response.add_post_render_callback(lambda r: mark_shareable(request, r))
        else:
            patch_cache_control(response, private=True)
        return response

    def _shareable(self, request, context: dict) -> bool:
        course = context.get("course")
        return (
            self.cache_anonymous_page
            and request.method in ("GET", "HEAD")
            and not getattr(request, "is_preview", False)
            and not request.user.is_authenticated
            and course is not None
            and course.enrolment_mode == CoursePage.EnrolmentMode.OPEN
            and context.get("show_content", False)
        )


def mark_shareable(request, response) -> None:
    """Let shared caches keep an anonymous render that is the same for every visitor: only if
    it used no CSRF token and set no cookie (no message shown, no session started)."""
    cookies = request.COOKIES
    if (
        request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or response.cookies
        or cookies.get(settings.SESSION_COOKIE_NAME)
        or cookies.get("messages")
    ):
        patch_cache_control(response, private=True)
        return
    patch_vary_headers(response, ("Cookie",))
    patch_cache_control(response, public=True, max_age=settings.ANONYMOUS_PAGE_SECONDS)


class LessonPage(ActivityPage):
    """Reading material; completed by the learner's explicit "mark as complete"."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel(ActivityPage.activity_panels, heading=_("Activity")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    activity_kind_label = _("Lesson")
    completes_by_button = True
    cache_anonymous_page = True

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")


class Enrolment(models.Model):
    """A learner's enrolment in a course. `completed_at` never goes back once set."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="enrolments")
    cohort = models.ForeignKey(
        "lms.Cohort", null=True, blank=True, on_delete=models.SET_NULL, related_name="enrolments"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    enrolled_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    progress_percent = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="unique_enrolment")]
        indexes = [models.Index(fields=["course", "status"])]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")

    def __str__(self):
        return f"{self.user} → {self.course}"


class CohortCourse(models.Model):
    """A course a whole cohort is enrolled in; new members of the cohort are enrolled too."""

    cohort = models.ForeignKey(
        "lms.Cohort", on_delete=models.CASCADE, related_name="cohort_courses"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="cohort_courses")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "course"], name="unique_cohort_course")
        ]
        verbose_name = _("cohort course")
        verbose_name_plural = _("cohort courses")

    def __str__(self):
        return f"{self.cohort} → {self.course}"


class ActivityProgress(models.Model):
    """One learner's state in one activity page. Written only through `courses.services`."""

    class State(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        WAITING = "waiting", _("Awaiting grading")
        COMPLETE = "complete", _("Complete")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activity_progress"
    )
    activity = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="activity_progress"
    )
    state = models.CharField(max_length=12, choices=State.choices, default=State.NOT_STARTED)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "activity"], name="unique_activity_progress")
        ]
        indexes = [models.Index(fields=["course", "user"])]
        verbose_name = _("activity progress")
        verbose_name_plural = _("activity progress")

    def __str__(self):
        return f"{self.user} · {self.activity_id} · {self.state}"
