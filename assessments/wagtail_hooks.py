from django.contrib import messages
from django.db import transaction
from django.db.models import ProtectedError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import DeleteView, SnippetViewSet, SnippetViewSetGroup

from lms.admin_columns import updated_column
from lms.home import HomePanel
from lms.models import Role

from . import admin_views
from .models import Question, QuestionCategory


class QuestionCategoryDeleteView(DeleteView):
    """A category that still holds questions or categories (PROTECT): say so instead of failing."""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ProtectedError:
            messages.error(
                self.request,
                _("This category cannot be deleted: it still holds questions or categories."),
            )
            return redirect("wagtailsnippets_assessments_questioncategory:edit", self.object.pk)


class QuestionCategoryViewSet(SnippetViewSet):
    model = QuestionCategory
    delete_view_class = QuestionCategoryDeleteView
    icon = "folder-open-inverse"
    menu_label = _("Categories")
    list_display = ["__str__", "idnumber", "description"]
    search_fields = ["name"]


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    list_display = ["__str__", "qtype", "category", updated_column()]
    list_filter = ["qtype", "category"]
    search_fields = ["text", "name"]


class QuestionBankGroup(SnippetViewSetGroup):
    items = (QuestionViewSet, QuestionCategoryViewSet)
    menu_icon = "help"
    menu_label = _("Question bank")
    menu_name = "question-bank"


register_snippet(QuestionBankGroup)


@hooks.register("register_admin_urls")
def gift_urls():
    return [
        path("evaluaciones/gift/", admin_views.gift_import, name="assessments_gift_import"),
        path(
            "evaluaciones/gift/<int:category_id>/",
            admin_views.gift_export,
            name="assessments_gift_export",
        ),
    ]


class GiftMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("assessments.add_question")


@hooks.register("register_admin_menu_item")
def gift_menu_item():
    return GiftMenuItem(
        _("Question import/export"),
        reverse("assessments_gift_import"),
        icon_name="upload",
        order=310,
    )


@hooks.register("learner_home_panels")
def quizzes_panel(request):
    from .selectors import essay_queue, learner_quiz_rows

    rows = learner_quiz_rows(request.user)
    trains = request.user.is_superuser or request.user.trained_cohorts.exists()
    grading_count = essay_queue(request.user).count() if trains else 0
    if not rows and not grading_count:
        return None
    return HomePanel(
        order=40,
        template_name="assessments/panel_quizzes.html",
        context={"rows": rows, "grading_count": grading_count},
    )


@hooks.register("lms_profile_links")
def staff_links(request):
    """On the profile page only: these need a query, which every page's footer should not pay."""
    from lms.selectors import user_roles

    from .selectors import surveys_for_manager

    if request is None or not request.user.is_authenticated:
        return []
    links = []
    roles = user_roles(request.user)
    if {Role.TRAINER, Role.MANAGER} & roles:
        links.append((_("Essays to grade"), reverse("assessments:grading_queue")))
    if surveys_for_manager(request.user).exists():
        links.append((_("Survey results"), reverse("assessments:survey_list")))
    return links


@hooks.register("lms_staff_links")
def assessments_staff_links(user):
    from lms.selectors import user_roles

    from .selectors import surveys_for_manager

    links = []
    if {Role.TRAINER, Role.MANAGER} & user_roles(user):
        links.append((_("Essays to grade"), reverse("assessments:grading_queue")))
    if surveys_for_manager(user).exists():
        links.append((_("Survey results"), reverse("assessments:survey_list")))
    return links


@hooks.register("lms_seed_demo", order=20)
def seed_assessments(*, stdout, size):
    from .demo import seed

    seed(stdout=stdout, size=size)


# Personal data this app holds, registered with the privacy app through its hooks.
from . import personal_data  # noqa: E402, F401
