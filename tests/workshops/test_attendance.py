from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from courses.models import ActivityProgress
from lms.factories import UserFactory
from workshops import checkin as codes
from workshops import services
from workshops.exceptions import AttendanceRefused, CheckInRefused
from workshops.factories import WorkshopSessionFactory
from workshops.models import Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(workshop, enrolled):
    """A session that started ten minutes ago with two confirmed learners."""
    start = timezone.now() - timedelta(minutes=10)
    session = WorkshopSessionFactory(
        page=workshop, start=start, end=start + timedelta(hours=2), capacity=5
    )
    people = [enrolled(), enrolled()]
    for person in people:
        services.registration_create(user=person, session=session, now=start - timedelta(days=1))
    return session, people


def recent_codes(session) -> list[str]:
    """The codes of this window and the previous one (a test may straddle the turn of a window)."""
    window = codes.window_of(timezone.now())
    return [codes.code_for(settings.SECRET_KEY, session.pk, w) for w in (window, window - 1)]


def state(user, workshop):
    progress = ActivityProgress.objects.filter(user=user, activity_id=workshop.pk).first()
    return progress.state if progress else None


def test_marking_attended_completes_the_workshop_activity(workshop, running, course_trainer):
    session, (a, b) = running
    regs = {r.user_id: r.pk for r in session.registrations.all()}
    changed = services.attendance_record(
        session=session,
        marks={regs[a.pk]: "attended", regs[b.pk]: "absent"},
        marked_by=course_trainer,
    )
    assert changed == 2
    assert state(a, workshop) == "complete"
    assert state(b, workshop) != "complete"
    assert Registration.objects.get(user=a).attendance_marked_by == course_trainer


def test_correcting_a_mistaken_attended_reopens_the_activity(workshop, running, course_trainer):
    session, (a, _b) = running
    reg = session.registrations.get(user=a)
    services.attendance_record(
        session=session, marks={reg.pk: "attended"}, marked_by=course_trainer
    )
    services.attendance_record(session=session, marks={reg.pk: "absent"}, marked_by=course_trainer)
    assert state(a, workshop) == "in_progress"


def test_attendance_cannot_be_recorded_before_the_session(session, enrolled, course_trainer):
    learner = enrolled()
    reg = services.registration_create(user=learner, session=session)
    with pytest.raises(AttendanceRefused):
        services.attendance_record(
            session=session, marks={reg.pk: "attended"}, marked_by=course_trainer
        )


def test_marks_for_another_sessions_registrations_are_ignored(
    workshop, running, enrolled, course_trainer
):
    session, _people = running
    other = WorkshopSessionFactory(page=workshop)
    stranger = services.registration_create(user=enrolled(), session=other)
    assert (
        services.attendance_record(
            session=session, marks={stranger.pk: "attended"}, marked_by=course_trainer
        )
        == 0
    )
    assert Registration.objects.get(pk=stranger.pk).attendance == ""


def test_the_trainer_form_saves_attendance(client, workshop, running, course_trainer):
    session, (a, b) = running
    regs = {r.user_id: r.pk for r in session.registrations.all()}
    client.force_login(course_trainer)
    url = reverse("workshops:attendance", args=[session.pk])
    page = client.get(url)
    assert a.full_name in page.content.decode()
    response = client.post(url, {f"r{regs[a.pk]}": "attended", f"r{regs[b.pk]}": "excused"})
    assert response.status_code == 302
    assert dict(Registration.objects.values_list("user_id", "attendance")) == {
        a.pk: "attended",
        b.pk: "excused",
    }
    assert state(a, workshop) == "complete"


def test_an_invalid_mark_changes_nothing(client, running, course_trainer):
    session, (a, _b) = running
    reg = session.registrations.get(user=a)
    client.force_login(course_trainer)
    response = client.post(
        reverse("workshops:attendance", args=[session.pk]), {f"r{reg.pk}": "present!"}
    )
    assert response.status_code == 200
    assert Registration.objects.get(pk=reg.pk).attendance == ""


@pytest.mark.parametrize(
    "name", ["attendance", "attendance_csv", "signin_sheet", "checkin_display"]
)
def test_learners_and_trainers_of_other_courses_get_404_on_staff_pages(client, running, name):
    session, (a, _b) = running
    other_trainer = UserFactory(roles=("trainer",))
    for user in (a, other_trainer):
        client.force_login(user)
        assert client.get(reverse(f"workshops:{name}", args=[session.pk])).status_code == 404


def test_the_roster_csv_lists_participants_and_attendance(client, running, course_trainer):
    session, (a, b) = running
    reg = session.registrations.get(user=a)
    services.attendance_record(
        session=session, marks={reg.pk: "attended"}, marked_by=course_trainer
    )
    client.force_login(course_trainer)
    body = client.get(reverse("workshops:attendance_csv", args=[session.pk])).content.decode(
        "utf-8-sig"
    )
    lines = body.strip().splitlines()
    assert len(lines) == 3
    assert a.email in body and b.email in body
    assert "Asistió" in body or "Attended" in body


def test_csv_cells_cannot_smuggle_formulas(client, running, course_trainer, enrolled):
    session, _people = running
    evil = enrolled(full_name='=HYPERLINK("http://x")')
    services.registration_create(user=evil, session=session, now=session.start - timedelta(days=1))
    client.force_login(course_trainer)
    body = client.get(reverse("workshops:attendance_csv", args=[session.pk])).content.decode(
        "utf-8-sig"
    )
    assert "'=HYPERLINK" in body


