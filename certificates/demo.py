"""Demo certificate templates and the certificates of learners who already completed a course."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from courses.models import CoursePage, ProgrammePage

from .models import Certificate, CertificateTemplate, Signatory
from .services import (
    certificate_issue_missing,
    certificate_reissue,
    certificates_rerender,
    template_for,
)

# The site address the demo PDFs were last rendered for (their QR code and printed link).
SITE_MARK = "demo/certificados-sitio.txt"

TEMPLATES = [
    {
        "programme": "masculinidades",
        "name": "Masculinidades · constancia",
        "title": "Constancia de participación",
        "body": (
            "La Plataforma de formación otorga la presente constancia a\n{learner_name}\n"
            "por haber concluido satisfactoriamente el curso\n{course}\n"
            "con una duración de {hours} horas, concluido el {completion_date}."
        ),
        "signatories": [
            ("Mariana Ochoa Gutiérrez", "Coordinación del programa"),
            ("Jorge Ramírez Peña", "Facilitación"),
        ],
        "is_default": True,
    },
    {
        "programme": "academia-empresas-derechos-humanos",
        "name": "Academia E+DH · constancia",
        "title": "Constancia de acreditación",
        "body": (
            "La Academia de Empresas y Derechos Humanos hace constar que\n{learner_name}\n"
            "acreditó el módulo\n{course}\n"
            "con una duración de {hours} horas, concluido el {completion_date}."
        ),
        "signatories": [
            ("Ricardo Téllez Zúñiga", "Coordinación de la Academia"),
            ("Ana Sofía Villaseñor", "Facilitación"),
        ],
        "is_default": False,
    },
    {
        # The demo's English course (courses/demo_en.py) has a certificate in English.
        "course": "introduction-business-human-rights",
        "language": "en",
        "name": "Business and Human Rights Academy · certificate (English)",
        "title": "Certificate of completion",
        "body": (
            "The Business and Human Rights Academy certifies that\n{learner_name}\n"
            "completed the course\n{course}\n"
            "of {hours} hours on {completion_date}."
        ),
        "signatories": [
            ("Ricardo Téllez Zúñiga", "Academy coordination"),
            ("Ana Sofía Villaseñor", "Facilitation"),
        ],
        "is_default": False,
    },
]


def seed(*, stdout, size: int = 0) -> None:
    for spec in TEMPLATES:
        programme = ProgrammePage.objects.filter(slug=spec.get("programme", "")).first()
        template = CertificateTemplate.objects.filter(name=spec["name"]).first()
        if template is None:
            template = CertificateTemplate(
                name=spec["name"],
                title=spec["title"],
                body=spec["body"],
                is_default=spec["is_default"],
                language=spec.get("language", "es"),
            )
            template.signatories = [Signatory(name=n, role=r) for n, r in spec["signatories"]]
            if spec.get("course"):
                template.courses = list(CoursePage.objects.filter(slug=spec["course"]))
            elif programme is not None:
                template.courses = list(CoursePage.objects.descendant_of(programme))
            template.save()
            template.save_revision().publish()
    # Courses completed in earlier seed steps issued their certificates before these templates
    # existed: give them the programme's design (once; afterwards every certificate has one).
    for certificate in Certificate.objects.filter(template__isnull=True).select_related("course"):
        if template_for(certificate.course) is not None:
            certificate_reissue(certificate=certificate, use_current_template=True)
    issued = sum(certificate_issue_missing(course=course) for course in CoursePage.objects.all())
    if issued:
        stdout.write(f"Certificados emitidos: {issued} ({Certificate.objects.count()} en total)")
    render_for_this_address(stdout)


def render_for_this_address(stdout) -> None:
    """`PORT=8001 make demo` after a demo on port 8000: the PDFs' QR codes must not point at a
    dead port. Ready certificates rendered for another SITE_URL are rendered again."""
    previous = ""
    if default_storage.exists(SITE_MARK):
        with default_storage.open(SITE_MARK, "rb") as handle:
            previous = handle.read().decode("utf-8").strip()
    if previous == settings.SITE_URL:
        return
    rendered = Certificate.objects.filter(state=Certificate.State.READY).values_list(
        "pk", flat=True
    )
    again = certificates_rerender(certificate_ids=list(rendered)) if previous else 0
    if again:
        stdout.write(f"Certificados renderizados de nuevo para {settings.SITE_URL}: {again}")
    if default_storage.exists(SITE_MARK):
        default_storage.delete(SITE_MARK)
    default_storage.save(SITE_MARK, ContentFile(settings.SITE_URL.encode("utf-8")))
