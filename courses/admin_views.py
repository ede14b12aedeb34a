"""Wagtail admin for enrolling a whole cohort in a course (`CohortCourse`).

Creating (or editing) a link goes through `cohort_course_add`, so every member is enrolled at
once; members who join the cohort later are enrolled by the `cohort_member_added` handler.
Deleting a link stops future enrolments and leaves existing enrolments and progress alone.
Programme managers work only with the cohorts they may see (`lms.selectors`); editors and
superusers with every cohort.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.views.snippets import CreateView, DeleteView, EditView, SnippetViewSet

from lms.models import Cohort, Role
from lms.selectors import cohorts_visible_to, user_roles

from .models import CohortCourse, CoursePage


def cohorts_for_admin(user):
    if user.is_superuser or Role.EDITOR in user_roles(user):
        return Cohort.objects.all()
    return cohorts_visible_to(user)


class CohortCourseForm(WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None and "cohort" in self.fields:
            self.fields["cohort"].queryset = cohorts_for_admin(for_user)

    def clean_course(self):
        course = self.cleaned_data.get("course")
        if course is not None and not CoursePage.objects.filter(pk=course.pk).live().exists():
            raise ValidationError(_("Choose a published course."))
        return course


class CohortCourseCreateView(CreateView):
    def save_instance(self):
        from .services import cohort_course_add

        data = self.form.cleaned_data
        return cohort_course_add(cohort=data["cohort"], course=data["course"])


class ScopedObjectMixin:
    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not cohorts_for_admin(self.request.user).filter(pk=obj.cohort_id).exists():
            raise Http404
        return obj


class CohortCourseEditView(ScopedObjectMixin, EditView):
    def save_instance(self):
        from .services import cohort_course_add

        instance = super().save_instance()
        return cohort_course_add(cohort=instance.cohort, course=instance.course)


class CohortCourseDeleteView(ScopedObjectMixin, DeleteView):
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
    list_display = ["cohort", "course", "added_at"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel(
                "cohort",
                help_text=_("Every member is enrolled now; people who join the cohort later are enrolled too."),
            ),
            FieldPanel("course"),
        ],
        base_form_class=CohortCourseForm,
    )

    def get_queryset(self, request):
        return CohortCourse.objects.filter(cohort__in=cohorts_for_admin(request.user)).select_related("cohort", "course")
