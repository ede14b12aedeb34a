"""Demo course tree with real Spanish text drawn from the programme report. Idempotent."""

from wagtail.models import Locale, Page, Site

from hosted_media.demo import demo_media
from lms.models import Cohort, ProgrammeManager, User
from lms.services import cohort_add_member

from .demo_en import seed_english_course
from .models import CoursePage, HomePage, LessonPage, ModulePage, ProgrammePage
from .services import activity_complete, cohort_course_add, enrolment_create, self_enrolment_cohort


def rich(*paragraphs: str) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


MASCULINITIES = {
    "title": "Masculinidades no violentas y corresponsables",
    "slug": "masculinidades",
    "summary": "Curso autogestivo para personas servidoras públicas de la Administración Pública Federal y "
    "para integrantes de organizaciones de la sociedad civil de base comunitaria.",
    "audience": "Personas servidoras públicas de las 27 dependencias del Gobierno Federal e integrantes de "
    "la red de 80 organizaciones de la sociedad civil, con participación de comunidades indígenas y afromexicanas.",
    "body": rich(
        "La violencia contra las mujeres y las niñas y la organización injusta de los cuidados siguen "
        "siendo desafíos urgentes en México. Según la ENDIREH 2021, las mujeres de 15 años o más con "
        "pertenencia indígena o que hablan una lengua indígena enfrentan niveles crecientes de violencia.",
        "Este programa, construido con la evidencia de diez iniciativas comunitarias y 25 entrevistas a "
        "personas expertas, propone transformar las prácticas dañinas de la masculinidad que alimentan la "
        "discriminación y la violencia de género.",
    ),
    "help": (
        "800 911 2000",
        "masculinidades@example.org",
        "Lunes a viernes, 9:00 a 18:00 (hora del centro)",
    ),
    "courses": [
        {
            "title": "Masculinidades no violentas y corresponsables en el servicio público",
            "slug": "masculinidades-servicio-publico",
            "summary": "Reconocer las prácticas de la masculinidad que generan violencia y desigualdad, y "
            "construir formas corresponsables de ejercer el poder, el trabajo y los cuidados.",
            "audience": "Personas servidoras públicas federales",
            "hours": 20,
            "mode": "open",
            "modules": [
                (
                    "Punto de partida: género, poder y violencia",
                    [
                        (
                            "¿Por qué hablar de masculinidades?",
                            rich(
                                "Hablar de masculinidades no es hablar contra los hombres: es reconocer que ciertas "
                                "formas aprendidas de ser hombre —la dominación, el control, la negación de los "
                                "cuidados— son motores de discriminación y de violencia de género.",
                                "En México, la Encuesta Nacional sobre la Dinámica de las Relaciones en los Hogares "
                                "(ENDIREH 2021) muestra que las mujeres indígenas o hablantes de una lengua indígena "
                                "enfrentan niveles crecientes de violencia. Transformar las masculinidades es una "
                                "condición para que las mujeres vivan con dignidad.",
                            ),
                        ),
                        (
                            "Un enfoque interseccional",
                            rich(
                                "El enfoque interseccional mira cómo se cruzan el género, la pertenencia étnica, la "
                                "clase y el territorio. Cambia las relaciones de poder y los sistemas, y promueve la "
                                "agencia y la participación de las personas.",
                                "En las comunidades indígenas y afromexicanas, las iniciativas que funcionan respetan "
                                "las costumbres y tradiciones locales, de modo que los conceptos de género contribuyan "
                                "a la equidad sin imponerse desde fuera.",
                            ),
                        ),
                    ],
                ),
                (
                    "Prácticas que transforman",
                    [
                        (
                            "Aprender de las iniciativas comunitarias",
                            rich(
                                "Una convocatoria pública conjunta del PNUD, ONU Mujeres y UNFPA recibió 25 propuestas "
                                "de organizaciones de la sociedad civil, gobiernos municipales y estatales y academia; "
                                "se seleccionaron diez que trabajan aspectos psicológicos, colectivos y espirituales.",
                                "Los rituales locales, los ciclos de la naturaleza y la cosmovisión de los pueblos "
                                "forman parte de estas prácticas: la espiritualidad es un componente clave para "
                                "erradicar la violencia.",
                            ),
                        ),
                        (
                            "Ciencias del comportamiento y comunicación comunitaria",
                            rich(
                                "Cinco proyectos de la sociedad civil, financiados por el PNUD, llegaron a 2,592 hombres "
                                "indígenas y afromexicanos en Chiapas, Guerrero, Quintana Roo y el Estado de México, con "
                                "un enfoque de ciencias del comportamiento.",
                                "Usaron radio comunitaria y redes sociales, juegos, formación con liderazgos "
                                "comunitarios e iniciativas artísticas para hablar con hombres y niños sobre "
                                "comportamientos no violentos y equitativos.",
                            ),
                        ),
                    ],
                ),
                (
                    "Corresponsabilidad en los cuidados",
                    [
                        (
                            "Los hombres también cuidan",
                            rich(
                                "Una de las prácticas de mayor impacto fue integrar a hombres y jóvenes en las labores "
                                "de cuidado, desafiando las normas tradicionales y mostrando el valor y la "
                                "responsabilidad de los hombres en el cuidado a lo largo de la vida.",
                            ),
                        ),
                        (
                            "Del aprendizaje a la política pública",
                            rich(
                                "Una encuesta a más de 1,000 personas servidoras públicas de las 27 dependencias del "
                                "Gobierno Federal alimenta un informe sobre masculinidades en la Administración "
                                "Pública Federal, con recomendaciones para adaptar las políticas públicas a las "
                                "brechas de género que persisten en el gobierno.",
                            ),
                        ),
                    ],
                ),
            ],
        },
    ],
}

