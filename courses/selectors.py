"""Reads about courses, scoped to the person asking. Permission rules live here, once."""

from collections import defaultdict
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import translation
from wagtail.models import Page
from wagtail.search.backends.base import BaseSearchResults

from lms.caching import content_cached, content_cached_many
from lms.models import AnyUser, Cohort, Role
from lms.selectors import managed_programme_ids, user_roles

from .models import ActivityPage, ActivityProgress, CohortCourse, CoursePage, Enrolment, ModulePage
from .progress import ActivityNode, CourseStatus, CourseStructure, ModuleNode, evaluate

_UNSET = object()
# Ids past this are not ids: they would overflow the database's integer column.
MAX_ID = 2**63 - 1


def course_of(page: Page) -> CoursePage | None:
    """The course a page belongs to (itself when it is one). Which course a tree path lies in
    is kept per content version (an id, not the page); the course is read by its key."""
    if isinstance(page, CoursePage):
        return page
    course_id = course_id_of(page)
    return CoursePage.objects.filter(pk=course_id).first() if course_id else None


def course_id_of(page: Page) -> int | None:
    """The id of the course a page lies in (itself when it is one), kept per content version."""
    if isinstance(page, CoursePage):
        return page.pk
    if not page.path:
        return None
    return content_cached(
        f"course-of:{page.path}",
        lambda: CoursePage.objects.ancestor_of(page).values_list("pk", flat=True).first(),
    )


def _build_structures(courses: list[CoursePage]) -> dict[int, CourseStructure]:
    """One query per page type for all the courses' modules and activities, in tree order."""
    if not courses:
        return {}
    steplen = Page.steplen
    by_path = {c.path: c for c in courses}
    depths = sorted({c.depth for c in courses})
    condition = reduce(
        or_,
        (Q(path__startswith=c.path, depth__gt=c.depth, depth__lte=c.depth + 2) for c in courses),
    )
    modules: dict[int, list[ModulePage]] = defaultdict(list)
    activities: dict[str, list[ActivityNode]] = defaultdict(list)
    for page in Page.objects.filter(condition).live().order_by("path").specific():
        course = next(
            (
                by_path[page.path[: d * steplen]]
                for d in depths
                if page.path[: d * steplen] in by_path
            ),
            None,
        )
        if course is None:
            continue
        if isinstance(page, ModulePage) and page.depth == course.depth + 1:
            modules[course.id].append(page)
        elif isinstance(page, ActivityPage) and page.depth == course.depth + 2:
            activities[page.path[:-steplen]].append(
                ActivityNode(
                    id=page.id,
                    title=page.title,
                    url=page.get_url() or "",
                    kind=page._meta.model_name,
                    kind_label=str(page.activity_kind_label),
                    required=page.required,
                    is_gate=page.is_gate(),
                    minutes=page.estimated_minutes,
                )
            )
    return {
        course.id: CourseStructure(
            course_id=course.id,
            modules=tuple(
                ModuleNode(
                    id=m.id,
                    title=m.title,
                    requires_previous=m.requires_previous,
                    activities=tuple(activities.get(m.path, [])),
                    url=m.get_url() or "",
                )
                for m in modules.get(course.id, [])
            ),
        )
        for course in courses
    }


def course_structures(courses: list[CoursePage]) -> dict[int, CourseStructure]:
    """Structures of several courses, kept per content version and language (they hold
    titles, labels and URLs); the missing ones are built in one page query."""
    by_name = {f"structure:{c.id}": c for c in courses}

    def build(names: list[str]) -> dict[str, CourseStructure]:
        built = _build_structures([by_name[name] for name in names])
        return {f"structure:{course_id}": structure for course_id, structure in built.items()}

    found = content_cached_many(list(by_name), build, language=translation.get_language() or "")
    return {by_name[name].id: structure for name, structure in found.items()}


def course_structure(course: CoursePage) -> CourseStructure:
    return course_structures([course])[course.id]


