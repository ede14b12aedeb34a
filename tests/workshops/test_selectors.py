from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.factories import course_tree
from workshops import services
from workshops.factories import WorkshopSessionFactory, workshop_in_course
from workshops.selectors import attendance_for

pytestmark = pytest.mark.django_db


def test_attendance_for_counts_per_learner_in_one_query(course, workshop, enrolled, course_trainer):
    second = workshop_in_course(course)
    start = workshop.sessions.get().start
    past_a = WorkshopSessionFactory(page=workshop, start=start - timedelta(days=30))
    past_b = WorkshopSessionFactory(page=second, start=start - timedelta(days=30))
    a, b, c, nobody = enrolled(), enrolled(), enrolled(), enrolled()
    early = start - timedelta(days=40)
    for user in (a, b, c):
        services.registration_create(user=user, session=past_a, now=early)
    services.registration_create(user=a, session=past_b, now=early)
    regs = {r.user_id: r.pk for r in past_a.registrations.all()}
    services.attendance_record(
        session=past_a,
        marks={regs[a.pk]: "attended", regs[b.pk]: "absent", regs[c.pk]: "excused"},
        marked_by=course_trainer,
    )
    reg_b = past_b.registrations.get(user=a)
    services.attendance_record(
        session=past_b, marks={reg_b.pk: "attended"}, marked_by=course_trainer
    )

    with CaptureQueriesContext(connection) as queries:
        result = attendance_for([a.pk, b.pk, c.pk, nobody.pk], course)
    assert len(queries) == 1
    assert result == {
        a.pk: {"registered": 2, "attended": 2, "absent": 0, "excused": 0},
        b.pk: {"registered": 1, "attended": 0, "absent": 1, "excused": 0},
        c.pk: {"registered": 1, "attended": 0, "absent": 0, "excused": 1},
        nobody.pk: {"registered": 0, "attended": 0, "absent": 0, "excused": 0},
    }


def test_attendance_for_ignores_other_courses_and_cancelled_registrations(
    course, workshop, session, enrolled
):
    other_course = course_tree(modules=1, lessons=1)
    learner = enrolled()
    from courses.services import enrolment_create

    enrolment_create(user=learner, course=other_course)
    services.registration_create(
        user=learner, session=workshop_in_course(other_course).sessions.get()
    )
    services.registration_create(user=learner, session=session)
    services.registration_cancel(user=learner, session=session)
    assert attendance_for([learner.pk], course)[learner.pk]["registered"] == 0
    assert attendance_for([learner.pk], other_course)[learner.pk]["registered"] == 1
    assert attendance_for([], course) == {}
