from django.utils import translation
from django.utils.translation import get_language_info
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from lms.home import HomePanel

from . import selectors
from .admin_views import CohortCourseViewSet


@hooks.register("learner_home_panels")
def courses_panel(request):
    from lms.models import Role
    from lms.selectors import user_roles

    enrolments = selectors.learner_enrolments(request.user)
    if not enrolments and {Role.TRAINER, Role.MANAGER, Role.EDITOR} & user_roles(request.user):
        return None  # staff who take no course see their own panels, not "no course in progress"
    active = translation.get_language()
    other_languages = sorted(
        {
            str(get_language_info(e.course.language)["name_translated"])
            for e, _status in enrolments
            if e.course.language != active
        }
    )
    return HomePanel(
        order=10,
        template_name="courses/panel_my_courses.html",
        context={
            "in_progress": [(e, s) for e, s in enrolments if not e.completed_at],
            "completed": [(e, s) for e, s in enrolments if e.completed_at],
            "other_languages": other_languages,
        },
    )


@hooks.register("lms_seed_demo", order=10)
def seed_courses(*, stdout, size):
    from .demo import seed

    seed(stdout=stdout, size=size)


register_snippet(CohortCourseViewSet)

# Personal data this app holds, registered with the privacy app through its hooks.
from . import personal_data  # noqa: E402, F401
