"""What the certificates app holds about a person, registered with the privacy app. Erasing a
person keeps their certificates verifiable (code, course, hours, dates) without the name."""

from wagtail import hooks

from privacy.registry import AuditedView, DataSection, programme_of_page

from .models import Certificate, CertificateArchive, Credential


@hooks.register("privacy_data_sections")
def certificate_sections(user) -> list[DataSection]:
    return [
        DataSection(
            "certificates",
            [
                {
                    "code": c.display_code,
                    "name_on_certificate": c.learner_name,
                    "course": c.course_title,
                    "hours": c.hours,
                    "completed_on": c.completed_on,
                    "issued_on": c.issued_on,
                    "state": c.state,
                    "verify_url": c.verify_url,
                }
                for c in Certificate.objects.filter(user=user).order_by("pk")
            ],
        )
    ]


@hooks.register("privacy_erase_user")
def erase_certificate_names(user) -> dict[str, int]:
    certificates = list(Certificate.objects.filter(user=user))
    for certificate in certificates:
        if certificate.pdf:
            certificate.pdf.delete(save=False)
    Certificate.objects.filter(user=user).update(learner_name="", pdf="")
    # A signed credential names its holder and cannot be edited: its document goes; the row (its
    # number in the status list) stays, so the certificate itself still verifies by its code.
    credentials = Credential.objects.filter(certificate__user=user).update(document={}, key_id="")
    return {"certificates_without_name": len(certificates), "credentials_removed": credentials}


@hooks.register("lms_name_changed")
def offer_reissue(request, user) -> str | None:
    from django.urls import reverse

    from .rename_views import certificates_with_another_name

    return reverse("certificates:rename") if certificates_with_another_name(user).exists() else None


def _course_count(kwargs) -> int:
    return Certificate.objects.filter(course_id=kwargs.get("course_id")).count()


def _certificate_programme(kwargs) -> int | None:
    course_id = (
        Certificate.objects.filter(pk=kwargs.get("certificate_id"))
        .values_list("course_id", flat=True)
        .first()
    )
    return programme_of_page(course_id)


def _archive_programme(kwargs) -> int | None:
    return programme_of_page(
        CertificateArchive.objects.filter(pk=kwargs.get("archive_id"))
        .values_list("course_id", flat=True)
        .first()
    )


@hooks.register("privacy_audited_views")
def audited_views():
    return {
        "certificates:manage_course": AuditedView(
            "Certificates of course {course_id}",
            lambda kw: programme_of_page(kw.get("course_id")),
            _course_count,
        ),
        "certificates:manage_download": AuditedView(
            "Certificate PDF {certificate_id}", _certificate_programme, lambda kw: 1, export=True
        ),
        "certificates:archive_download": AuditedView(
            "Certificates ZIP {archive_id}", _archive_programme, None, export=True
        ),
    }
