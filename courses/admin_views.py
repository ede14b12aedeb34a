"""Wagtail admin for enrolling a whole cohort in a course (`CohortCourse`).

Creating (or editing) a link goes through `cohort_course_add`, so every member is enrolled at
once; members who join the cohort later are enrolled by the `cohort_member_added` handler.
Deleting a link stops future enrolments and leaves existing enrolments and progress alone.
Programme managers work only with the cohorts and courses of the programmes they manage
(`lms.selectors.cohorts_administered_by`), superusers with every one; editors not at all.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from lms.admin_columns import date_column
from lms.admin_scope import scoped_chooser_viewset, scoped_views
from lms.selectors import cohorts_administered_by, programmes_administered_by

from .models import CohortCourse, CoursePage


def cohorts_for_admin(user):
    return cohorts_administered_by(user)


def courses_for_admin(user):
    """Courses under the programmes the user manages."""
    programmes = list(programmes_administered_by(user))
    if not programmes:
        return CoursePage.objects.none()
    condition = Q()
    for programme in programmes:
        condition |= Q(path__startswith=programme.path)
    return CoursePage.objects.filter(condition)


class CohortCourseForm(WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.scope_user = for_user
        if for_user is not None and "cohort" in self.fields:
            self.fields["cohort"].queryset = cohorts_for_admin(for_user)
        if for_user is not None and "course" in self.fields:
            self.fields["course"].queryset = courses_for_admin(for_user)

    def clean_course(self):
        course = self.cleaned_data.get("course")
        if course is not None and not CoursePage.objects.filter(pk=course.pk).live().exists():
            raise ValidationError(_("Choose a published course."))
        return course

    def clean(self):
        cleaned = super().clean()
        cohort, course = cleaned.get("cohort"), cleaned.get("course")
        if (
            cohort is not None
            and course is not None
            and not course.path.startswith(cohort.programme.path)
        ):
            self.add_error("course", _("Choose a course of the cohort's programme."))
        return cleaned


class CohortCourseCreateView(CreateView):
    def save_instance(self):
        from .services import cohort_course_add

        data = self.form.cleaned_data
        return cohort_course_add(cohort=data["cohort"], course=data["course"])


def cohort_courses_for_admin(user):
    return CohortCourse.objects.filter(cohort__in=cohorts_for_admin(user))


_scoped = scoped_views(cohort_courses_for_admin)


class CohortCourseEditView(_scoped["edit_view_class"]):
    def save_instance(self):
        from .services import cohort_course_add

        instance = super().save_instance()
        return cohort_course_add(cohort=instance.cohort, course=instance.course)


class CohortCourseDeleteView(_scoped["delete_view_class"]):
    pass


class CohortCourseViewSet(SnippetViewSet):
    model = CohortCourse
    icon = "group"
    menu_label = _("Cohort enrolment")
    menu_name = "cohort-courses"
    menu_order = 250
    add_to_admin_menu = True
    add_view_class = CohortCourseCreateView
    edit_view_class = CohortCourseEditView
    delete_view_class = CohortCourseDeleteView
    history_view_class = _scoped["history_view_class"]
    usage_view_class = _scoped["usage_view_class"]
    inspect_view_class = _scoped["inspect_view_class"]
    chooser_viewset_class = scoped_chooser_viewset(cohort_courses_for_admin)
    list_display = ["cohort", "course", date_column("added_at", _("Added on"))]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel(
                "cohort",
                help_text=_(
                    "Every member is enrolled now; people who join the cohort later are "
                    "enrolled too."
                ),
            ),
            FieldPanel("course"),
        ],
        base_form_class=CohortCourseForm,
    )

    def get_queryset(self, request):
        return cohort_courses_for_admin(request.user).select_related("cohort", "course")
