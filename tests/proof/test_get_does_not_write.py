"""A GET writes nothing. Every GET address of the site — each project route with its parameters
filled from the demo's objects, every live Wagtail page, the project's admin views and snippet
screens — is requested by each of the seven people of the IDOR walk, with every SQL statement
captured. Any INSERT, UPDATE or DELETE fails the test, except:

- the "started" mark of an activity: `courses.services.activity_start`, called on GET from one
  place (`ActivityPage.serve`), writes the learner's progress row and the enrolment's last
  activity;
- the privacy audit log (`privacy_auditentry`): by design a staff view of other people's
  personal data is recorded when it is read (`privacy.middleware.AuditMiddleware`, README
  "Personal data");
- Wagtail's own bookkeeping on a GET, which is Wagtail's, not ours: the `UserProfile` row it
  creates the first time it shows a staff person its user bar or admin, and the editing session
  its admin edit screens open (the "someone else is editing" notice).

Sessions, `last_login` and django-axes are written by the login POST only: none of them may
appear here."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .test_idor import client_for, viewers
from .urlwalk import EVERY_APP, admin_routes, admin_urls_of, project_routes, urls_of

pytestmark = pytest.mark.django_db

WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)

# The "started" mark (courses/services.py `activity_start`): exactly these statements.
STARTED_MARK = (
    re.compile(r'^INSERT INTO "courses_activityprogress"'),
    re.compile(
        r'^UPDATE "courses_activityprogress" SET "state" = [^,]+, "started_at" = [^,]+,'
        r' "updated_at" = [^,]+ WHERE'
    ),
    re.compile(r'^UPDATE "courses_enrolment" SET "last_activity_at" = [^,]+ WHERE'),
)
AUDIT_LOG = re.compile(r'^INSERT INTO "privacy_auditentry"')
WAGTAIL_PROFILE = re.compile(r'^INSERT INTO "wagtailusers_userprofile"')
WAGTAIL_EDITING_SESSION = re.compile(r'^INSERT INTO "wagtailadmin_editingsession"')


def wagtails_own(sql: str, url: str) -> bool:
    return bool(
        WAGTAIL_PROFILE.match(sql)
        or (WAGTAIL_EDITING_SESSION.match(sql) and url.startswith("/admin/"))
    )


def allowed(sql: str, url: str) -> bool:
    if AUDIT_LOG.match(sql) or wagtails_own(sql, url):
        return True
    return any(p.match(sql) for p in STARTED_MARK) and not url.startswith("/admin/")


def page_urls() -> list[str]:
    from wagtail.models import Page

    return sorted(
        {page.url for page in Page.objects.live().filter(depth__gt=1).specific() if page.url}
    )


def get_urls(limit: int) -> list[str]:
    site = [
        url
        for route in project_routes(apps=EVERY_APP)
        for url in urls_of(route, limit=limit, labels=EVERY_APP)
    ]
    admin = [url for route in admin_routes() for url in admin_urls_of(route, limit=limit)]
    return sorted(set(site + page_urls() + admin))


def writes_of(queries: list[dict]) -> list[str]:
    return [q["sql"] for q in queries if WRITE.match(q["sql"])]


def test_no_get_writes_except_the_started_mark_and_the_audit_log(demo):
    urls = get_urls(limit=4)
    findings, requests, marks, audits = [], 0, 0, 0
    for label, viewer in viewers().items():
        client = client_for(viewer)
        for url in urls:
            requests += 1
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code < 500, (label, url, response.status_code)
            for sql in writes_of(captured.captured_queries):
                if not allowed(sql, url):
                    findings.append((label, url, sql[:160]))
                elif AUDIT_LOG.match(sql):
                    audits += 1
                elif any(p.match(sql) for p in STARTED_MARK):
                    marks += 1
    print(
        f"\nGET walk: {requests} requests by {len(viewers())} people over {len(urls)} addresses;"
        f" {marks} started-mark writes, {audits} audit entries, {len(findings)} other writes"
    )
    assert requests > 1000
    assert marks > 0  # the walk reaches the started mark (audited reads are allowed, not required)
    assert findings == []
    expired_attempt_page_writes_nothing()


def expired_attempt_page_writes_nothing() -> None:
    """The demo's timed attempt left open past its deadline: its learner's GET shows "time is
    over" and writes nothing (it used to grade the attempt)."""
    from django.urls import reverse

    from assessments.demo import EXPIRED_ATTEMPT
    from assessments.models import Attempt
    from lms.models import User

    learner = User.objects.get(email=EXPIRED_ATTEMPT[0])
    attempt = Attempt.objects.get(user=learner, state=Attempt.State.IN_PROGRESS)
    assert attempt.expired()
    client = client_for(learner)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("assessments:attempt", args=[attempt.pk]))
    assert response.status_code == 200 and 'id="time-over"' in response.content.decode()
    assert writes_of(captured.captured_queries) == []
    assert Attempt.objects.get(pk=attempt.pk).is_open


def test_only_the_first_visit_writes_and_only_the_started_mark(client, learner):
    """The first GET of a lesson by an enrolled learner writes the started mark and nothing
    else; the second GET of the same page writes nothing."""
    from courses.factories import course_tree
    from courses.models import LessonPage
    from courses.services import enrolment_create

    course = course_tree()
    lesson = LessonPage.objects.descendant_of(course).order_by("path").first()
    enrolment_create(user=learner, course=course)
    client.force_login(learner)
    with CaptureQueriesContext(connection) as first:
        assert client.get(lesson.url).status_code == 200
    writes = writes_of(first.captured_queries)
    assert writes and all(any(p.match(sql) for p in STARTED_MARK) for sql in writes)
    with CaptureQueriesContext(connection) as second:
        assert client.get(lesson.url).status_code == 200
    assert writes_of(second.captured_queries) == []


def test_the_started_mark_is_called_from_one_get_handler_only():
    """`activity_start` is called from the activity page's `serve` (GET) and from the service
    that starts a quiz attempt (a POST); nowhere else."""
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    found = subprocess.run(
        ["git", "grep", "-n", "activity_start(", "--", "*.py", ":!tests/"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    callers = sorted(line.split(":")[0] for line in found)
    assert callers == ["assessments/services.py", "courses/models.py", "courses/services.py"]


def test_the_signed_links_in_e_mails_write_nothing_on_get(client, learner):
    """The walk cannot reach signed links (it has no valid tokens): they are opened here."""
    from django.urls import reverse

    from privacy import tokens
    from privacy.models import EmailConfirmation
    from privacy.registry import message_kinds

    confirmation = EmailConfirmation.objects.create(user=learner, email=learner.email)
    confirm = reverse(
        "privacy:confirm_email",
        args=[tokens.make(tokens.CONFIRM_SALT, c=confirmation.pk, e=confirmation.email)],
    )
    kind = sorted(message_kinds())[0]
    unsubscribe = reverse(
        "privacy:unsubscribe", args=[tokens.make(tokens.UNSUBSCRIBE_SALT, u=learner.pk, k=kind)]
    )
    found = []
    for url in (confirm, unsubscribe):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code < 400, url
        found += [(url, sql[:80]) for sql in writes_of(captured.captured_queries)]
    assert found == []