BHR = {
    "title": "Academia de Empresas y Derechos Humanos",
    "slug": "academia-empresas-derechos-humanos",
    "summary": "Módulos de debida diligencia en derechos humanos para representantes de empresas, "
    "sesiones de formación en vivo, talleres entre pares y asesorías individuales.",
    "audience": "Representantes de empresas (más de 80 personas de más de 50 empresas).",
    "body": rich(
        "A solicitud de la Secretaría de Gobernación, el PNUD apoyó la Línea Base Nacional sobre Empresas y "
        "Derechos Humanos, que alimentó el borrador del Programa Nacional de Empresas y Derechos Humanos.",
        "La Academia fortalece las capacidades del sector privado en debida diligencia en derechos humanos "
        "(DDDH): dos sesiones de formación, dos talleres de aprendizaje entre pares en los que las empresas "
        "presentan sus retos, avances y logros, y asesorías para profundizar la implementación.",
    ),
    "help": (
        "800 911 3000",
        "academia.edh@example.org",
        "Lunes a viernes, 9:00 a 17:00 (hora del centro)",
    ),
    "courses": [
        {
            "title": "Debida diligencia en derechos humanos para empresas",
            "slug": "debida-diligencia",
            "summary": "Identificar, prevenir, mitigar y rendir cuentas de los impactos de la empresa en los "
            "derechos humanos, según los Principios Rectores de la ONU.",
            "audience": "Representantes de empresas participantes en la Academia",
            "hours": 16,
            "mode": "cohort",
            "modules": [
                (
                    "Fundamentos de empresas y derechos humanos",
                    [
                        (
                            "Los Principios Rectores: proteger, respetar y remediar",
                            rich(
                                "Los Principios Rectores sobre las Empresas y los Derechos Humanos establecen que los "
                                "Estados deben proteger, las empresas deben respetar y las víctimas deben tener acceso "
                                "a mecanismos de reparación.",
                                "En México, la Línea Base Nacional sobre Empresas y Derechos Humanos, actualizada y "
                                "publicada con apoyo del PNUD, es el punto de partida del Programa Nacional.",
                            ),
                        ),
                        (
                            "El contexto mexicano",
                            rich(
                                "El PNUD elaboró notas de política con recomendaciones para ocho dependencias "
                                "federales y formó a más de 90 personas servidoras públicas en empresas y derechos "
                                "humanos, estableciendo vínculos con el Poder Judicial de la Federación.",
                            ),
                        ),
                    ],
                ),
                (
                    "El ciclo de la debida diligencia",
                    [
                        (
                            "Identificar y evaluar impactos",
                            rich(
                                "La debida diligencia empieza por mapear las operaciones y la cadena de valor para "
                                "identificar los impactos reales y potenciales sobre las personas: trabajadoras, "
                                "comunidades, pueblos indígenas y afromexicanos, personas consumidoras.",
                            ),
                        ),
                        (
                            "Prevenir, mitigar y dar seguimiento",
                            rich(
                                "Con los impactos priorizados por su gravedad, la empresa integra medidas en sus "
                                "procesos, da seguimiento con indicadores y comunica cómo atiende sus impactos.",
                            ),
                        ),
                        (
                            "Mecanismos de queja y reparación",
                            rich(
                                "Un mecanismo operacional de queja es legítimo, accesible, predecible, equitativo, "
                                "transparente y compatible con los derechos; se diseña con las personas que lo usarán.",
                            ),
                        ),
                    ],
                ),
            ],
        },
        {
            "title": "Introducción a empresas y derechos humanos",
            "slug": "introduccion-empresas-derechos-humanos",
            "summary": "Curso abierto y breve: qué significa para una empresa respetar los derechos humanos.",
            "audience": "Cualquier persona interesada",
            "hours": 4,
            "mode": "open",
            "modules": [
                (
                    "Conceptos básicos",
                    [
                        (
                            "¿Qué son los derechos humanos en la empresa?",
                            rich(
                                "Respetar los derechos humanos significa no causar ni contribuir a impactos negativos "
                                "y atender los que ocurran. Aplica a todas las empresas, sin importar su tamaño.",
                            ),
                        ),
                        (
                            "Del compromiso a la práctica",
                            rich(
                                "Un compromiso público de política, aprobado al más alto nivel, es el primer paso; la "
                                "debida diligencia lo vuelve práctica cotidiana.",
                            ),
                        ),
                    ],
                ),
            ],
        },
    ],
}

