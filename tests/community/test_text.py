import pytest

from community.text import (
    folded_words,
    mention_handle,
    mentions,
    plain_text,
    sanitise,
    word_roots,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("hola", "<p>hola</p>"),
        ("uno\n\ndos", "<p>uno</p><p>dos</p>"),
        ("<script>alert(1)</script>texto", "<p>texto</p>"),
        (
            '<p><a href="javascript:alert(1)">x</a></p>',
            '<p><a rel="nofollow noopener noreferrer">x</a></p>',
        ),
        (
            '<p><a href="https://example.org">x</a></p>',
            '<p><a href="https://example.org" rel="nofollow noopener noreferrer">x</a></p>',
        ),
        (
            '<p onclick="x()"><strong>fuerte</strong><img src=x onerror=1></p>',
            "<p><strong>fuerte</strong></p>",
        ),
    ],
)
def test_sanitise_keeps_a_small_safe_subset(typed, expected):
    assert sanitise(typed) == expected


def test_plain_text_drops_tags():
    assert plain_text("<p>uno <strong>dos</strong></p>") == "uno dos"


@pytest.mark.parametrize(
    ("name", "handle"),
    [
        ("María Guadalupe López Cruz", "maria-guadalupe-lopez-cruz"),
        ("Tomás Ku'uyoc Chablé", "tomas-ku-uyoc-chable"),
    ],
)
def test_mention_handle_is_the_name_without_accents(name, handle):
    assert mention_handle(name) == handle


def test_mentions_finds_handles_but_not_email_addresses():
    assert mentions("hola @maria-lopez y escriba a ana@example.org") == {"maria-lopez"}


@pytest.mark.parametrize(
    ("query", "roots"),
    [
        ("violencia", ["violen"]),
        ("violentos", ["viole"]),
        ("de la paz", []),
        ("para los hombres", ["hombr"]),
        ("cuidados", ["cuid"]),
        ("Políticas públicas", ["polit", "publi"]),
        ("politicas publicas", ["polit", "publi"]),
    ],
)
def test_word_roots_are_unaccented_prefixes_of_the_spanish_stem(query, roots):
    assert word_roots(query) == roots


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("violencia", "violentos"),
        ("violenta", "violencias"),
        ("cuidadoras", "cuidado"),
        ("masculinidades", "masculinidad"),
        ("comunidad", "comunidades"),
        ("política", "politicas"),
        ("indígenas", "indigena"),
        ("paternidad", "paternidades"),
    ],
)
def test_each_word_s_root_is_a_prefix_of_the_other_form(one, other):
    """The library search looks a query word's root up as a prefix of the indexed words."""
    assert folded_words(other).startswith(word_roots(one)[0])
    assert folded_words(one).startswith(word_roots(other)[0])
