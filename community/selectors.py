"""Reads that scope the community to a person. Who may read, post in and moderate a space is
decided here and nowhere else, on top of the people selectors (`lms.selectors`) and the course
selectors (`courses.selectors`) that say who is a learner, trainer or manager of what."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from wagtail.models import Page

from courses.models import CohortCourse, Enrolment
from courses.selectors import course_of
from lms.models import AnyUser, User
from lms.selectors import cohorts_of_member, cohorts_visible_to, managed_programme_ids

from .models import CodeAcceptance, Post, Report, Space, Thread
from .models.activity import DiscussionPage

CODE_VERSION = 1
PROGRAMME_DEPTH = 3  # root › home › programme
THREADS_PER_PAGE = 20
POSTS_PER_PAGE = 20


@dataclass
class Scope:
    """What a person is in the programmes, courses and cohorts (computed once per request)."""

    is_superuser: bool = False
    managed_paths: set[str] = field(default_factory=set)
    moderated_cohorts: set[int] = field(default_factory=set)
    moderated_courses: set[int] = field(default_factory=set)
    member_cohorts: set[int] = field(default_factory=set)
    member_programmes: set[int] = field(default_factory=set)
    enrolled_courses: set[int] = field(default_factory=set)
    enrolled_programme_paths: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Access:
    can_read: bool = False
    can_post: bool = False
    can_moderate: bool = False


def viewer_scope(user: AnyUser) -> Scope:
    if not user.is_authenticated:
        return Scope()
    if user.is_superuser:
        return Scope(is_superuser=True)
    step = Page.steplen * PROGRAMME_DEPTH
    managed_paths = set(
        Page.objects.filter(pk__in=managed_programme_ids(user)).values_list("path", flat=True)
    )
    moderated = set(cohorts_visible_to(user).values_list("pk", "programme_id"))
    member = set(cohorts_of_member(user).values_list("pk", "programme_id"))
    enrolled = set(
        Enrolment.objects.filter(user=user, status=Enrolment.Status.ACTIVE).values_list(
            "course_id", "course__path"
        )
    )
    moderated_cohorts = {pk for pk, _programme in moderated}
    return Scope(
        managed_paths=managed_paths,
        moderated_cohorts=moderated_cohorts,
        moderated_courses=set(
            CohortCourse.objects.filter(cohort_id__in=moderated_cohorts).values_list(
                "course_id", flat=True
            )
        ),
        member_cohorts={pk for pk, _programme in member},
        member_programmes={programme for _pk, programme in member | moderated},
        enrolled_courses={course_id for course_id, _path in enrolled},
        enrolled_programme_paths={path[:step] for _course_id, path in enrolled},
    )


def _course_page(space: Space) -> Page | None:
    if space.kind == Space.Kind.COURSE:
        return space.page
    if space.kind == Space.Kind.ACTIVITY and space.page_id:
        return course_of(space.page)
    return None


def space_access(user: AnyUser, space: Space, scope: Scope | None = None) -> Access:
    """Read, post and moderate rights of a person in a space."""
    if not user.is_authenticated:
        return Access()
    scope = scope or viewer_scope(user)
    if scope.is_superuser:
        return Access(True, True, True)
    step = Page.steplen * PROGRAMME_DEPTH
    if space.kind == Space.Kind.COHORT:
        moderate = space.cohort_id in scope.moderated_cohorts
        read = moderate or space.cohort_id in scope.member_cohorts
    elif space.kind == Space.Kind.PROGRAMME:
        path = space.page.path if space.page_id else ""
        moderate = bool(path) and path in scope.managed_paths
        read = (
            moderate
            or space.page_id in scope.member_programmes
            or path in scope.enrolled_programme_paths
        )
    else:
        course = _course_page(space)
        if course is None:
            return Access()
        moderate = course.path[:step] in scope.managed_paths or course.pk in scope.moderated_courses
        read = moderate or course.pk in scope.enrolled_courses
    return Access(can_read=read, can_post=read, can_moderate=moderate)


def spaces_visible_to(user: AnyUser, scope: Scope | None = None) -> list[tuple[Space, Access]]:
    """The spaces a person may read (activity spaces are reached through their page)."""
    if not user.is_authenticated:
        return []
    scope = scope or viewer_scope(user)
    spaces = (
        Space.objects.exclude(kind=Space.Kind.ACTIVITY)
        .select_related("page", "cohort")
        .order_by("kind", "title")
    )
    return [(s, a) for s in spaces if (a := space_access(user, s, scope)).can_read]


def space_for(user: User, space_id: int) -> tuple[Space, Access] | None:
    space = Space.objects.select_related("page", "cohort").filter(pk=space_id).first()
    if space is None:
        return None
    access = space_access(user, space)
    return (space, access) if access.can_read else None


def threads_of(space: Space, access: Access, user: User) -> QuerySet[Thread]:
    threads = space.threads.select_related("author")
    if not access.can_moderate:
        threads = threads.filter(Q(hidden_at__isnull=True) | Q(author=user))
    return threads.order_by("-pinned", "-last_post_at", "-pk")


def thread_for(user: User, thread_id: int) -> tuple[Thread, Access] | None:
    thread = (
        Thread.objects.select_related("space", "space__page", "space__cohort", "author")
        .filter(pk=thread_id)
        .first()
    )
    if thread is None:
        return None
    access = space_access(user, thread.space)
    if not access.can_read or (
        thread.hidden_at and not access.can_moderate and thread.author_id != user.pk
    ):
        return None
    return thread, access


def posts_of(thread: Thread) -> QuerySet[Post]:
    return thread.posts.select_related("author").order_by("created_at", "pk")


def post_for(user: User, post_id: int) -> tuple[Post, Access] | None:
    post = (
        Post.objects.select_related("thread", "thread__space", "thread__space__page", "author")
        .filter(pk=post_id)
        .first()
    )
    if post is None:
        return None
    found = thread_for(user, post.thread_id)
    return (post, found[1]) if found else None


def has_accepted_code(user: AnyUser) -> bool:
    return (
        user.is_authenticated
        and CodeAcceptance.objects.filter(user=user, version=CODE_VERSION).exists()
    )


def moderated_spaces(user: AnyUser) -> list[Space]:
    if not user.is_authenticated:
        return []
    scope = viewer_scope(user)
    spaces = Space.objects.select_related("page", "cohort")
    return [s for s in spaces if space_access(user, s, scope).can_moderate]


def moderation_queue(user: User) -> QuerySet[Post]:
    """Reported posts with open reports in the spaces this person moderates, oldest report first."""
    space_ids = [s.pk for s in moderated_spaces(user)]
    return (
        Post.objects.filter(
            thread__space_id__in=space_ids, reports__isnull=False, reports__resolved_at__isnull=True
        )
        .annotate(open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
        .select_related("thread", "thread__space", "author")
        .order_by("pk")
        .distinct()
    )


def open_reports_of(post: Post) -> QuerySet[Report]:
    return post.reports.filter(resolved_at__isnull=True).select_related("reporter")


def participation(user: AnyUser, page: DiscussionPage) -> tuple[int, int]:
    """(threads started, replies to peers' threads) of a learner in a discussion activity."""
    space = Space.objects.filter(kind=Space.Kind.ACTIVITY, page=page).first()
    if space is None or not user.is_authenticated:
        return 0, 0
    threads = Thread.objects.filter(space=space, author=user, hidden_at__isnull=True).count()
    replies = (
        Post.objects.filter(thread__space=space, author=user, hidden_at__isnull=True)
        .exclude(thread__author=user)
        .values("thread_id")
        .distinct()
        .count()
    )
    return threads, replies


def discussion_activity_context(user: User, page: DiscussionPage) -> dict:
    space = Space.objects.filter(kind=Space.Kind.ACTIVITY, page=page).first()
    threads_done, replies_done = participation(user, page)
    context = {
        "discussion_space": space,
        "threads_done": threads_done,
        "replies_done": replies_done,
    }
    if space is not None:
        access = space_access(user, space)
        context["discussion_access"] = access
        if access.can_read:
            context["discussion_threads"] = list(threads_of(space, access, user)[:THREADS_PER_PAGE])
    return context


def digest_items(user: User, *, since: datetime, until: datetime, limit: int = 30) -> list[Thread]:
    """Threads with new visible posts in the spaces a person reads, between two instants."""
    space_ids = [s.pk for s, _a in spaces_visible_to(user)]
    return list(
        Thread.objects.filter(
            space_id__in=space_ids,
            hidden_at__isnull=True,
            posts__created_at__gte=since,
            posts__created_at__lt=until,
            posts__hidden_at__isnull=True,
        )
        .exclude(posts__author=user, post_count=1)
        .annotate(
            new_posts=Count(
                "posts", filter=Q(posts__created_at__gte=since, posts__created_at__lt=until)
            )
        )
        .select_related("space")
        .order_by("-last_post_at")
        .distinct()[:limit]
    )


def space_readers(space: Space) -> QuerySet:
    """The active people who may read a space, as one query: `space_access`'s read rule written
    for many people at once (a test holds the two to the same answers)."""
    from lms.models import Cohort, CohortMembership, ProgrammeManager, User

    trainers = Cohort.trainers.through.objects
    active = Enrolment.objects.filter(status=Enrolment.Status.ACTIVE)
    readers = Q(is_superuser=True)
    if space.kind == Space.Kind.COHORT:
        cohort = space.cohort_id
        readers |= (
            Q(pk__in=CohortMembership.objects.filter(cohort_id=cohort).values("user_id"))
            | Q(pk__in=trainers.filter(cohort_id=cohort).values("user_id"))
            | Q(pk__in=ProgrammeManager.objects.filter(programme__cohorts=cohort).values("user_id"))
        )
    elif space.kind == Space.Kind.PROGRAMME and space.page_id:
        programme = space.page_id
        readers |= (
            Q(pk__in=ProgrammeManager.objects.filter(programme_id=programme).values("user_id"))
            | Q(
                pk__in=CohortMembership.objects.filter(cohort__programme_id=programme).values(
                    "user_id"
                )
            )
            | Q(pk__in=trainers.filter(cohort__programme_id=programme).values("user_id"))
            | Q(pk__in=active.filter(course__path__startswith=space.page.path).values("user_id"))
        )
    elif course := _course_page(space):
        programme_path = course.path[: Page.steplen * PROGRAMME_DEPTH]
        course_cohorts = CohortCourse.objects.filter(course=course).values("cohort_id")
        readers |= (
            Q(
                pk__in=ProgrammeManager.objects.filter(
                    Q(programme__path=programme_path) | Q(programme__cohorts__in=course_cohorts)
                ).values("user_id")
            )
            | Q(pk__in=trainers.filter(cohort_id__in=course_cohorts).values("user_id"))
            | Q(pk__in=active.filter(course=course).values("user_id"))
        )
    return User.objects.filter(readers, is_active=True)
