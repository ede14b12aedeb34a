"""A QR code that survives a phone: the whole certificate page captured 600 px wide (what a phone
gets from a sheet at arm's length), slightly blurred, decodes with zbar to an address that shows
the verification page; the short address answers with a trailing slash and in any case."""

import datetime
import io
import subprocess

import pytest
from django.urls import reverse
from PIL import Image, ImageFilter

from certificates.rendering import CertificateContext, Signature, qr_payload, render_certificate_pdf

from .conftest import needs_tool

# A Gaussian blur of 0.8 px at 600 px page width: about a quarter of one printed module.
PAGE_WIDTH_PX = 600
SLIGHT_BLUR_PX = 0.8


def context(url: str, signatories: int = 1) -> CertificateContext:
    return CertificateContext(
        learner_name="Tomás Kuꞌuyoc Chaʼblé Ñúñez Güemes",
        course_title="Masculinidades no violentas y corresponsables en el servicio público",
        hours="20",
        completion_date=datetime.date(2026, 11, 20),
        issue_date=datetime.date(2026, 11, 21),
        code="ABCDE-FGH23",
        verify_url=url,
        body="Se otorga a\n{learner_name}\npor concluir\n{course}",
        signatories=tuple(Signature(f"Firmante {i}", "Coordinación") for i in range(signatories)),
        author="Plataforma de formación",
    )


def phone_capture(pdf: bytes, width: int = PAGE_WIDTH_PX, blur: float = SLIGHT_BLUR_PX) -> str:
    page = subprocess.run(
        ["pdftoppm", "-png", "-scale-to-x", str(width), "-scale-to-y", "-1", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout
    image = Image.open(io.BytesIO(page)).convert("L").filter(ImageFilter.GaussianBlur(blur))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return (
        subprocess.run(
            ["zbarimg", "-q", "--raw", "-"], input=buffer.getvalue(), capture_output=True
        )
        .stdout.decode()
        .strip()
    )


@needs_tool("zbarimg")
@needs_tool("pdftoppm")
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/v/ABCDE-FGH23",  # the demo
        "https://formacion.undp.org.mx/v/ABCDE-FGH23",  # a production address
        # under a path prefix:
        "https://formacion-masculinidades.gob.example.org/plataforma/v/ABCDE-FGH23",
    ],
)
@pytest.mark.parametrize("signatories", [1, 2, 4])
def test_a_600_px_blurred_capture_of_the_page_decodes(url, signatories):
    decoded = phone_capture(render_certificate_pdf(context(url, signatories)))
    assert decoded == qr_payload(url) and decoded.lower() == url.lower()


@needs_tool("zbarimg")
@needs_tool("pdftoppm")
def test_the_capture_without_blur_decodes_at_600_and_800_px():
    pdf = render_certificate_pdf(context("https://formacion.undp.org.mx/v/ABCDE-FGH23"))
    assert phone_capture(pdf, 600, 0).lower() == phone_capture(pdf, 800, 0).lower() != ""


def test_the_qr_payload_is_upper_case_only_for_a_short_address_without_a_prefix():
    assert (
        qr_payload("https://formacion.example.org/v/ABCDE-FGH23")
        == "HTTPS://FORMACION.EXAMPLE.ORG/V/ABCDE-FGH23"
    )
    assert qr_payload("https://x.example.org/plataforma/v/ABCDE-FGH23").endswith(
        "/plataforma/v/ABCDE-FGH23"
    )
    assert (
        qr_payload("https://x_y.example.org/v/ABCDE-FGH23")
        == "https://x_y.example.org/v/ABCDE-FGH23"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "form",
    [
        "/v/{code}",
        "/v/{code}/",
        "/V/{code}",
        "/V/{code}/",
        "/v/{lower}",
        "/v/{lower}/",
        "/v/{plain}",
    ],
)
def test_the_short_address_answers_in_every_form_a_person_or_a_scanner_gives(
    client, certificate, form
):
    code = certificate.display_code
    path = form.format(code=code, lower=code.lower(), plain=certificate.code.lower())
    response = client.get(path)
    assert response.status_code == 200, path
    assert certificate.learner_name in response.content.decode()


@pytest.mark.django_db
def test_the_address_the_qr_encodes_opens_the_verification_page(client, certificate):
    payload = qr_payload(certificate.verify_url)
    path = "/" + payload.split("/", 3)[3]
    assert client.get(path).status_code == 200
    assert (
        reverse("certificate_verify_short", args=[certificate.display_code])
        == f"/v/{certificate.display_code}"
    )
