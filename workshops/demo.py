"""Demo workshops: HRDD live trainings, peer-learning workshops, guidance slots. Idempotent."""

import contextlib
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.test.utils import override_settings
from django.utils import timezone

from courses.models import CoursePage, ModulePage
from lms.models import User

from .exceptions import WorkshopError
from .models import Registration, SessionMaterial, WorkshopPage, WorkshopSession
from .services import attendance_record, material_add, registration_create, session_cancel
from .uploads import MaterialRejected

MX = ZoneInfo("America/Mexico_City")


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=MX)


def _session(days, hour, hours=2, **fields) -> dict:
    start = _at(days, hour)
    return {"start": start, "end": start + timedelta(hours=hours), **fields}


def _workshops() -> dict:
    """slug -> (course slug, module slug, page fields, sessions) with dates relative to today."""
    return {
        "formacion-en-vivo-1": (
            "debida-diligencia",
            "formacion-en-vivo",
            {
                "title": "Formación en vivo 1: identificar y evaluar impactos en derechos humanos",
                "kind": WorkshopPage.Kind.LIVE_TRAINING,
                "intro": (
                    "Sesión en vivo sobre cómo mapear operaciones y cadena de valor para "
                    "identificar impactos reales y potenciales, con ejercicios a partir de "
                    "casos de empresas mexicanas."
                ),
                "estimated_minutes": 180,
            },
            [
                _session(
                    -14,
                    10,
                    3,
                    label="Grupo A",
                    place="Secretaría de Gobernación, sala 3",
                    address="Abraham González 48, Col. Juárez, Ciudad de México",
                    capacity=20,
                    facilitators="Ana Sofía Villaseñor",
                ),
                _session(
                    7,
                    10,
                    3,
                    label="Grupo B",
                    online_url="https://reuniones.example.org/edh-formacion-1",
                    capacity=25,
                    facilitators="Ana Sofía Villaseñor, Ricardo Téllez Zúñiga",
                ),
            ],
        ),
        "formacion-en-vivo-2": (
            "debida-diligencia",
            "formacion-en-vivo",
            {
                "title": "Formación en vivo 2: prevenir, mitigar y reparar",
                "kind": WorkshopPage.Kind.LIVE_TRAINING,
                "intro": (
                    "Cómo integrar medidas de prevención y mitigación en los procesos de la "
                    "empresa y diseñar mecanismos operacionales de queja con las personas que "
                    "los usarán."
                ),
                "estimated_minutes": 180,
            },
            [
                _session(
                    21,
                    10,
                    3,
                    online_url="https://reuniones.example.org/edh-formacion-2",
                    capacity=25,
                    facilitators="Ana Sofía Villaseñor",
                ),
                # Cancelled by its trainer in seed(): the page, the feed and the .ics show it so.
                _session(
                    28,
                    16,
                    2,
                    label="Repaso",
                    online_url="https://reuniones.example.org/edh-repaso",
                    capacity=25,
                    facilitators="Ricardo Téllez Zúñiga",
                ),
            ],
        ),
        "taller-pares-retos": (
            "debida-diligencia",
            "formacion-en-vivo",
            {
                "title": "Taller entre pares: retos de la debida diligencia",
                "kind": WorkshopPage.Kind.PEER_LEARNING,
                "intro": (
                    "Cada empresa presenta en diez minutos un reto de su proceso de debida "
                    "diligencia; el grupo propone caminos. Suba su presentación (PDF, PPTX u "
                    "ODP) antes de la sesión."
                ),
                "estimated_minutes": 150,
            },
            [
                _session(
                    10,
                    16,
                    2,
                    place="Casa de la Cultura de Oaxaca, salón principal",
                    address="Av. Juárez 705, Centro, Oaxaca de Juárez",
                    capacity=12,
                    facilitators="Ana Sofía Villaseñor",
                ),
            ],
        ),
        "taller-pares-avances": (
            "debida-diligencia",
            "formacion-en-vivo",
            {
                "title": "Taller entre pares: avances y logros",
                "kind": WorkshopPage.Kind.PEER_LEARNING,
                "intro": (
                    "Las empresas comparten avances y logros: políticas aprobadas, evaluaciones "
                    "de impacto, mecanismos de queja en marcha."
                ),
                "estimated_minutes": 150,
            },
            [
                _session(
                    28,
                    16,
                    2,
                    online_url="https://reuniones.example.org/edh-pares-avances",
                    capacity=2,
                    facilitators="Ana Sofía Villaseñor",
                ),
            ],
        ),
        "asesorias": (
            "debida-diligencia",
            "formacion-en-vivo",
            {
                "title": "Asesorías individuales para empresas",
                "kind": WorkshopPage.Kind.GUIDANCE,
                "intro": "Una hora con el equipo de la Academia para profundizar la implementación "
                "en su empresa. "
                "Cada horario es para una empresa; sus representantes lo reservan.",
                "estimated_minutes": 60,
                "required": False,
            },
            [
                _session(
                    days,
                    hour,
                    1,
                    online_url=f"https://reuniones.example.org/edh-asesoria-{i}",
                    capacity=3,
                    facilitators="Ricardo Téllez Zúñiga",
                )
                for i, (days, hour) in enumerate([(12, 10), (12, 12), (13, 10), (13, 12)], start=1)
            ],
        ),
        "sesion-en-vivo-cuidados": (
            "masculinidades-servicio-publico",
            "sesiones-en-vivo",
            {
                "title": "Sesión en vivo: corresponsabilidad en los cuidados",
                "kind": WorkshopPage.Kind.LIVE_TRAINING,
                "intro": (
                    "Conversación facilitada sobre la participación de los hombres en los "
                    "cuidados, a partir de las prácticas comunitarias del curso."
                ),
                "estimated_minutes": 120,
                "required": False,
            },
            [
                _session(
                    5,
                    11,
                    2,
                    online_url="https://reuniones.example.org/masculinidades-cuidados",
                    capacity=40,
                    facilitators="Jorge Ramírez Peña",
                ),
            ],
        ),
    }


