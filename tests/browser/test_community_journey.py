"""The community on a phone: a learner accepts the code, posts, a peer replies and reports, the
trainer hides and restores; a discussion activity completes; axe-core finds nothing serious."""

import pytest
from playwright.sync_api import expect

from .conftest import log_in, make_user, run_axe

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cohort_world(site):
    from types import SimpleNamespace

    from community.models import DiscussionPage, Space
    from community.services import space_ensure
    from courses.factories import ModulePageFactory, course_tree
    from courses.services import cohort_course_add
    from lms.factories import CohortFactory
    from lms.services import cohort_add_member

    course = course_tree(modules=1, lessons=1, title="Curso con conversatorio")
    module = ModulePageFactory(parent=course)
    activity = DiscussionPage(
        title="Conversatorio",
        slug="conversatorio",
        prompt="¿Quién cuida en su casa?",
        threads_required=1,
        replies_required=1,
    )
    module.add_child(instance=activity)
    activity.save_revision().publish()
    trainer = make_user(roles=("trainer",), full_name="Facilitadora Ana Ruiz")
    ana, beto = make_user(full_name="Ana Learner Uno"), make_user(full_name="Beto Learner Dos")
    cohort = CohortFactory(programme=course.get_programme(), trainers=[trainer])
    for user in (ana, beto):
        cohort_add_member(cohort=cohort, user=user)
    cohort_course_add(cohort=cohort, course=course)
    space = space_ensure(kind=Space.Kind.COHORT, cohort=cohort)
    return SimpleNamespace(
        course=course, activity=activity, trainer=trainer, ana=ana, beto=beto, space=space
    )


def assert_accessible(page):
    assert run_axe(page) == [], page.url


def test_learner_posts_peer_replies_and_reports_trainer_hides_and_restores(
    browser, live_server, cohort_world
):
    from community.models import Post, Report

    w = cohort_world
    ana = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server.url, locale="es-MX"
    ).new_page()
    log_in(ana, w.ana)
    ana.goto("/comunidad/")
    assert_accessible(ana)
    ana.locator(f"a[href='/comunidad/espacios/{w.space.pk}/']").first.click()
    ana.locator(f"a[href='/comunidad/espacios/{w.space.pk}/nuevo/']").click()
    ana.wait_for_url("**/comunidad/codigo/**")
    assert_accessible(ana)
    ana.locator("input[name=accept]").check()
    ana.locator("main form button[type=submit]").click()
    ana.wait_for_url(f"**/comunidad/espacios/{w.space.pk}/nuevo/")
    assert_accessible(ana)
    ana.locator("input[name=title]").fill("¿Cómo repartimos los cuidados?")
    ana.locator("textarea[name=body]").fill("En mi casa los cuidados recaen en mi hermana.")
    ana.locator("main form button[type=submit]").click()
    expect(ana.locator("main")).to_contain_text("recaen en mi hermana")
    assert_accessible(ana)
    thread_url = ana.url.split("?")[0]

    beto = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server.url, locale="es-MX"
    ).new_page()
    log_in(beto, w.beto)
    beto.goto(thread_url)
    beto.locator("main a[href^='/comunidad/codigo/']").click()
    beto.locator("input[name=accept]").check()
    beto.locator("main form button[type=submit]").click()
    beto.wait_for_url(thread_url + "**")
    beto.locator("textarea[name=body]").fill("En la mía también; empecé a cocinar los martes.")
    beto.locator("form[action$='/responder/'] button[type=submit]").click()
    expect(beto.locator("main")).to_contain_text("cocinar los martes")
    first_post = Post.objects.filter(author=w.ana).get()
    beto.locator(f"a[href='/comunidad/mensajes/{first_post.pk}/reportar/']").click()
    assert_accessible(beto)
    beto.locator("input[name=reason]").fill("Prueba de reporte")
    beto.locator("main form button[type=submit]").click()
    beto.wait_for_url(thread_url + "**")
    assert Report.objects.filter(post=first_post, reporter=w.beto).exists()

    trainer = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server.url, locale="es-MX"
    ).new_page()
    log_in(trainer, w.trainer)
    trainer.goto("/comunidad/moderacion/")
    expect(trainer.locator("main")).to_contain_text("Prueba de reporte")
    assert_accessible(trainer)
    trainer.locator(f"a[href^='/comunidad/mensajes/{first_post.pk}/ocultar/']").click()
    trainer.locator("input[name=reason]").fill("Datos personales de una tercera persona")
    trainer.locator("main form button[type=submit]").click()
    trainer.wait_for_url("**/comunidad/moderacion/")
    first_post.refresh_from_db()
    assert first_post.is_hidden

    ana.goto(thread_url)
    expect(ana.locator(f"#mensaje-{first_post.pk}")).to_contain_text(
        "Datos personales de una tercera persona"
    )
    beto.goto(thread_url)
    expect(beto.locator(f"#mensaje-{first_post.pk}")).not_to_contain_text("recaen en mi hermana")

    trainer.goto(thread_url)
    assert_accessible(trainer)
    trainer.locator(
        f"form[action='/comunidad/mensajes/{first_post.pk}/restablecer/'] button"
    ).click()
    first_post.refresh_from_db()
    assert not first_post.is_hidden
    for context_page in (ana, beto, trainer):
        context_page.context.close()


