"""Question text to safe HTML per format."""

import pytest

from assessments.text import render


@pytest.mark.parametrize(
    ("source", "text_format", "expected", "absent"),
    [
        ("<b>Hola</b> <script>alert(1)</script>", "html", "<b>Hola</b>", "script"),
        ('<p onclick="x()">Texto</p>', "html", "<p>Texto</p>", "onclick"),
        ('<a href="javascript:alert(1)">enlace</a>', "html", "enlace</a>", "javascript"),
        (
            '<a href="https://example.org">enlace</a>',
            "html",
            'href="https://example.org"',
            "onclick",
        ),
        ('<img src=x onerror="y()">Imagen', "html", "Imagen", "onerror"),
        ("<style>p{}</style>Texto", "html", "Texto", "<style"),
        (
            "**negrita** y *cursiva*",
            "markdown",
            "<strong>negrita</strong> y <em>cursiva</em>",
            "**",
        ),
        ("- uno\n- dos", "markdown", "<ul><li>uno</li><li>dos</li></ul>", "- uno"),
        ("<b>no</b> es HTML", "markdown", "&lt;b&gt;no&lt;/b&gt;", "<b>"),
        ("Línea 1\nLínea 2", "plain", "Línea 1<br>Línea 2", "\n"),
        ("<b>escapado</b>", "moodle", "&lt;b&gt;escapado&lt;/b&gt;", "<b>"),
    ],
)
def test_render(source, text_format, expected, absent):
    html = render(source, text_format)
    assert expected in html
    assert absent not in html


@pytest.mark.parametrize(
    ("value", "language", "percent", "signed"),
    [
        (96.666, "es", "96,7 %", "+96,7"),
        (100, "es", "100 %", "+100"),
        (-12.5, "en", "-12.5 %", "-12.5"),
        (0, "es", "0 %", "0"),
        (None, "es", "—", "—"),
    ],
)
def test_score_filters_follow_the_language(value, language, percent, signed):
    from django.utils import translation

    from assessments.templatetags.assessments_tags import percent as percent_filter
    from assessments.templatetags.assessments_tags import signed as signed_filter

    with translation.override(language):
        assert percent_filter(value) == percent
        assert signed_filter(value) == signed