COHORTS = [
    # (name, programme slug, trainer e-mail, members' e-mails, course slugs)
    (
        "Generación 2026 · Administración Pública Federal",
        "masculinidades",
        "facilitador@example.org",
        ["participante@example.org", "maria.lopez@example.org", "rocio.santiago@example.org"],
        ["masculinidades-servicio-publico"],
    ),
    # The CSO cohort takes the same course with a trainer of its own too: she sees only its learners.
    (
        "Red de OSC Sur-Sureste 2026",
        "masculinidades",
        ["facilitador@example.org", "facilitadora.osc@example.org"],
        ["tomas.kuyoc@example.org", "ernesto.garcia@example.org"],
        ["masculinidades-servicio-publico"],
    ),
    (
        "Academia E+DH · Generación 2026",
        "academia-empresas-derechos-humanos",
        "facilitadora.empresas@example.org",
        [
            "empresa@example.org",
            "luis.mendoza@example.org",
            "carmen.ruiz@example.org",
            "pedro.xolo@example.org",
            "participante@example.org",
        ],
        ["debida-diligencia"],
    ),
]

MANAGERS = [
    ("coordinacion@example.org", "masculinidades"),
    ("coordinacion.empresas@example.org", "academia-empresas-derechos-humanos"),
    ("admin@example.org", "masculinidades"),
    ("admin@example.org", "academia-empresas-derechos-humanos"),
]

# (e-mail, course slug, number of lessons completed in tree order)
PROGRESS = [
    ("maria.lopez@example.org", "masculinidades-servicio-publico", 6),
    ("rocio.santiago@example.org", "masculinidades-servicio-publico", 3),
    ("tomas.kuyoc@example.org", "masculinidades-servicio-publico", 1),
    ("empresa@example.org", "debida-diligencia", 4),
    ("luis.mendoza@example.org", "debida-diligencia", 2),
]


def _child(parent: Page, model, slug: str, **fields):
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def ensure_home() -> HomePage:
    Locale.objects.get_or_create(language_code="en")
    home = HomePage.objects.order_by("path").first()  # the default language's: created first
    if home:
        return home
    root = Page.get_first_root_node()
    home = HomePage(
        title="Plataforma de formación",
        slug="inicio",
        intro=rich(
            "Formación en línea para personas servidoras públicas, organizaciones de la sociedad civil y "
            "empresas: <b>masculinidades no violentas y corresponsables</b> y <b>empresas y derechos "
            "humanos</b>. Estudia a tu ritmo desde el teléfono; si necesitas ayuda, llámanos o escríbenos."
        ),
    )
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    old_root = site.root_page if site else None
    if site:
        site.root_page = home
        site.site_name = "Plataforma de formación"
        site.save()
    else:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Plataforma de formación",
        )
    if (
        old_root
        and old_root.pk != home.pk
        and old_root.depth == 2
        and not old_root.get_children().exists()
    ):
        old_root.delete()
    return home


