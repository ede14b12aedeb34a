"""Concurrent starts and submits on PostgreSQL: exactly one attempt counts.

Real threads with their own connections and committed transactions. Run with
DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_assessments (CI runs on PostgreSQL).
"""

import threading

import pytest
from django.db import connection, connections

from assessments import services
from assessments.exceptions import AttemptRefused
from assessments.factories import QuestionFactory, quiz_with_questions
from assessments.models import Attempt
from courses.factories import course_tree
from courses.models import ModulePage
from courses.services import enrolment_create
from courses.signals import activity_completed

from .conftest import right_answers

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]


@pytest.fixture(autouse=True)
def _postgres_with_a_page_tree():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks); set DATABASE_URL")
    from tests.conftest import page_tree_after_flush

    page_tree_after_flush()


def run_together(*calls):
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except AttemptRefused as refused:
            results[index] = refused
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results


@pytest.fixture
def setup(learner):
    course = course_tree(modules=1, lessons=1)
    module = ModulePage.objects.child_of(course).first()
    quiz = quiz_with_questions(
        parent=module, questions=[QuestionFactory(), QuestionFactory()], max_attempts=1
    )
    enrolment_create(user=learner, course=course)
    return learner, quiz


@pytest.fixture
def completions():
    events = []
    activity_completed.connect(
        lambda **kw: events.append(kw["activity"].pk), weak=False, dispatch_uid="quiz-race"
    )
    yield events
    activity_completed.disconnect(dispatch_uid="quiz-race")


def test_the_same_attempt_submitted_twice_at_once_counts_once(setup, completions):
    learner, quiz = setup
    attempt = services.attempt_start(user=learner, quiz=quiz)
    right = right_answers(attempt)
    first, second = run_together(
        lambda: services.attempt_submit(user=learner, attempt_id=attempt.pk, answers=right),
        lambda: services.attempt_submit(user=learner, attempt_id=attempt.pk, answers={}),
    )
    stored = Attempt.objects.get(pk=attempt.pk)
    assert first.submitted_at == second.submitted_at == stored.submitted_at
    assert float(first.score) == float(second.score) == float(stored.score)
    assert completions == ([quiz.pk] if stored.passed else [])


def test_two_starts_of_the_last_allowed_attempt_open_one(setup):
    learner, quiz = setup
    results = run_together(
        *[lambda: services.attempt_start(user=learner, quiz=quiz) for _ in range(3)]
    )
    assert Attempt.objects.filter(user=learner, quiz=quiz).count() == 1
    assert len({r.pk for r in results if isinstance(r, Attempt)}) == 1


def test_a_start_racing_the_submit_of_the_last_attempt_gets_no_extra_attempt(setup):
    learner, quiz = setup
    attempt = services.attempt_start(user=learner, quiz=quiz)
    submitted, started = run_together(
        lambda: services.attempt_submit(user=learner, attempt_id=attempt.pk, answers={}),
        lambda: services.attempt_start(user=learner, quiz=quiz),
    )
    assert Attempt.objects.filter(user=learner, quiz=quiz).count() == 1
    assert isinstance(started, AttemptRefused) or started.pk == attempt.pk
    assert submitted.is_submitted


def test_a_save_racing_the_submission_never_changes_what_was_graded(setup):
    from assessments import grading

    learner, quiz = setup
    attempt = services.attempt_start(user=learner, quiz=quiz)
    run_together(
        lambda: services.attempt_save(
            user=learner, attempt_id=attempt.pk, answers=right_answers(attempt)
        ),
        lambda: services.attempt_submit(user=learner, attempt_id=attempt.pk, answers={}),
    )
    stored = Attempt.objects.get(pk=attempt.pk)
    regraded = {
        q["key"]: grading.grade(q, stored.answers.get(q["key"])).as_dict() for q in stored.questions
    }
    assert stored.is_submitted and stored.results == regraded
