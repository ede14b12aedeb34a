"""Demo privacy notice (both languages), and a few audit entries so the log has something to
show."""

from django.utils import timezone

from lms.models import Cohort, User

from .models import AuditEntry, PrivacyNotice
from .services import audit_record, notice_accept

SHORT_ES = (
    "<p>El Programa de las Naciones Unidas para el Desarrollo en México es responsable de sus "
    "datos personales. Los usamos para inscribirle en cursos, registrar su avance, emitir sus "
    "constancias y elaborar informes agregados. Las respuestas a encuestas anónimas no se "
    "vinculan con su persona. Puede ejercer sus derechos de acceso, rectificación, cancelación "
    "y oposición (ARCO) desde «Mis datos».</p>"
)
SHORT_EN = (
    "<p>The United Nations Development Programme in Mexico is responsible for your personal "
    "data. We use it to enrol you, record your progress, issue your certificates and build "
    "aggregate reports. Anonymous survey answers are never linked to you. You can exercise your "
    "access, rectification, cancellation and opposition (ARCO) rights from “My data”.</p>"
)
FULL_ES = SHORT_ES + (
    "<h2>Datos que tratamos</h2><p>Nombre, correo, organización, cargo, inscripciones, avance, "
    "respuestas a cuestionarios, asistencia y constancias. Datos sensibles sólo en encuestas "
    "señaladas y con su consentimiento expreso.</p><h2>Conservación</h2><p>Los plazos de "
    "conservación se describen en la documentación de la plataforma; las cuentas inactivas se "
    "anonimizan.</p>"
)
FULL_EN = SHORT_EN + (
    "<h2>Data we process</h2><p>Name, e-mail, organisation, position, enrolments, progress, "
    "quiz answers, attendance and certificates. Sensitive data only in marked surveys and with "
    "your express consent.</p><h2>Retention</h2><p>Retention periods are described in the "
    "platform's documentation; inactive accounts are anonymised.</p>"
)


def seed(*, stdout) -> None:
    """The first notice is no change to re-accept; the demo people accepted it when they signed up.
    A few staff views of personal data fill the access log the managers see."""
    for language, title, short, full in (
        ("es", "Aviso de privacidad", SHORT_ES, FULL_ES),
        ("en", "Privacy notice", SHORT_EN, FULL_EN),
    ):
        PrivacyNotice.objects.get_or_create(
            language=language,
            version=1,
            defaults={
                "title": title,
                "short_text": short,
                "full_text": full,
                "material_change": False,
                "published_at": timezone.now(),
            },
        )
    for user in User.objects.filter(notice_acceptances__isnull=True, is_active=True):
        notice_accept(user=user, version=1, language=user.preferred_language or "es")
    if not AuditEntry.objects.exists():
        for cohort in Cohort.objects.prefetch_related("trainers")[:3]:
            for trainer in cohort.trainers.all()[:1]:
                audit_record(
                    actor=trainer,
                    action="view",
                    what=f"Cohort dashboard (cohort {cohort.pk})",
                    path=f"/reportes/cohortes/{cohort.pk}/",
                    subject_count=cohort.memberships.count(),
                    programme_id=cohort.programme_id,
                )
                audit_record(
                    actor=trainer,
                    action="export",
                    what=f"Cohort export progress.csv (cohort {cohort.pk})",
                    path=f"/reportes/cohortes/{cohort.pk}/exportar/progress.csv",
                    subject_count=cohort.memberships.count(),
                    programme_id=cohort.programme_id,
                )
    stdout.write(
        "Privacy: notice v1 (es, en); 'Mis datos' at /privacidad/mis-datos/, "
        "access log at /privacidad/registro-de-accesos/"
    )
