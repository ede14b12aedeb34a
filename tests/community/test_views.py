"""The community pages as people see them: privacy, moderation controls, weight, no JavaScript
needed."""

import pytest

from community import services

pytestmark = pytest.mark.django_db
MAX_PAGE_BYTES = 50 * 1024


def login(client, user):
    client.force_login(user)
    return client


def test_member_of_another_cohort_cannot_read_a_private_space(world, client):
    thread = services.thread_create(
        user=world.a1, space=world.cohort_space, title="Privado de la cohorte A", body="secreto"
    )
    post = thread.posts.get()
    login(client, world.b1)
    for url in (
        f"/comunidad/espacios/{world.cohort_space.pk}/",
        f"/comunidad/hilos/{thread.pk}/",
        f"/comunidad/espacios/{world.cohort_space.pk}/nuevo/",
        f"/comunidad/mensajes/{post.pk}/reportar/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
    assert (
        client.post(f"/comunidad/hilos/{thread.pk}/responder/", {"body": "intruso"}).status_code
        == 404
    )
    assert thread.posts.count() == 1


def test_learner_posts_and_replies_through_the_forms(world, client):
    login(client, world.a1)
    response = client.post(
        f"/comunidad/espacios/{world.forum.pk}/nuevo/",
        {"title": "Pregunta", "body": "¿Qué opinan?"},
    )
    assert response.status_code == 302
    thread_url = response.headers["Location"]
    login(client, world.a2)
    response = client.post(thread_url + "responder/", {"body": "Opino que sí"}, follow=True)
    assert "Opino que sí" in response.content.decode()


def test_first_post_sends_to_the_code_of_participation(world, client):
    from lms.factories import UserFactory
    from lms.services import cohort_add_member

    newcomer = UserFactory()
    cohort_add_member(cohort=world.cohort_a, user=newcomer)
    login(client, newcomer)
    response = client.get(f"/comunidad/espacios/{world.cohort_space.pk}/nuevo/")
    assert response.status_code == 302 and "/comunidad/codigo/" in response.headers["Location"]
    client.post("/comunidad/codigo/", {"accept": "yes"})
    assert client.get(f"/comunidad/espacios/{world.cohort_space.pk}/nuevo/").status_code == 200


def test_anonymous_post_hides_the_name_from_peers_not_from_moderators(world, client):
    services.thread_create(
        user=world.a1, space=world.forum, title="Anónimo", body="difícil de contar", anonymous=True
    )
    thread_url = f"/comunidad/hilos/{world.forum.threads.get().pk}/"
    peer = login(client, world.b1).get(thread_url).content.decode()
    assert world.a1.full_name not in peer
    moderator = login(client, world.manager).get(thread_url).content.decode()
    assert world.a1.full_name in moderator


def test_trainer_sees_the_queue_and_hides_with_a_reason(world, client):
    thread = services.thread_create(user=world.a1, space=world.cohort_space, title="T", body="hola")
    reply = services.post_create(user=world.a2, thread=thread, body="grosería")
    services.post_report(user=world.a1, post=reply, reason="ofensivo")
    login(client, world.trainer)
    assert "grosería" in client.get("/comunidad/moderacion/").content.decode()
    client.post(f"/comunidad/mensajes/{reply.pk}/ocultar/", {"reason": "Falta de respeto"})
    reply.refresh_from_db()
    assert reply.hidden_reason == "Falta de respeto"
    author_view = login(client, world.a2).get(f"/comunidad/hilos/{thread.pk}/").content.decode()
    assert "Falta de respeto" in author_view
    peer_view = login(client, world.a1).get(f"/comunidad/hilos/{thread.pk}/").content.decode()
    assert "grosería" not in peer_view and "Falta de respeto" not in peer_view
    assert (
        client.post(f"/comunidad/mensajes/{reply.pk}/restablecer/").status_code == 404
    )  # a learner cannot


def test_a_long_thread_is_paginated_and_each_page_stays_under_50_kb(world, client):
    from django.utils import timezone

    from community.models import Post, Thread

    thread = services.thread_create(user=world.a1, space=world.forum, title="Largo", body="inicio")
    Post.objects.bulk_create(
        [
            Post(thread=thread, author=world.a2, body="<p>" + "palabra " * 120 + "</p>")
            for _ in range(120)
        ]
    )
    Thread.objects.filter(pk=thread.pk).update(post_count=121, last_post_at=timezone.now())
    login(client, world.a1)
    for url in (
        f"/comunidad/hilos/{thread.pk}/",
        f"/comunidad/hilos/{thread.pk}/?pagina=3",
        f"/comunidad/espacios/{world.forum.pk}/",
        "/comunidad/",
        "/comunidad/directorio/",
        "/comunidad/preferencias/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(response.content) < MAX_PAGE_BYTES, (url, len(response.content))


def test_directory_shows_only_what_the_organisation_chose(world, client):
    from community.models import OrganisationProfile

    org = world.a1.organisation
    OrganisationProfile.objects.create(
        organisation=org,
        published=True,
        what_we_do="Trabajamos con jóvenes",
        contact_email="oculto@example.org",
        show_email=False,
        contact_phone="555 123",
        show_phone=True,
    )
    OrganisationProfile.objects.create(
        organisation=world.b1.organisation, published=False, what_we_do="No publicado"
    )
    page = client.get("/comunidad/directorio/").content.decode()
    assert "Trabajamos con jóvenes" in page and "555 123" in page
    assert "oculto@example.org" not in page and "No publicado" not in page


def test_member_edits_the_profile_of_their_organisation(world, client):
    login(client, world.a1)
    response = client.post(
        "/comunidad/directorio/mi-organizacion/",
        {"published": "on", "what_we_do": "Radio comunitaria", "state": "GRO"},
    )
    assert response.status_code == 302
    assert world.a1.organisation.profile.what_we_do == "Radio comunitaria"