def test_the_sign_in_sheet_is_a_pdf_with_the_participants(
    client, running, course_trainer, tmp_path
):
    import subprocess

    session, (a, _b) = running
    client.force_login(course_trainer)
    response = client.get(reverse("workshops:signin_sheet", args=[session.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout  # noqa: S603, S607
    assert a.full_name in text
    assert session.page.title in text


# Self check-in with the rotating code.


def test_the_code_of_the_current_and_the_previous_window_checks_in(workshop, running):
    session, (a, b) = running
    now = timezone.now()
    previous = codes.code_for(settings.SECRET_KEY, session.pk, codes.window_of(now) - 1)
    services.checkin(
        user=a,
        session=session,
        code=codes.current_code(settings.SECRET_KEY, session.pk, now),
        now=now,
    )
    services.checkin(user=b, session=session, code=previous, now=now)
    assert set(Registration.objects.values_list("attendance", flat=True)) == {"attended"}
    assert state(a, workshop) == "complete"


def test_an_old_code_or_another_sessions_code_is_refused(workshop, running):
    session, (a, _b) = running
    now = timezone.now()
    old = codes.code_for(settings.SECRET_KEY, session.pk, codes.window_of(now) - 2)
    other = codes.current_code(settings.SECRET_KEY, session.pk + 1000, now)
    for code in (old, other, "", "abc"):
        with pytest.raises(CheckInRefused):
            services.checkin(user=a, session=session, code=code, now=now)
    assert Registration.objects.get(user=a).attendance == ""


def test_check_in_works_only_during_the_session(workshop, running):
    session, (a, _b) = running
    later = session.end + timedelta(minutes=1)
    with pytest.raises(CheckInRefused):
        services.checkin(
            user=a,
            session=session,
            code=codes.current_code(settings.SECRET_KEY, session.pk, later),
            now=later,
        )


def test_only_registered_learners_can_check_in(workshop, running, enrolled):
    session, _people = running
    now = timezone.now()
    with pytest.raises(CheckInRefused):
        services.checkin(
            user=enrolled(),
            session=session,
            code=codes.current_code(settings.SECRET_KEY, session.pk, now),
        )


def test_repeated_wrong_codes_are_blocked(workshop, running):
    session, (a, _b) = running
    valid = {
        codes.code_for(settings.SECRET_KEY, session.pk, codes.window_of(timezone.now()) - d)
        for d in (0, 1)
    }
    wrong = next(c for c in ("000000", "111111", "222222") if c not in valid)
    for _ in range(services.CHECKIN_MAX_FAILURES):
        with pytest.raises(CheckInRefused):
            services.checkin(user=a, session=session, code=wrong)
    good = codes.current_code(settings.SECRET_KEY, session.pk, timezone.now())
    with pytest.raises(CheckInRefused, match="Too many|Demasiados"):
        services.checkin(user=a, session=session, code=good)


def test_the_trainer_display_shows_the_code_and_a_qr_linking_to_check_in(
    client, running, course_trainer
):
    session, (a, _b) = running
    client.force_login(course_trainer)
    page = client.get(reverse("workshops:checkin_display", args=[session.pk])).content.decode()
    code = next(c for c in recent_codes(session) if c in page)
    assert "<svg" in page
    client.force_login(a)
    url = reverse("workshops:checkin", args=[session.pk])
    assert f'value="{code}"' in client.get(url, {"codigo": code}).content.decode()
    client.post(url, {"code": code})
    assert Registration.objects.get(user=a).attendance == "attended"


def test_the_check_in_page_is_not_found_for_people_without_a_seat(client, running, enrolled):
    session, _people = running
    client.force_login(enrolled())
    assert client.get(reverse("workshops:checkin", args=[session.pk])).status_code == 404


def test_the_qr_on_the_trainer_display_decodes_to_the_check_in_url(
    client, running, course_trainer, tmp_path
):
    import re
    import shutil
    import subprocess

    if not (shutil.which("zbarimg") and shutil.which("pdftoppm")):
        pytest.skip("zbarimg and pdftoppm are needed")
    from weasyprint import HTML

    session, _people = running
    client.force_login(course_trainer)
    page = client.get(reverse("workshops:checkin_display", args=[session.pk])).content.decode()
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    (tmp_path / "qr.pdf").write_bytes(HTML(string=f"<html><body>{svg}</body></html>").write_pdf())
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", str(tmp_path / "qr.pdf"), str(tmp_path / "qr")],
        check=True,
    )  # noqa: S603, S607
    image = next(tmp_path.glob("qr*.png"))
    decoded = subprocess.run(
        ["zbarimg", "-q", "--raw", str(image)], capture_output=True, text=True
    ).stdout.strip()  # noqa: S603, S607
    base = settings.SITE_URL + reverse("workshops:checkin", args=[session.pk])
    assert decoded in {f"{base}?codigo={code}" for code in recent_codes(session)}


def test_the_trainer_lists_the_sessions_of_their_courses_only(
    client, course, running, course_trainer
):
    from courses.factories import course_tree
    from workshops.factories import workshop_in_course

    session, _people = running
    elsewhere = workshop_in_course(course_tree(modules=1, lessons=1))
    client.force_login(course_trainer)
    html = client.get(reverse("workshops:staff_sessions")).content.decode()
    assert reverse("workshops:attendance", args=[session.pk]) in html
    assert elsewhere.title not in html
    assert reverse("workshops:staff_sessions") in client.get(reverse("profile")).content.decode()


def test_learners_have_no_sessions_list(client, running):
    _session, (a, _b) = running
    client.force_login(a)
    assert client.get(reverse("workshops:staff_sessions")).status_code == 404