def seed_programme(home: HomePage, spec: dict) -> ProgrammePage:
    phone, email, hours = spec["help"]
    programme = _child(
        home,
        ProgrammePage,
        spec["slug"],
        title=spec["title"],
        summary=spec["summary"],
        audience=spec["audience"],
        body=spec["body"],
        help_phone=phone,
        help_email=email,
        help_hours=hours,
    )
    for course_spec in spec["courses"]:
        course = _child(
            programme,
            CoursePage,
            course_spec["slug"],
            title=course_spec["title"],
            summary=course_spec["summary"],
            audience=course_spec["audience"],
            hours=course_spec["hours"],
            enrolment_mode=course_spec["mode"],
        )
        for m_index, (module_title, lessons) in enumerate(course_spec["modules"], start=1):
            module = _child(
                course,
                ModulePage,
                f"modulo-{m_index}",
                title=module_title,
                requires_previous=m_index > 1 and course_spec["mode"] == "cohort",
            )
            for l_index, (lesson_title, body) in enumerate(lessons, start=1):
                _child(
                    module,
                    LessonPage,
                    f"leccion-{l_index}",
                    title=lesson_title,
                    estimated_minutes=15,
                    body=[("text", body)],
                )
    return programme


def seed_lesson_media() -> None:
    """The first lesson shows a hosted video: captions, light and audio-only versions, sizes."""
    lesson = LessonPage.objects.filter(slug="leccion-1").order_by("path").first()
    if lesson is None or any(block.block_type == "media" for block in lesson.body):
        return
    lesson.body.append(
        ("media", {"media": demo_media(), "title": "Video: cuidar también es cosa de hombres"})
    )
    lesson.save_revision().publish()


def seed(*, stdout, size: int = 0) -> None:
    home = ensure_home()
    programmes = {spec["slug"]: seed_programme(home, spec) for spec in (MASCULINITIES, BHR)}
    seed_lesson_media()
    english = seed_english_course()
    if english is not None:
        stdout.write(f"Curso en inglés: {english.title} ({english.url})")
    users = {u.email: u for u in User.objects.all()}
    for email, slug in MANAGERS:
        ProgrammeManager.objects.get_or_create(user=users[email], programme=programmes[slug])
    courses = {c.slug: c for c in CoursePage.objects.all()}
    for (
        course
    ) in courses.values():  # who owns self-enrolled learners: the manager, until trainers are named
        if course.enrolment_mode == CoursePage.EnrolmentMode.OPEN:
            self_enrolment_cohort(course=course)
    for name, programme_slug, trainer, members, course_slugs in COHORTS:
        cohort, _ = Cohort.objects.get_or_create(
            name=name, defaults={"programme": programmes[programme_slug]}
        )
        cohort.trainers.add(
            *[users[t] for t in ([trainer] if isinstance(trainer, str) else trainer)]
        )
        for email in members:
            cohort_add_member(cohort=cohort, user=users[email])
        for slug in course_slugs:
            cohort_course_add(cohort=cohort, course=courses[slug])
    for email, slug, count in PROGRESS:
        user, course = users[email], courses[slug]
        enrolment_create(user=user, course=course, check_rules=False)
        lessons = LessonPage.objects.descendant_of(course).live().order_by("path")[:count]
        for lesson in lessons:
            activity_complete(user=user, activity=lesson, check_locks=False)
    if size:
        _seed_load(courses, size)


def _seed_load(courses: dict, size: int) -> None:
    """Put the extra load-test learners into one big cohort per programme."""
    extra = list(User.objects.filter(email__startswith="aprendiz").order_by("email")[:size])
    cohort_specs = [
        ("Carga · Masculinidades", "masculinidades-servicio-publico"),
        ("Carga · Academia E+DH", "debida-diligencia"),
    ]
    for index, (name, slug) in enumerate(cohort_specs):
        course = courses[slug]
        cohort, _ = Cohort.objects.get_or_create(
            name=name, defaults={"programme": course.get_programme()}
        )
        members = extra[index::2]
        from lms.models import CohortMembership

        CohortMembership.objects.bulk_create(
            [CohortMembership(cohort=cohort, user=u) for u in members],
            ignore_conflicts=True,
            batch_size=1000,
        )
        cohort_course_add(cohort=cohort, course=course)
