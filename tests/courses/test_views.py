"""Views: no-JS forms, who may see what, and bad input that never becomes a server error."""

import pytest
from django.urls import reverse

from courses import services
from courses.factories import course_tree
from courses.models import ActivityProgress, Enrolment, LessonPage, ModulePage
from lms.factories import CohortFactory, UserFactory
from lms.services import cohort_add_member

pytestmark = pytest.mark.django_db


def lessons_of(course):
    return list(LessonPage.objects.descendant_of(course).live().order_by("path"))


@pytest.fixture
def cohort_course():
    course = course_tree(mode="cohort")
    lesson = lessons_of(course)[0]
    lesson.body = [("text", "<p>Contenido solo para la cohorte.</p>")]
    lesson.save_revision().publish()
    return course


# Catalogue


def test_the_catalogue_lists_published_courses(client, course):
    response = client.get(reverse("courses:catalogue"))
    assert response.status_code == 200
    assert course.title in response.content.decode()


def test_the_catalogue_searches_and_filters(client, course):
    other = course_tree(mode="cohort", title="Debida diligencia empresarial")
    response = client.get(reverse("courses:catalogue"), {"q": "diligencia"})
    body = response.content.decode()
    assert other.title in body and course.title not in body
    response = client.get(reverse("courses:catalogue"), {"modalidad": "cohort"})
    body = response.content.decode()
    assert other.title in body and course.title not in body
    response = client.get(reverse("courses:catalogue"), {"programa": course.get_parent().pk})
    body = response.content.decode()
    assert course.title in body and other.title not in body


@pytest.mark.parametrize(
    "params",
    [
        {"programa": "abc"},
        {"programa": "-3"},
        {"programa": "99999999999999999999999999"},
        {"modalidad": "<script>"},
        {"idioma": "xx"},
        {"pagina": "mucho"},
        {"pagina": "99999"},
        {"q": "x" * 5000},
        {"q": "' OR 1=1 --"},
    ],
)
def test_bad_catalogue_input_is_ignored(client, course, params):
    response = client.get(reverse("courses:catalogue"), params)
    assert response.status_code == 200


def test_catalogue_pages_keep_the_filters(client):
    programme = course_tree(modules=1, lessons=1).get_parent()
    for _ in range(21):
        course_tree(modules=0, programme=programme)
    response = client.get(reverse("courses:catalogue"), {"modalidad": "open"})
    assert "modalidad=open&amp;pagina=2" in response.content.decode()


# Enrol, withdraw, complete


def test_enrol_is_a_post_form_that_redirects_to_the_course(client, learner, course):
    client.force_login(learner)
    page = client.get(course.url).content.decode()
    assert f'action="{reverse("courses:enrol", args=[course.pk])}"' in page
    response = client.post(reverse("courses:enrol", args=[course.pk]))
    assert response.status_code == 302 and response["Location"] == course.url
    assert Enrolment.objects.filter(user=learner, course=course, status="active").exists()


def test_enrol_by_get_is_not_allowed(client, learner, course):
    client.force_login(learner)
    assert client.get(reverse("courses:enrol", args=[course.pk])).status_code == 405
    assert not Enrolment.objects.exists()


def test_anonymous_posts_are_sent_to_log_in(client, course):
    lesson = lessons_of(course)[0]
    for url in (
        reverse("courses:enrol", args=[course.pk]),
        reverse("courses:withdraw", args=[course.pk]),
        reverse("courses:complete", args=[lesson.pk]),
    ):
        response = client.post(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]
    assert not Enrolment.objects.exists() and not ActivityProgress.objects.exists()


@pytest.mark.parametrize("name", ["courses:enrol", "courses:withdraw", "courses:complete"])
def test_unknown_ids_are_404(client, learner, name):
    client.force_login(learner)
    assert client.post(reverse(name, args=[987654])).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/aprendizaje/cursos/abc/inscribirme/",
        "/aprendizaje/actividades/1e3/completar/",
        "/aprendizaje/actividades/-1/completar/",
        "/aprendizaje/actividades/99999999999999999999999/completar/",
        "/no-existe/",
        "/no-existe/tampoco/leccion/",
    ],
)
def test_malformed_urls_are_404(client, learner, url):
    client.force_login(learner)
    assert client.post(url).status_code == 404
    assert client.get(url).status_code in (404, 405)


