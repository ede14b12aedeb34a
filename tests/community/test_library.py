"""The library: filters, and search that reaches other forms of a word."""

import pytest

from community.library import library_items

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(db):
    from django.core.management import call_command

    from community.models import LibraryIndexPage, PracticePage, ResourcePage
    from courses.factories import site_home

    home = site_home()
    index = LibraryIndexPage(title="Biblioteca", slug="biblioteca")
    home.add_child(instance=index)
    pages = [
        PracticePage(
            title="Círculos de hombres",
            slug="circulos",
            organisation_name="OSC",
            state="CHP",
            summary="Hombres que dejaron de ser violentos en su familia.",
            approach="<p>Reflexión</p>",
        ),
        PracticePage(
            title="Padres que cuidan",
            slug="padres",
            organisation_name="OSC",
            state="GRO",
            kind="project",
            summary="Cuidado de niñas y niños.",
            approach="<p>Talleres</p>",
        ),
        PracticePage(
            title="Escuelas sin golpes",
            slug="escuelas",
            organisation_name="OSC",
            state="OAX",
            summary="Prevención de la violencia en las aulas.",
            approach="<p>Asambleas</p>",
        ),
        ResourcePage(
            title="Notas de política",
            slug="notas",
            kind="brief",
            language="en",
            summary="Empresas y derechos.",
        ),
    ]
    for page in pages:
        index.add_child(instance=page)
    call_command("update_index", verbosity=0)
    return index


def test_filters_by_state_kind_and_language(library):
    assert [p.slug for p in library_items(library, {"estado": "GRO"})[0]] == ["padres"]
    assert [p.slug for p in library_items(library, {"tipo": "brief"})[0]] == ["notas"]
    assert [p.slug for p in library_items(library, {"idioma": "en"})[0]] == ["notas"]
    assert len(library_items(library, {"estado": "XX", "programa": "abc"})[0]) == 4


def test_search_finds_a_word(library):
    assert [p.slug for p in library_items(library, {"q": "cuidado"})[0]] == ["padres"]


def _found(library, query: str) -> list[str]:
    return sorted(p.slug for p in library_items(library, {"q": query})[0])


@pytest.mark.parametrize(
    ("query", "slugs"),
    [
        ("violencia", ["circulos", "escuelas"]),  # one says "violentos", the other "violencia"
        ("violentos", ["circulos", "escuelas"]),
        ("Violento", ["circulos", "escuelas"]),
        ("cuidadoras", ["padres"]),
        ("politica", ["notas"]),  # typed without its accent
        ("prevencion", ["escuelas"]),
        ("hombre", ["circulos"]),
        ("zapatos", []),
    ],
)
def test_search_finds_a_practice_by_another_form_of_a_word(library, query, slugs):
    """On PostgreSQL (CI) and on SQLite (the first run; see test_search_on_sqlite) alike."""
    assert _found(library, query) == slugs


def test_library_page_renders_with_filters(library, client):
    response = client.get(library.url + "?q=hombres&estado=CHP")
    assert response.status_code == 200
    assert "Círculos de hombres" in response.content.decode()
