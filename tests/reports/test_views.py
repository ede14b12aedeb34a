"""Every report URL, as everyone who might try it: scoping, exports, reminders, markup rules."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook

from courses.models import Enrolment
from courses.services import activity_complete
from lms.factories import UserFactory
from lms.models import ProgrammeManager
from reports.models import ReminderLog

from .helpers import lessons_of

pytestmark = pytest.mark.django_db

EXPORT_KINDS = ("progress", "quizzes", "attendance")
PROGRAMME_TABLES = ("organisations", "kinds", "cohorts", "months")


def cohort_urls(cohort_id):
    base = f"/reportes/cohortes/{cohort_id}/"
    return [base] + [
        f"{base}exportar/{kind}.{fmt}" for kind in EXPORT_KINDS for fmt in ("csv", "xlsx")
    ]


def programme_urls(programme_id):
    base = f"/reportes/programas/{programme_id}/"
    return [base] + [
        f"{base}exportar/{table}.{fmt}" for table in PROGRAMME_TABLES for fmt in ("csv", "xlsx")
    ]


def queued_reminders(callbacks):
    return [c for c in callbacks if c.__module__ == "reports.views"]


def remind_url(cohort_id):
    return f"/reportes/cohortes/{cohort_id}/recordatorio/"


def test_anonymous_visitors_are_sent_to_log_in(client, cohort, programme):
    for url in ["/reportes/", *cohort_urls(cohort.pk), *programme_urls(programme.pk)]:
        response = client.get(url)
        assert response.status_code == 302 and "/cuenta/entrar/" in response["Location"], url
    assert client.post(remind_url(cohort.pk), {"personas": [1], "mensaje": "x"}).status_code == 302


def test_learners_see_nothing(client, cohort, programme, members):
    client.force_login(members[0])
    for url in ["/reportes/", *cohort_urls(cohort.pk), *programme_urls(programme.pk)]:
        assert client.get(url).status_code == 403, url
    assert (
        client.post(
            remind_url(cohort.pk), {"personas": [members[1].pk], "mensaje": "x"}
        ).status_code
        == 403
    )
    assert not ReminderLog.objects.exists()


def test_a_trainer_sees_only_their_cohorts(
    client, trainer, cohort, other_cohort, programme, other_programme
):
    client.force_login(trainer)
    for url in cohort_urls(cohort.pk):
        assert client.get(url).status_code == 200, url
    for url in [
        *cohort_urls(other_cohort.pk),
        *programme_urls(programme.pk),
        *programme_urls(other_programme.pk),
    ]:
        assert client.get(url).status_code == 404, url
    member = other_cohort.members.first()
    assert (
        client.post(
            remind_url(other_cohort.pk), {"personas": [member.pk], "mensaje": "x"}
        ).status_code
        == 404
    )
    index = client.get("/reportes/").content.decode()
    assert cohort.name in index and other_cohort.name not in index


def test_a_manager_sees_only_their_programme(
    client, manager, cohort, other_cohort, programme, other_programme
):
    client.force_login(manager)
    for url in [*cohort_urls(cohort.pk), *programme_urls(programme.pk)]:
        assert client.get(url).status_code == 200, url
    for url in [*cohort_urls(other_cohort.pk), *programme_urls(other_programme.pk)]:
        assert client.get(url).status_code == 404, url


def test_unknown_export_kinds_and_ids_are_404_not_500(client, trainer, cohort, programme, manager):
    client.force_login(trainer)
    assert client.get(f"/reportes/cohortes/{cohort.pk}/exportar/secrets.csv").status_code == 404
    assert client.get(f"/reportes/cohortes/{cohort.pk}/exportar/progress.pdf").status_code == 404
    assert client.get("/reportes/cohortes/999999/").status_code == 404
    client.force_login(manager)
    assert client.get(f"/reportes/programas/{programme.pk}/exportar/people.csv").status_code == 404


def test_another_cohorts_course_in_the_query_string_shows_nothing_of_it(
    client, trainer, cohort, other_cohort
):
    from reports.selectors import cohort_courses

    foreign = cohort_courses(other_cohort)[0]
    client.force_login(trainer)
    response = client.get(f"/reportes/cohortes/{cohort.pk}/", {"curso": foreign.pk})
    assert response.status_code == 200
    assert foreign.title not in response.content.decode()
    export = client.get(
        f"/reportes/cohortes/{cohort.pk}/exportar/progress.csv", {"curso": foreign.pk}
    )
    assert "Ajena" not in b"".join(export.streaming_content).decode()


def test_bad_filter_values_fall_back_to_defaults_with_a_message(client, trainer, cohort):
    client.force_login(trainer)
    response = client.get(
        f"/reportes/cohortes/{cohort.pk}/", {"dias": "abc", "estado": "<x>", "pagina": "-3"}
    )
    assert response.status_code == 200
    assert "message-warning" in response.content.decode()


def _csv(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_progress_export_follows_the_filters(client, trainer, cohort, pcourse, members):
    for lesson in lessons_of(pcourse):
        activity_complete(user=members[0], activity=lesson)
    client.force_login(trainer)
    rows = _csv(
        client.get(
            f"/reportes/cohortes/{cohort.pk}/exportar/progress.csv", {"estado": "unfinished"}
        )
    )
    names = [r[0] for r in rows[1:]]
    assert names == [members[1].full_name, members[2].full_name]
    assert len(rows[0]) == 11 + len(lessons_of(pcourse))
    everyone = _csv(client.get(f"/reportes/cohortes/{cohort.pk}/exportar/progress.csv"))
    assert len(everyone) == 4


def test_xlsx_exports_open_in_a_spreadsheet(client, trainer, cohort, members):
    client.force_login(trainer)
    for kind in EXPORT_KINDS:
        response = client.get(f"/reportes/cohortes/{cohort.pk}/exportar/{kind}.xlsx")
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet.max_row == 4, kind
        assert {sheet.cell(row=r, column=1).value for r in range(2, 5)} == {
            m.full_name for m in members
        }


def test_quiz_and_attendance_exports_carry_the_other_apps_figures(
    client, trainer, cohort, members, monkeypatch
):
    from reports import sources

    monkeypatch.setattr(
        sources,
        "quiz_results",
        lambda ids, course: {
            members[0].pk: {
                "best_score": 80,
                "pre": 40,
                "post": 75,
                "gain": 35,
                "failed_out": False,
            }
        },
    )
    monkeypatch.setattr(
        sources,
        "attendance",
        lambda ids, course: {
            members[0].pk: {"registered": 2, "attended": 1, "absent": 1, "excused": 0}
        },
    )
    client.force_login(trainer)
    quizzes = _csv(client.get(f"/reportes/cohortes/{cohort.pk}/exportar/quizzes.csv"))
    row = next(r for r in quizzes if r[0] == members[0].full_name)
    assert row[4:8] == ["80.0", "40.0", "75.0", "35.0"]
    attendance = _csv(client.get(f"/reportes/cohortes/{cohort.pk}/exportar/attendance.csv"))
    row = next(r for r in attendance if r[0] == members[0].full_name)
    assert row[4:] == ["2", "1", "1", "0"]


def test_reminder_goes_to_the_selected_learners_after_commit(
    client, trainer, cohort, members, django_capture_on_commit_callbacks
):
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            remind_url(cohort.pk),
            {"personas": [members[0].pk, members[1].pk], "mensaje": "¡Ánimo!"},
        )
    assert response.status_code == 302
    assert len(queued_reminders(callbacks)) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([members[0].email, members[1].email])
    assert "¡Ánimo!" in mail.outbox[0].body
    assert mail.outbox[0].reply_to == [trainer.email]
    assert ReminderLog.objects.filter(cohort=cohort, sender=trainer).count() == 2


def test_reminder_to_someone_outside_the_cohort_is_refused_and_nothing_is_sent(
    client, trainer, cohort, members, other_cohort, django_capture_on_commit_callbacks
):
    stranger = other_cohort.members.first()
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            remind_url(cohort.pk),
            {"personas": [members[0].pk, stranger.pk], "mensaje": "Hola"},
            follow=True,
        )
    assert queued_reminders(callbacks) == []
    assert mail.outbox == []
    assert (
        'role="alert"' in response.content.decode() or "message-error" in response.content.decode()
    )


def test_reminder_needs_a_selection_and_a_message(
    client, trainer, cohort, members, django_capture_on_commit_callbacks
):
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(remind_url(cohort.pk), {"mensaje": "Hola"})
        client.post(remind_url(cohort.pk), {"personas": [members[0].pk], "mensaje": "   "})
        client.post(remind_url(cohort.pk), {"personas": ["abc"], "mensaje": "Hola"})
    assert queued_reminders(callbacks) == [] and mail.outbox == []


def test_remind_every_stuck_learner(
    client, trainer, cohort, pcourse, members, django_capture_on_commit_callbacks
):
    Enrolment.objects.filter(user=members[2]).update(
        enrolled_at=timezone.now() - timedelta(days=30)
    )
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            remind_url(cohort.pk),
            {"atascados": "1", "curso": pcourse.pk, "dias": 14, "mensaje": "Te esperamos"},
        )
    assert [m.to[0] for m in mail.outbox] == [members[2].email]


def test_the_redirect_after_a_reminder_stays_on_this_site(
    client, trainer, cohort, members, django_capture_on_commit_callbacks
):
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            remind_url(cohort.pk),
            {"personas": [members[0].pk], "mensaje": "Hola", "next": "https://evil.example/"},
        )
    assert response["Location"] == f"/reportes/cohortes/{cohort.pk}/"


def test_the_dashboard_highlights_stuck_learners_in_text_and_colour(
    client, trainer, cohort, members
):
    Enrolment.objects.filter(user=members[0]).update(
        enrolled_at=timezone.now() - timedelta(days=30)
    )
    client.force_login(trainer)
    html = client.get(f"/reportes/cohortes/{cohort.pk}/").content.decode()
    assert html.count('class="state-stuck"') == 1
    assert "badge-stuck" in html


def test_programme_overview_lists_lagging_organisations_first(
    client, manager, cohort, pcourse, members, ministry, company
):
    for lesson in lessons_of(pcourse):
        activity_complete(user=members[2], activity=lesson)  # the company learner finishes
    client.force_login(manager)
    response = client.get(f"/reportes/programas/{cohort.programme_id}/")
    overview = response.context["overview"]
    assert [(g.label, g.completion_percent) for g in overview.organisations] == [
        ("SEPRU", 0.0),
        ("EMPRU", 100.0),
    ]
    assert [g.label for g in overview.cohorts] == [cohort.name]
    only_companies = client.get(
        f"/reportes/programas/{cohort.programme_id}/", {"tipo": "company"}
    ).context["overview"]
    assert [g.label for g in only_companies.organisations] == ["EMPRU"]
    rows = _csv(client.get(f"/reportes/programas/{cohort.programme_id}/exportar/organisations.csv"))
    assert [r[0] for r in rows[1:]] == ["SEPRU", "EMPRU"]
    assert rows[1][2:6] == ["2", "0", "2", "0.0"]


def test_pages_use_no_inline_styles_or_scripts_and_charts_have_tables(client, manager, cohort):
    client.force_login(manager)
    for url in [
        "/reportes/",
        f"/reportes/cohortes/{cohort.pk}/",
        f"/reportes/programas/{cohort.programme_id}/",
    ]:
        html = client.get(url).content.decode()
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
    html = client.get(f"/reportes/programas/{cohort.programme_id}/").content.decode()
    assert html.count("<svg") >= 3
    assert html.count("<figure") <= html.count("<table")
    assert not re.search(r'(width|x|y)="[0-9]+,[0-9]', html), (
        "SVG numbers must not use the decimal comma"
    )


def test_survey_section_shows_nothing_when_no_selector_exists(client, manager, cohort, monkeypatch):
    from reports import sources

    real = sources.selector
    monkeypatch.setattr(
        sources, "selector", lambda module, name: None if "survey" in name else real(module, name)
    )
    client.force_login(manager)
    response = client.get(f"/reportes/programas/{cohort.programme_id}/")
    assert response.context["surveys"].available is False


def test_the_reports_link_is_in_the_menu_of_trainers_and_managers_only(
    client, trainer, manager, members, cohort
):
    for user, shown in [(trainer, True), (manager, True), (members[0], False)]:
        client.force_login(user)
        html = client.get("/mi-aprendizaje/").content.decode()
        assert ('href="/reportes/"' in html) is shown, user


def test_a_superuser_manager_without_rows_still_gets_the_index(client, db):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get("/reportes/").status_code == 200


def test_managers_of_two_programmes_see_both(client, manager, other_programme, other_cohort):
    ProgrammeManager.objects.create(user=manager, programme=other_programme)
    client.force_login(manager)
    assert client.get(f"/reportes/cohortes/{other_cohort.pk}/").status_code == 200


def test_the_wagtail_admin_menu_links_to_the_reports_for_managers(client, manager):
    client.force_login(manager)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "/reportes/" in response.content.decode()


def test_a_cohort_without_a_course_says_so(client, trainer, programme):
    from lms.factories import CohortFactory

    empty = CohortFactory(programme=programme, trainers=[trainer])
    client.force_login(trainer)
    response = client.get(f"/reportes/cohortes/{empty.pk}/")
    assert response.status_code == 200
    assert "board" not in response.context
    assert client.get(f"/reportes/cohortes/{empty.pk}/exportar/progress.csv").status_code == 404