def test_enrolling_in_a_cohort_only_course_shows_a_message_and_changes_nothing(
    client, learner, cohort_course
):
    client.force_login(learner)
    response = client.post(reverse("courses:enrol", args=[cohort_course.pk]), follow=True)
    assert response.status_code == 200
    assert not Enrolment.objects.exists()
    assert "cohort" in response.content.decode().lower()


def test_completing_moves_on_to_the_next_activity(client, learner, course):
    services.enrolment_create(user=learner, course=course)
    client.force_login(learner)
    lessons = lessons_of(course)
    response = client.post(reverse("courses:complete", args=[lessons[0].pk]))
    assert response.status_code == 302 and response["Location"] == lessons[1].url


def test_double_submission_of_complete_is_harmless(client, learner, course):
    services.enrolment_create(user=learner, course=course)
    client.force_login(learner)
    lesson = lessons_of(course)[0]
    url = reverse("courses:complete", args=[lesson.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert ActivityProgress.objects.filter(user=learner).count() == 1


def test_completing_without_enrolment_shows_a_message_and_records_nothing(client, learner, course):
    client.force_login(learner)
    lesson = lessons_of(course)[0]
    response = client.post(reverse("courses:complete", args=[lesson.pk]), follow=True)
    assert response.redirect_chain[0][0] == lesson.url
    assert 'role="status"' in response.content.decode()
    assert not ActivityProgress.objects.exists()


def test_completing_a_locked_lesson_explains_why(client, learner, course):
    module = ModulePage.objects.child_of(course).order_by("path")[1]
    module.requires_previous = True
    module.save_revision().publish()
    services.enrolment_create(user=learner, course=course)
    client.force_login(learner)
    locked = lessons_of(course)[2]
    response = client.post(reverse("courses:complete", args=[locked.pk]), follow=True)
    assert module.get_prev_siblings().first().title in response.content.decode()
    assert not ActivityProgress.objects.filter(activity=locked, state="complete").exists()


def test_complete_of_a_non_activity_page_redirects_without_recording(client, learner, course):
    client.force_login(learner)
    response = client.post(reverse("courses:complete", args=[course.pk]))
    assert response.status_code == 302
    assert not ActivityProgress.objects.exists()


def test_withdraw_keeps_progress_and_hides_the_button(client, learner, course):
    services.enrolment_create(user=learner, course=course)
    services.activity_complete(user=learner, activity=lessons_of(course)[0])
    client.force_login(learner)
    response = client.post(reverse("courses:withdraw", args=[course.pk]))
    assert response.status_code == 302
    assert Enrolment.objects.get(user=learner, course=course).status == "withdrawn"
    assert ActivityProgress.objects.filter(user=learner, state="complete").count() == 1
    page = client.get(course.url).content.decode()
    assert reverse("courses:withdraw", args=[course.pk]) not in page


# Who sees what


def test_cohort_only_outline_is_public_but_lessons_are_not(client, cohort_course):
    lesson = lessons_of(cohort_course)[0]
    outline = client.get(cohort_course.url).content.decode()
    assert lesson.title in outline
    body = client.get(lesson.url).content.decode()
    assert "Contenido solo para la cohorte" not in body
    client.force_login(UserFactory())
    body = client.get(lesson.url).content.decode()
    assert "Contenido solo para la cohorte" not in body
    assert not ActivityProgress.objects.exists()


def test_cohort_only_lessons_show_to_enrolled_learners(client, learner, cohort_course):
    cohort = CohortFactory(programme=cohort_course.get_parent())
    cohort_add_member(cohort=cohort, user=learner)
    services.cohort_course_add(cohort=cohort, course=cohort_course)
    client.force_login(learner)
    lesson = lessons_of(cohort_course)[0]
    assert "Contenido solo para la cohorte" in client.get(lesson.url).content.decode()
    assert ActivityProgress.objects.get(user=learner, activity=lesson).state == "in_progress"


def test_cohort_only_lessons_show_to_the_cohort_trainer_and_editors(client, trainer, cohort_course):
    cohort = CohortFactory(programme=cohort_course.get_parent(), trainers=[trainer])
    services.cohort_course_add(cohort=cohort, course=cohort_course)
    lesson = lessons_of(cohort_course)[0]
    client.force_login(trainer)
    assert "Contenido solo para la cohorte" in client.get(lesson.url).content.decode()
    client.force_login(UserFactory(roles=("editor",)))
    assert "Contenido solo para la cohorte" in client.get(lesson.url).content.decode()
    assert not ActivityProgress.objects.exists()


def test_a_trainer_of_another_cohort_does_not_see_cohort_lessons(client, trainer, cohort_course):
    other_course = course_tree(mode="cohort")
    cohort = CohortFactory(programme=other_course.get_parent(), trainers=[trainer])
    services.cohort_course_add(cohort=cohort, course=other_course)
    client.force_login(trainer)
    body = client.get(lessons_of(cohort_course)[0].url).content.decode()
    assert "Contenido solo para la cohorte" not in body


def test_locked_lessons_hide_their_body_and_explain_the_lock(client, learner, course):
    module = ModulePage.objects.child_of(course).order_by("path")[1]
    module.requires_previous = True
    module.save_revision().publish()
    services.enrolment_create(user=learner, course=course)
    client.force_login(learner)
    locked = lessons_of(course)[2]
    body = client.get(locked.url).content.decode()
    assert "Contenido de la lección" not in body
    assert 'role="alert"' in body
    assert reverse("courses:complete", args=[locked.pk]) not in body
    assert not ActivityProgress.objects.filter(activity=locked).exists()
    outline = client.get(course.url).content.decode()
    assert f'href="{locked.url}"' not in outline


def test_the_learner_home_shows_progress_and_the_next_activity(client, learner, course):
    services.enrolment_create(user=learner, course=course)
    lessons = lessons_of(course)
    services.activity_complete(user=learner, activity=lessons[0])
    client.force_login(learner)
    body = client.get(reverse("learner_home")).content.decode()
    assert course.title in body
    assert 'value="25"' in body
    assert lessons[1].url in body


def test_module_page_lists_its_activities_with_their_state(client, learner, course):
    services.enrolment_create(user=learner, course=course)
    lessons = lessons_of(course)
    services.activity_complete(user=learner, activity=lessons[0])
    client.force_login(learner)
    module = ModulePage.objects.child_of(course).order_by("path").first()
    body = client.get(module.url).content.decode()
    assert lessons[0].title in body and lessons[1].title in body
    assert "badge-complete" in body


# Language switcher


def test_visitors_switch_language_with_links_and_logged_in_users_with_a_form(
    client, learner, course
):
    body = client.get(course.url).content.decode()
    assert "/idioma/?language=en" in body
    assert "csrfmiddlewaretoken" not in body
    response = client.get("/idioma/", {"language": "en", "next": course.url})
    assert response.status_code == 302 and response["Location"] == course.url
    assert response.cookies["django_language"].value == "en"
    client.force_login(learner)
    body = client.get(course.url).content.decode()
    assert 'name="language"' in body


def test_language_links_never_redirect_off_site_nor_change_the_profile(client, learner):
    response = client.get("/idioma/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    client.force_login(learner)
    client.get("/idioma/", {"language": "en"})
    learner.refresh_from_db()
    assert learner.preferred_language == "es"
    assert client.get("/idioma/", {"language": "zz"}).status_code == 302


def test_the_outline_says_the_gate_lock_once(client, learner):
    from assessments.factories import QuestionFactory, quiz_with_questions
    from assessments.models import QuizPage

    course = course_tree(modules=2, lessons=2)
    first_module = ModulePage.objects.child_of(course).order_by("path").first()
    gate = quiz_with_questions(
        parent=first_module,
        questions=[QuestionFactory()],
        kind=QuizPage.Kind.PRE,
        opens_course=True,
        title="Prueba de entrada",
    )
    services.enrolment_create(user=learner, course=course)
    client.force_login(learner)
    html = client.get(course.url).content.decode()
    assert html.count(gate.title) >= 1
    assert (
        html.count("it opens the course content") + html.count("abre el contenido del curso") == 1
    )