def progress_states(user: AnyUser, course_ids: list[int]) -> dict[int, dict[int, str]]:
    """course id -> {activity id -> state} for one learner, in one query."""
    states: dict[int, dict[int, str]] = defaultdict(dict)
    if not user.is_authenticated:
        return states
    rows = ActivityProgress.objects.filter(user=user, course_id__in=course_ids).values_list(
        "course_id", "activity_id", "state"
    )
    for course_id, activity_id, state in rows:
        states[course_id][activity_id] = state
    return states


def course_status(
    user: AnyUser, course: CoursePage, enrolment: Enrolment | None | object = _UNSET
) -> CourseStatus:
    """The learner's status in a course; pass `enrolment` when already fetched (or None)."""
    if enrolment is _UNSET:
        enrolment = enrolment_for(user, course)
    states = progress_states(user, [course.id])[course.id] if user.is_authenticated else {}
    return evaluate(
        course_structure(course),
        states,
        already_complete=bool(enrolment and enrolment.completed_at),
    )


def next_step(user: AnyUser, activity: Page) -> ActivityNode | None:
    """Where an enrolled learner goes after this activity (`CourseStatus.next_after`)."""
    course = course_of(activity)
    if course is None or not user.is_authenticated:
        return None
    return course_status(user, course).next_after(activity.pk)


def enrolment_for(user: AnyUser, course: CoursePage | int) -> Enrolment | None:
    """The active enrolment in a course (or a course id), with its course."""
    if not user.is_authenticated:
        return None
    return (
        Enrolment.objects.filter(user=user, course=course, status=Enrolment.Status.ACTIVE)
        .select_related("course")
        .first()
    )


def enrolment_and_states(
    user: AnyUser, course: CoursePage
) -> tuple[Enrolment | None, dict[int, str]]:
    """The active enrolment and the activity states of one learner in one course."""
    enrolment = enrolment_for(user, course)
    if enrolment is None:
        return None, {}
    return enrolment, progress_states(user, [course.id])[course.id]


def learner_enrolments(user: AnyUser) -> list[tuple[Enrolment, CourseStatus]]:
    """Active enrolments with each course's status, in a number of queries independent of how
    many."""
    enrolments = list(
        Enrolment.objects.filter(user=user, status=Enrolment.Status.ACTIVE)
        .select_related("course")
        .order_by("completed_at", "-last_activity_at", "-enrolled_at")
    )
    courses = [e.course for e in enrolments]
    structures = course_structures(courses)
    states = progress_states(user, [c.id for c in courses])
    return [
        (
            e,
            evaluate(
                structures[e.course_id],
                states[e.course_id],
                already_complete=e.completed_at is not None,
            ),
        )
        for e in enrolments
    ]


