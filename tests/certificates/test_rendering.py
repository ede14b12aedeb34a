"""The PDF itself: text, metadata, fonts, QR, escaping, one page, and the URL fetcher's limits."""

import datetime
import subprocess

import pytest

from certificates.rendering import (
    CertificateContext,
    ProjectURLFetcher,
    RenderError,
    Signature,
    body_paragraphs,
    certificate_html,
    qr_payload,
    render_certificate_pdf,
    signatory_columns,
)

from .conftest import needs_tool, pdf_info, pdf_text

NAME = "Tomás Kuꞌuyoc Chaʼblé Ñúñez Güemes"
VERIFY = "https://formacion.example.org/v/ABCDE-FGH23"


def context(**overrides) -> CertificateContext:
    values = {
        "learner_name": NAME,
        "course_title": "Masculinidades no violentas y corresponsables en el servicio público",
        "hours": "20",
        "completion_date": datetime.date(2026, 11, 20),
        "issue_date": datetime.date(2026, 11, 21),
        "code": "ABCDE-FGH23",
        "verify_url": VERIFY,
        "body": (
            "Se otorga a\n{learner_name}\npor concluir\n{course}\n({hours} horas, "
            "{completion_date})."
        ),
        "signatories": (Signature("Mariana Ochoa Gutiérrez", "Coordinación"),),
        "author": "Plataforma de formación",
    }
    return CertificateContext(**(values | overrides))


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_certificate_pdf(context())


@needs_tool("pdftotext")
def test_pdf_text_has_name_course_hours_date_and_code(pdf):
    text = pdf_text(pdf)
    assert NAME in text  # ñ, á, ü and the modifier letters ꞌ ʼ extract as themselves
    assert "Masculinidades no violentas y corresponsables en el servicio público" in text
    assert "20 horas" in text
    assert "20 de noviembre de 2026" in text
    assert "ABCDE-FGH23" in text
    assert VERIFY in text
    assert (
        "Emitida el 21 de noviembre de 2026" in text
    )  # the template's language, not the request's


@needs_tool("pdftotext")
def test_an_english_template_prints_english_dates_and_labels():
    text = pdf_text(render_certificate_pdf(context(language="en")))
    assert "Issued on Nov. 21, 2026" in text


@needs_tool("pdfinfo")
def test_pdf_is_one_a4_landscape_page_with_title_and_author(pdf):
    info = pdf_info(pdf)
    assert info["Pages"] == "1"
    assert info["Page size"].startswith("841.89 x 595.276")
    assert NAME in info["Title"]
    assert info["Author"] == "Plataforma de formación"


@needs_tool("pdfinfo")
def test_pdf_declares_pdfa_3b(pdf):
    meta = subprocess.run(
        ["pdfinfo", "-meta", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert 'pdfaid:part="3"' in meta and 'pdfaid:conformance="B"' in meta


@needs_tool("pdffonts")
def test_pdf_embeds_the_shipped_fonts(pdf):
    out = subprocess.run(
        ["pdffonts", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    rows = [line for line in out.splitlines()[2:] if line.strip()]
    assert rows and all(" yes yes yes " in row for row in rows), out
    assert "Cert-Sans" in out and "DejaVu" not in out


def decoded_qr(pdf: bytes, dpi: int) -> str:
    page = subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-"], input=pdf, capture_output=True, check=True
    ).stdout
    return (
        subprocess.run(["zbarimg", "-q", "--raw", "-"], input=page, capture_output=True)
        .stdout.decode()
        .strip()
    )


@needs_tool("zbarimg")
@pytest.mark.parametrize("dpi", [72, 100, 150, 300, 600])
def test_qr_code_decodes_to_the_verification_url_from_screen_to_print_resolution(pdf, dpi):
    assert (
        decoded_qr(pdf, dpi) == qr_payload(VERIFY) and qr_payload(VERIFY).lower() == VERIFY.lower()
    )


@needs_tool("zbarimg")
def test_a_long_site_address_still_gives_a_qr_code_that_decodes():
    url = "https://formacion-masculinidades.gob.example.org/plataforma/v/ABCDE-FGH23"
    assert decoded_qr(render_certificate_pdf(context(verify_url=url)), 100) == url


def test_qr_image_is_drawn_without_smoothing_as_pdfa_requires(pdf):
    assert b"/Interpolate true" not in pdf


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, []),
        (1, [(37.3, 25.4)]),
        (2, [(20.9, 25.4), (53.7, 25.4)]),
        (4, [(0.0, 22.0), (26.0, 22.0), (52.0, 22.0), (78.0, 22.0)]),
    ],
)
def test_signatories_are_centred_in_columns_that_fit_the_page(count, expected):
    assert signatory_columns(count) == expected