MODULES = {
    "formacion-en-vivo": (
        "Formación en vivo y aprendizaje entre pares",
        "Sesiones de formación, talleres entre pares y asesorías individuales.",
    ),
    "sesiones-en-vivo": (
        "Sesiones en vivo",
        "Encuentros facilitados para conversar sobre lo aprendido.",
    ),
}

# (workshop slug, session index, e-mail)
REGISTRATIONS = [
    ("formacion-en-vivo-1", 1, "empresa@example.org"),
    ("formacion-en-vivo-1", 1, "participante@example.org"),
    ("formacion-en-vivo-2", 0, "empresa@example.org"),
    ("formacion-en-vivo-2", 0, "luis.mendoza@example.org"),
    ("formacion-en-vivo-2", 0, "carmen.ruiz@example.org"),
    ("taller-pares-retos", 0, "empresa@example.org"),
    ("taller-pares-retos", 0, "luis.mendoza@example.org"),
    ("taller-pares-retos", 0, "pedro.xolo@example.org"),
    ("taller-pares-avances", 0, "empresa@example.org"),
    ("taller-pares-avances", 0, "luis.mendoza@example.org"),
    ("taller-pares-avances", 0, "carmen.ruiz@example.org"),  # full: waitlisted
    ("asesorias", 0, "empresa@example.org"),
    ("asesorias", 1, "luis.mendoza@example.org"),
    ("sesion-en-vivo-cuidados", 0, "maria.lopez@example.org"),
    ("sesion-en-vivo-cuidados", 0, "tomas.kuyoc@example.org"),
]
# The past session of the first training, with attendance marked by its trainer.
PAST = (
    "formacion-en-vivo-1",
    0,
    "facilitadora.empresas@example.org",
    {
        "luis.mendoza@example.org": Registration.Attendance.ATTENDED,
        "carmen.ruiz@example.org": Registration.Attendance.ABSENT,
        "pedro.xolo@example.org": Registration.Attendance.EXCUSED,
    },
)