def test_discussion_activity_completes_in_the_browser(page, cohort_world):
    from community.models import Space
    from community.services import code_accept, thread_create
    from courses.models import ActivityProgress

    w = cohort_world
    activity_space = Space.objects.get(kind=Space.Kind.ACTIVITY, page=w.activity)
    code_accept(user=w.beto)
    peer_thread = thread_create(
        user=w.beto, space=activity_space, title="Mi abuelo cuidaba", body="Cocinaba para todos."
    )
    code_accept(user=w.ana)
    log_in(page, w.ana)
    page.goto(w.activity.url)
    assert_accessible(page)
    page.locator(f"main a[href='/comunidad/espacios/{activity_space.pk}/nuevo/']").click()
    page.locator("input[name=title]").fill("En mi casa")
    page.locator("textarea[name=body]").fill("Mi padre aprendió a cuidar tarde.")
    page.locator("main form button[type=submit]").click()
    page.goto(f"/comunidad/hilos/{peer_thread.pk}/")
    page.locator("textarea[name=body]").fill("Qué bonito recuerdo.")
    page.locator("form[action$='/responder/'] button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Qué bonito recuerdo")
    assert ActivityProgress.objects.get(user=w.ana, activity_id=w.activity.pk).state == "complete"
    page.goto(w.activity.url)
    assert_accessible(page)


def test_library_filters_work_without_javascript(nojs_page, site):
    from community.models import LibraryIndexPage, PracticePage

    library = LibraryIndexPage(title="Biblioteca", slug="biblioteca")
    site.add_child(instance=library)
    for title, state in (("Círculos de palabra", "CHP"), ("Radio maya", "ROO")):
        library.add_child(
            instance=PracticePage(
                title=title,
                slug=title.split()[0].lower(),
                organisation_name="OSC",
                state=state,
                summary="Resumen.",
                approach="<p>Reflexión</p>",
            )
        )
    nojs_page.goto(library.url)
    nojs_page.locator("select[name=estado]").select_option("CHP")
    nojs_page.locator("main form button[type=submit]").click()
    expect(nojs_page.locator("main")).to_contain_text("Círculos de palabra")
    expect(nojs_page.locator("main")).not_to_contain_text("Radio maya")


def test_library_practice_and_directory_pages_are_accessible(page, site):
    from community.models import LibraryIndexPage, PracticePage

    library = LibraryIndexPage(title="Biblioteca", slug="biblioteca")
    site.add_child(instance=library)
    practice = PracticePage(
        title="Círculos de palabra",
        slug="circulos",
        organisation_name="OSC",
        state="CHP",
        summary="Hombres que dejan la violencia.",
        approach="<p>Reflexión</p>",
    )
    library.add_child(instance=practice)
    for url in (library.url, practice.url, "/comunidad/directorio/"):
        page.goto(url)
        assert_accessible(page)