@needs_tool("pdftotext")
def test_four_signatories_with_long_names_print_on_one_page():
    signatories = tuple(
        Signature(f"Persona Firmante Número {n} Con Apellidos Largos", "Coordinación")
        for n in range(4)
    )
    pdf = render_certificate_pdf(context(signatories=signatories))
    assert pdf_info(pdf)["Pages"] == "1"
    text = pdf_text(pdf)
    assert all(f"Número {n}" in text for n in range(4))


@needs_tool("pdftotext")
def test_markup_in_a_name_prints_as_literal_text():
    evil = "<img src=file:///etc/passwd> & <b>Ana</b>"
    text = pdf_text(render_certificate_pdf(context(learner_name=evil)))
    assert evil in text
    assert "root:" not in text


def test_markup_in_a_name_is_escaped_in_the_html():
    html = certificate_html(context(learner_name='<img src="file:///etc/passwd">'))
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    assert '<img src="file:///etc/passwd">' not in html


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("{learner_name}", ['<p class="name"><span class="name">Ana &lt;b&gt;</span></p>']),
        ("Curso: {course}", ['<p>Curso: <span class="course">C &amp; D</span></p>']),
        ("{hours} h\n\n{unknown}", ["<p>7 h</p>", "<p>{unknown}</p>"]),
        ("<script>x</script>", ["<p>&lt;script&gt;x&lt;/script&gt;</p>"]),
    ],
)
def test_body_paragraphs_escape_text_and_values(body, expected):
    values = {"learner_name": "Ana <b>", "course": "C & D", "hours": "7"}
    assert [str(p) for p in body_paragraphs(body, values)] == expected


@needs_tool("pdfinfo")
def test_a_very_long_name_still_fits_one_page():
    pdf = render_certificate_pdf(context(learner_name="María Guadalupe de los Ángeles " * 6))
    assert pdf_info(pdf)["Pages"] == "1"


def test_a_body_that_cannot_fit_one_page_is_a_render_error():
    with pytest.raises(RenderError):
        render_certificate_pdf(
            context(body="\n".join(["Una línea larga de texto del cuerpo"] * 80))
        )


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/static/x.png",
        "https://certificate.internal/etc/passwd",
        "https://certificate.internal/static/../../etc/passwd",
        "https://certificate.internal/media/../../../etc/passwd",
        "https://certificate.internal/static/certificates/fonts/nope.ttf",
        "data:text/plain,hola",
        "https://certificate.internal/generated/../static/certificates/fonts/NotoSans-Regular.ttf?x",
        "https://certificate.internal/generated/other.png",
    ],
)
def test_url_fetcher_refuses_anything_but_project_files(url):
    with pytest.raises(ValueError):
        ProjectURLFetcher().fetch(url)


def test_url_fetcher_serves_project_static_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    (tmp_path / "logos").mkdir()
    (tmp_path / "logos" / "a.png").write_bytes(b"\x89PNG")
    fetcher = ProjectURLFetcher()
    font = fetcher.fetch(
        "https://certificate.internal/static/certificates/fonts/NotoSans-Regular.ttf"
    )
    assert font.read()[:4] == b"\x00\x01\x00\x00"
    assert fetcher.fetch("https://certificate.internal/media/logos/a.png").read() == b"\x89PNG"
