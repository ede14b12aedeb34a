"""Anonymous means anonymous under differencing: snapshot the results and the exports, let one
person answer, snapshot again — nothing changed that could be tied to that person. Results move
only by whole batches of five answers (free text included), per organisation as well; no page
or export shows when a learner answered."""

import pytest
from django.urls import reverse

from assessments.selectors import RELEASE_BATCH
from courses.models import ActivityProgress, Enrolment
from lms.factories import OrganisationFactory, UserFactory

from .test_surveys import answer, manager, survey  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def snapshot(client, page_of) -> tuple[str, str]:
    page = client.get(reverse("assessments:survey_results", args=[page_of.pk])).content.decode()
    page = page.split("<main", 1)[1].split("</main>", 1)[0]
    csv = client.get(reverse("assessments:survey_results_csv", args=[page_of.pk])).content.decode()
    return page, csv


def strip_counts(page: str) -> str:
    """The page states how many have answered (a count the manager sees on the dashboard anyway)."""
    import re

    return re.sub(r"\d+", "#", page)


def test_one_more_answer_changes_nothing_until_a_batch_of_five_is_complete(
    client,
    course,
    survey,  # noqa: F811
    manager,  # noqa: F811
):
    ministry = OrganisationFactory(name="Secretaría del Ejemplo")
    for index in range(RELEASE_BATCH):
        answer(
            UserFactory(organisation=ministry),
            course,
            survey,
            value="3",
            comment=f"comentario común {index}",
        )
    client.force_login(manager)
    before_page, before_csv = snapshot(client, survey)
    assert "comentario común 0" in before_csv
    target = UserFactory(organisation=ministry, full_name="Persona Que Responde")
    answer(target, course, survey, value="1", comment="texto muy personal de esta persona")
    after_page, after_csv = snapshot(client, survey)
    assert after_csv == before_csv
    assert strip_counts(after_page) == strip_counts(before_page)
    assert "texto muy personal" not in after_page + after_csv
    for _ in range(RELEASE_BATCH - 1):
        answer(UserFactory(organisation=ministry), course, survey, value="5", comment="otro")
    released_page, released_csv = snapshot(client, survey)
    assert released_csv != before_csv  # a whole batch of five: now it shows, mixed with four others
    assert "texto muy personal" in released_csv


def test_an_organisation_group_moves_by_its_own_batches(client, course, survey, manager):  # noqa: F811
    """Five answers from elsewhere release an overall batch; the one answer of a small
    organisation inside it never shows in that organisation's row."""
    big, small = OrganisationFactory(name="Grande"), OrganisationFactory(name="Pequeña")
    for _ in range(5):
        answer(UserFactory(organisation=small), course, survey, value="2")
    client.force_login(manager)
    _page, before = snapshot(client, survey)
    answer(UserFactory(organisation=small), course, survey, value="5")
    for _ in range(4):
        answer(UserFactory(organisation=big), course, survey, value="4")
    _page, after = snapshot(client, survey)
    small_rows = lambda text: [line for line in text.splitlines() if line.startswith("Pequeña")]  # noqa: E731
    assert small_rows(after) == small_rows(before)


def test_no_page_or_export_shows_when_a_learner_answered(client, course, survey, enrolled):  # noqa: F811
    enrolment = Enrolment.objects.get(user=enrolled, course=course)
    before = enrolment.last_activity_at
    answer(enrolled, course, survey)
    enrolment.refresh_from_db()
    assert enrolment.last_activity_at == before
    progress = ActivityProgress.objects.get(user=enrolled, activity_id=survey.pk)
    assert progress.state == "complete" and progress.completed_at is None