def _module(course: CoursePage, slug: str) -> ModulePage:
    existing = ModulePage.objects.child_of(course).filter(slug=slug).first()
    if existing:
        return existing
    title, summary = MODULES[slug]
    module = ModulePage(title=title, slug=slug, summary=summary)
    course.add_child(instance=module)
    module.save_revision().publish()
    return module


def _workshop(module: ModulePage, slug: str, fields: dict, sessions: list[dict]) -> WorkshopPage:
    existing = WorkshopPage.objects.child_of(module).filter(slug=slug).first()
    if existing:
        return existing
    page = WorkshopPage(slug=slug, **fields)
    page.sessions = [WorkshopSession(**s) for s in sessions]
    module.add_child(instance=page)
    page.save_revision().publish()
    return page


def seed(*, stdout, size: int = 0) -> None:
    courses = {
        c.slug: c
        for c in CoursePage.objects.filter(
            slug__in=["debida-diligencia", "masculinidades-servicio-publico"]
        )
    }
    if len(courses) < 2:
        stdout.write("workshops: demo courses missing, skipped")
        return
    pages = {}
    for slug, (course_slug, module_slug, fields, sessions) in _workshops().items():
        pages[slug] = _workshop(_module(courses[course_slug], module_slug), slug, fields, sessions)
    users = {u.email: u for u in User.objects.filter(email__endswith="@example.org")}
    sessions = {slug: list(page.sessions.order_by("start")) for slug, page in pages.items()}
    # The demo tells its story on the pages; the e-mails it would send go nowhere.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        slug, index, trainer_email, marks = PAST
        past = sessions[slug][index]
        for email in marks:
            _register(users[email], past, now=past.start - timedelta(days=3))
        by_user = {
            r.user.email: r.pk
            for r in Registration.objects.filter(session=past).select_related("user")
        }
        attendance_record(
            session=past,
            marks={by_user[e]: state for e, state in marks.items() if e in by_user},
            marked_by=users[trainer_email],
            now=past.end,
        )
        for slug, index, email in REGISTRATIONS:
            _register(users[email], sessions[slug][index])
        _share_presentation(users["empresa@example.org"], sessions["taller-pares-retos"][0])
        _cancel_review_session(users, sessions["formacion-en-vivo-2"])
    stdout.write(f"workshops: {len(pages)} workshops, {Registration.objects.count()} registrations")


def _cancel_review_session(users: dict, sessions: list) -> None:
    """A trainer's cancellation with its reason (session_cancel is idempotent)."""
    if len(sessions) < 2 or "facilitadora.empresas@example.org" not in users:
        return
    _register(users["participante@example.org"], sessions[1])
    with contextlib.suppress(WorkshopError):
        session_cancel(
            user=users["facilitadora.empresas@example.org"],
            session=sessions[1],
            reason=(
                "El facilitador no podrá asistir; el repaso se integrará a la sesión del día 21."
            ),
        )


def _share_presentation(user, session) -> None:
    if SessionMaterial.objects.filter(session=session, uploaded_by=user).exists():
        return
    from django.core.files.base import ContentFile
    from weasyprint import HTML

    pdf = HTML(
        string=(
            "<h1>Minera del Pacífico: nuestros retos</h1>"
            "<ul><li>Mapear la cadena de suministro de insumos.</li>"
            "<li>Diálogo con comunidades indígenas vecinas.</li>"
            "<li>Un mecanismo de queja accesible en lenguas originarias.</li></ul>"
        )
    ).write_pdf()
    with contextlib.suppress(WorkshopError, MaterialRejected):
        material_add(
            user=user,
            session=session,
            title="Retos de Minera del Pacífico",
            upload=ContentFile(pdf, name="retos.pdf"),
        )


def _register(user, session, now=None) -> None:
    # A second run after the session passed has nothing to add.
    with contextlib.suppress(WorkshopError):
        registration_create(user=user, session=session, now=now)
