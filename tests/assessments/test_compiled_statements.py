"""lms.compiled: the busiest reads and writes, compiled once, give what the ORM gives.

Run here on the suite's database (PostgreSQL in CI); the last test runs this file again on
SQLite, the demo's database, so both backends' SQL and conversions are checked.
"""

import os
import subprocess
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import Attempt
from assessments.services import attempt_start, attempt_submit
from courses.models import ActivityProgress, Enrolment
from lms.compiled import CompiledQuery, update_rows
from lms.models import User

from .conftest import right_answers

ROOT = Path(__file__).resolve().parents[2]


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


@pytest.fixture
def attempt(enrolled, quiz):
    attempt = attempt_start(user=enrolled, quiz=quiz)
    Attempt.objects.filter(pk=attempt.pk).update(answers={"q1": ["a", "ñ"]}, score=Decimal("12.50"),
                                                 deadline=timezone.now() + timedelta(minutes=5))
    return attempt


def test_a_compiled_read_gives_the_models_the_orm_gives(attempt, enrolled):
    """Datetimes (aware), booleans, decimals and JSON come back converted, as from the ORM."""
    by_id = CompiledQuery(lambda pk, user: Attempt.objects.filter(pk=pk, user_id=user))
    with transaction.atomic():
        found = by_id.first(attempt.pk, enrolled.pk)
    assert _fields(found) == _fields(Attempt.objects.get(pk=attempt.pk))
    assert found.answers == {"q1": ["a", "ñ"]} and found.score == Decimal("12.50")
    assert timezone.is_aware(found.started_at)
    assert found._state.adding is False and found._state.db == "default"
    users = CompiledQuery(lambda pk: User.objects.filter(pk=pk))
    assert _fields(users.first(enrolled.pk)) == _fields(User.objects.get(pk=enrolled.pk))


def test_a_compiled_values_list_gives_the_rows_the_orm_gives(enrolled, course, attempt):
    rows = CompiledQuery(lambda user, course: ActivityProgress.objects.filter(user_id=user, course_id=course)
                         .order_by("id").values_list("id", "activity_id", "state", "started_at"))
    expected = list(ActivityProgress.objects.filter(user=enrolled, course=course).order_by("id")
                    .values_list("id", "activity_id", "state", "started_at"))
    assert expected and rows.rows(enrolled.pk, course.pk) == expected


def test_values_fixed_in_the_shape_stay_and_the_given_ones_change(enrolled, other_learner, course):
    """`status` is part of the shape; the learner is the parameter."""
    active = CompiledQuery(lambda user, course: Enrolment.objects.filter(
        user_id=user, course_id=course, status=Enrolment.Status.ACTIVE).values_list("id", flat=True))
    assert active.rows(enrolled.pk, course.pk) == [(Enrolment.objects.get(user=enrolled).pk,)]
    assert active.rows(other_learner.pk, course.pk) == []
    Enrolment.objects.filter(user=enrolled).update(status=Enrolment.Status.WITHDRAWN)
    assert active.rows(enrolled.pk, course.pk) == []


def test_a_compiled_read_is_one_query_and_locks_where_the_database_can(attempt, enrolled):
    locked = CompiledQuery(lambda pk: Attempt.objects.select_for_update().filter(pk=pk))
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert locked.first(attempt.pk).pk == attempt.pk
    sql = [q["sql"] for q in queries.captured_queries if q["sql"] not in ("BEGIN", "COMMIT")]
    assert len(sql) == 1
    assert ("FOR UPDATE" in sql[0]) == connection.features.has_select_for_update


def test_ids_out_of_range_match_nothing_and_other_values_are_refused(attempt):
    by_id = CompiledQuery(lambda pk: Attempt.objects.filter(pk=pk))
    assert by_id.rows(2**63) == [] and by_id.rows(-(2**63) - 1) == []
    with pytest.raises(TypeError):
        by_id.rows("1")
    with pytest.raises((ValueError, ValidationError, TypeError)):
        CompiledQuery(lambda when: Attempt.objects.filter(started_at=when)).rows(1)


def test_update_rows_writes_what_the_orm_update_writes(attempt):
    now = timezone.now()
    values = {"state": Attempt.State.GRADED, "results": {"q1": {"fraction": 0.5}}, "score": Decimal("50.00"),
              "passed": False, "submitted_at": now, "late": True, "answers": {"q1": "ñandú"}}
    assert update_rows(Attempt, {"pk": attempt.pk, "state": Attempt.State.IN_PROGRESS}, values) == 1
    stored = Attempt.objects.get(pk=attempt.pk)
    assert {k: getattr(stored, k) for k in values} == values
    # The where clause is a compare-and-set: a second closing changes nothing.
    assert update_rows(Attempt, {"pk": attempt.pk, "state": Attempt.State.IN_PROGRESS}, {"late": False}) == 0
    assert Attempt.objects.get(pk=attempt.pk).late is True
    with pytest.raises(ValueError):
        update_rows(Attempt, {"pk": None}, {"late": False})


def test_a_submission_through_the_compiled_statements_completes_the_quiz(attempt, enrolled, quiz, course):
    with CaptureQueriesContext(connection) as queries:
        closed = attempt_submit(user=enrolled, attempt_id=attempt.pk, answers=right_answers(attempt))
    assert closed.just_closed and closed.passed
    progress = ActivityProgress.objects.get(user=enrolled, activity_id=quiz.pk)
    assert progress.state == "complete" and progress.completed_at and progress.started_at <= progress.completed_at
    enrolment = Enrolment.objects.get(user=enrolled, course=course)
    assert enrolment.last_activity_at == progress.completed_at and 0 < enrolment.progress_percent < 100
    assert len(queries.captured_queries) <= 9
    with pytest.raises(Attempt.DoesNotExist):
        attempt_submit(user=enrolled, attempt_id=2**70)


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("COMPILED_ON_SQLITE") == "1", reason="already the SQLite run")
def test_the_same_checks_pass_on_sqlite(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'compiled.sqlite3'}", COMPILED_ON_SQLITE="1",
               DJANGO_SETTINGS_MODULE="lms.settings.test")
    done = subprocess.run([sys.executable, "-m", "pytest", "-o", "addopts=", "-q", "-p", "no:cacheprovider", __file__],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "7 passed" in done.stdout