def is_course_staff(user: AnyUser, course: CoursePage) -> bool:
    """Who may see the learner data of a course: superusers, the programme's managers and
    trainers of a cohort taking the course (each then sees only their own cohorts' learners:
    `lms.selectors.learners_visible_to`). Editors are not course staff: they write content."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if CohortCourse.objects.filter(course=course, cohort__trainers=user).exists():
        return True
    programme_paths = Page.objects.filter(pk__in=managed_programme_ids(user)).values_list(
        "path", flat=True
    )
    return any(course.path.startswith(path) for path in programme_paths)


def can_view_content(user: AnyUser, course: CoursePage) -> bool:
    """Open courses show their content to anyone; cohort-only courses to enrolled learners,
    course staff and editors (who write it)."""
    if course.enrolment_mode == CoursePage.EnrolmentMode.OPEN:
        return True
    if enrolment_for(user, course) is not None or is_course_staff(user, course):
        return True
    return Role.EDITOR in user_roles(user)


def enrolment_cohort_for(user: AnyUser, course: CoursePage) -> Cohort | None:
    """A cohort of this learner that takes the course (through which they may (re)join it)."""
    if not user.is_authenticated:
        return None
    link = (
        CohortCourse.objects.filter(course=course, cohort__memberships__user=user)
        .select_related("cohort")
        .order_by("added_at")
        .first()
    )
    return link.cohort if link else None


def prerequisites_missing(user: AnyUser, course: CoursePage) -> list[CoursePage]:
    """Published prerequisite courses this learner has not completed (a later withdrawal
    does not undo a completion)."""
    required = [c for c in course.prerequisites.all() if c.live]
    if not required:
        return []
    done = set(
        Enrolment.objects.filter(
            user=user, course__in=required, completed_at__isnull=False
        ).values_list("course_id", flat=True)
    )
    return [c for c in required if c.id not in done]


def catalogue(
    *, query: str = "", programme_id: int | None = None, mode: str = "", language: str = ""
) -> QuerySet[CoursePage] | BaseSearchResults:
    """Live, public courses for the catalogue, with search and filters. `language` filters by
    the courses' locale; without it each course is listed once (`_one_per_course`)."""
    courses = CoursePage.objects.live().public().select_related("cover_image")
    if programme_id and 0 < programme_id <= MAX_ID:
        programme = Page.objects.filter(pk=programme_id).first()
        courses = courses.descendant_of(programme) if programme else courses.none()
    elif programme_id:
        courses = courses.none()
    if mode in CoursePage.EnrolmentMode.values:
        courses = courses.filter(enrolment_mode=mode)
    if language in dict(settings.WAGTAIL_CONTENT_LANGUAGES):
        courses = courses.filter(locale__language_code=language)
    else:
        courses = courses.filter(pk__in=_one_per_course(courses))
    courses = courses.order_by("path")
    if query:
        return courses.search(query)
    return courses


def _one_per_course(courses: QuerySet[CoursePage]) -> list[int]:
    """Each course once: in the interface language where it is translated into it, else in
    the language it was written in (a course and its translations share a translation key)."""
    active = translation.get_language() or settings.LANGUAGE_CODE
    rows = list(courses.values_list("pk", "translation_key", "locale__language_code"))
    in_active = {key for _pk, key, code in rows if code == active}
    return [pk for pk, key, code in rows if code == active or key not in in_active]


def activity_context(user: AnyUser, activity: ActivityPage) -> dict:
    """What every activity page shows around its content: course, module, state, lock, access.

    Locks apply to enrolled learners, who follow the course in order. Anyone else who may see
    the content (open course, staff) reads it as it is; `show_content` says whether the body
    is shown. With warm caches it costs two queries for an enrolled learner (the enrolment with
    its course, the progress) and one for anyone else (the course).
    """
    course_id = course_id_of(activity)
    enrolment = enrolment_for(user, course_id) if course_id else None
    if enrolment is not None:
        course = enrolment.course
        states = progress_states(user, [course_id])[course_id]
    else:
        course = CoursePage.objects.filter(pk=course_id).first() if course_id else None
        states = {}
    if course is None:
        return {"course": None, "can_view_content": True, "show_content": True}
    status = evaluate(
        course_structure(course),
        states,
        already_complete=bool(enrolment and enrolment.completed_at),
    )
    activity_status = status.activity(activity.pk)
    module = next(
        (m for m in status.modules if any(a.node.id == activity.pk for a in m.activities)), None
    )
    flat = [a.node for m in status.modules for a in m.activities]
    index = next((i for i, node in enumerate(flat) if node.id == activity.pk), None)
    can_view = enrolment is not None or can_view_content(user, course)
    if enrolment is not None and activity_status is not None:
        show = activity_status.complete or not activity_status.locked
    else:
        show = can_view
    return {
        "course": course,
        "course_status": status,
        "module_status": module,
        "activity_status": activity_status,
        "enrolment": enrolment,
        "can_view_content": can_view,
        "show_content": show,
        "previous_activity": flat[index - 1] if index else None,
        "next_in_course": flat[index + 1] if index is not None and index + 1 < len(flat) else None,
    }
