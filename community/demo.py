"""Demo community: the library (ten documented practices, five funded projects, the research
paper and policy briefs), forums and a cohort space with threads and a reported post, a
discussion activity, and a few directory profiles. Facts from the programme report, in our own
words. Idempotent: a second run changes nothing."""

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, Page

from courses.models import CoursePage, HomePage, ModulePage, ProgrammePage
from hosted_media.demo import demo_media
from lms.models import Cohort, Organisation, User

from . import services
from .models import (
    DiscussionPage,
    LibraryIndexPage,
    OrganisationProfile,
    PracticePage,
    ResourcePage,
    Space,
    Theme,
)


def _p(*paragraphs: str) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


THEMES = [
    "Cuidados y corresponsabilidad",
    "Prevención de la violencia",
    "Comunicación comunitaria",
    "Espiritualidad y cultura",
    "Debida diligencia en derechos humanos",
    "Políticas públicas",
]

# (title, organisation, state, community, theme, summary, approach)
PRACTICES = [
    (
        "Círculos de palabra entre hombres tsotsiles",
        "Hombres por la Igualdad, Chiapas A.C.",
        "CHP",
        "Comunidades tsotsiles de los Altos",
        "Prevención de la violencia",
        "Grupos de reflexión donde los hombres revisan cómo aprendieron a ejercer el control y ensayan otras formas de resolver conflictos sin violencia.",
        "Encuentros semanales guiados por promotores comunitarios, en lengua tsotsil, que combinan el trabajo psicológico personal con acuerdos colectivos.",
    ),
    (
        "Rituales del ciclo agrícola y nuevas masculinidades",
        "Red Comunitaria Maya de Quintana Roo",
        "ROO",
        "Pueblos mayas de la zona centro",
        "Espiritualidad y cultura",
        "Ceremonias vinculadas a la siembra y la cosecha se vuelven momentos para hablar de respeto, cuidado y equidad en la familia.",
        "Autoridades tradicionales y guías espirituales integran mensajes de no violencia a rituales propios, respetando la cosmovisión de la comunidad.",
    ),
    (
        "Padres que cuidan en la Costa Chica",
        "Colectivo Afromexicano de la Costa Chica",
        "GRO",
        "Comunidades afromexicanas de la Costa Chica",
        "Cuidados y corresponsabilidad",
        "Talleres para que padres y jóvenes asuman tareas de cuidado de niñas, niños y personas mayores.",
        "Actividades prácticas de crianza y cuidado, acompañadas de conversaciones sobre los mandatos que alejan a los hombres de los cuidados.",
    ),
    (
        "Juventudes mixtecas contra la violencia en el noviazgo",
        "Colectivo Afromexicano de la Costa Chica",
        "OAX",
        "Mixteca de la Costa",
        "Prevención de la violencia",
        "Jóvenes promotores hablan con sus pares sobre relaciones de pareja sin control ni celos.",
        "Teatro comunitario y juegos de rol en escuelas y canchas, con materiales en mixteco y español.",
    ),
    (
        "Radio comunitaria: voces de hombres que cambian",
        "Red Comunitaria Maya de Quintana Roo",
        "YUC",
        "Comunidades mayas de Yucatán",
        "Comunicación comunitaria",
        "Un programa de radio en maya donde hombres de la comunidad cuentan cómo dejaron atrás comportamientos violentos.",
        "Cápsulas de radio y testimonios grabados en la propia comunidad, transmitidos en horarios de mayor audiencia.",
    ),
    (
        "Médicos tradicionales y salud emocional masculina",
        "Hombres por la Igualdad, Chiapas A.C.",
        "CHP",
        "Región tseltal",
        "Espiritualidad y cultura",
        "La medicina tradicional abre un espacio para que los hombres hablen de emociones, duelo y enojo.",
        "Consultas y limpias acompañadas de escucha; se canalizan casos de violencia a instituciones cuando hace falta.",
    ),
    (
        "Asambleas comunitarias con participación de las mujeres",
        "Red Comunitaria Maya de Quintana Roo",
        "CAM",
        "Comunidades mayas de Campeche",
        "Políticas públicas",
        "Acuerdos comunitarios para que las mujeres participen y decidan en las asambleas.",
        "Diálogo con autoridades agrarias y ejidales para revisar reglas internas que excluían a las mujeres.",
    ),
    (
        "Deporte y masculinidades en barrios del Estado de México",
        "Hombres por la Igualdad, Chiapas A.C.",
        "MEX",
        "Colonias con población indígena migrante",
        "Prevención de la violencia",
        "Ligas de futbol donde cada partido empieza con una conversación sobre respeto y consentimiento.",
        "Entrenadores formados en masculinidades no violentas; reglas de juego limpio que incluyen el trato a las mujeres.",
    ),
    (
        "Arte mural y memoria afromexicana",
        "Colectivo Afromexicano de la Costa Chica",
        "GRO",
        "Cuajinicuilapa",
        "Comunicación comunitaria",
        "Murales pintados por hombres y mujeres jóvenes que cuentan historias de cuidado y de lucha contra la discriminación.",
        "Talleres de arte que terminan en obras públicas; la comunidad decide los temas.",
    ),
    (
        "Escuela de liderazgos comunitarios corresponsables",
        "Red Comunitaria Maya de Quintana Roo",
        "ROO",
        "Felipe Carrillo Puerto",
        "Cuidados y corresponsabilidad",
        "Formación de liderazgos que promueven el reparto equitativo del trabajo doméstico y de cuidados.",
        "Un ciclo de sesiones con tareas para el hogar y acompañamiento entre pares durante seis meses.",
    ),
]

PROJECTS = [
    (
        "Radio y redes para hombres que no ejercen violencia",
        "CHP",
        "Comunicación comunitaria",
        "Radio comunitaria y redes sociales para llevar mensajes sobre comportamientos no violentos y equitativos a hombres y niños.",
    ),
    (
        "Jugar para transformar: juegos sobre género en Guerrero",
        "GRO",
        "Prevención de la violencia",
        "Metodologías interactivas y juegos que invitan a hombres y jóvenes a revisar normas sociales que justifican la violencia.",
    ),
    (
        "Liderazgos comunitarios por la igualdad en Quintana Roo",
        "ROO",
        "Cuidados y corresponsabilidad",
        "Sesiones de formación con liderazgos comunitarios, que después replican lo aprendido en sus comunidades.",
    ),
    (
        "Arte comunitario por masculinidades positivas",
        "MEX",
        "Comunicación comunitaria",
        "Iniciativas artísticas para dialogar con la comunidad sobre masculinidades positivas y corresponsables.",
    ),
    (
        "Hombres y jóvenes en los cuidados a lo largo de la vida",
        "CHP",
        "Cuidados y corresponsabilidad",
        "Integra a hombres y jóvenes en el cuidado de niñas, niños, personas enfermas y mayores, y muestra el valor de esa responsabilidad.",
    ),
]

PROJECT_APPROACH = _p(
    "Es uno de los cinco proyectos de organizaciones de la sociedad civil que el PNUD seleccionó y financió para "
    "poner en marcha nuevas iniciativas con hombres indígenas y afromexicanos.",
    "Los cinco proyectos usaron un enfoque de ciencias del comportamiento que aprovecha la dinámica cultural y los "
    "canales de comunicación de cada lugar. En conjunto llegaron a 2,592 hombres indígenas y afromexicanos en "
    "Chiapas, Guerrero, Quintana Roo y el Estado de México.",
)

# A tiny valid PDF, so the demo's documents download as what they say they are.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/MediaBox[0 0 612 792]/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

RESOURCES = [
    (
        "Hoja de ruta hacia masculinidades positivas, corresponsables y no violentas",
        "paper",
        "masculinidades",
        "es",
        "Políticas públicas",
        "Documento de investigación basado en diez prácticas documentadas y 25 entrevistas a personas expertas; "
        "propone a quienes deciden políticas y a la sociedad civil una ruta de trabajo con hombres indígenas y afromexicanos.",
    ),
    (
        "Recomendaciones de política: empresas y derechos humanos en ocho dependencias federales",
        "brief",
        "academia-empresas-derechos-humanos",
        "es",
        "Debida diligencia en derechos humanos",
        "Notas de política con recomendaciones para que ocho dependencias federales incorporen el enfoque de empresas y "
        "derechos humanos en leyes, políticas y procedimientos.",
    ),
    (
        "Policy brief: business and human rights in the federal judiciary",
        "brief",
        "academia-empresas-derechos-humanos",
        "en",
        "Debida diligencia en derechos humanos",
        "Why human rights due diligence matters to the judicial sector, and how the National Baseline Assessment informs the draft National Action Plan.",
    ),
    (
        "Guía de debida diligencia en derechos humanos para empresas",
        "guide",
        "academia-empresas-derechos-humanos",
        "es",
        "Debida diligencia en derechos humanos",
        "Pasos prácticos para identificar, prevenir y rendir cuentas sobre impactos en derechos humanos, con ejemplos de los talleres entre pares.",
    ),
]

PROFILES = [
    (
        "Hombres por la Igualdad, Chiapas A.C.",
        "CHP",
        "Los Altos de Chiapas",
        "Acompañamos a hombres tsotsiles y tseltales en procesos de reflexión para dejar la violencia y asumir los cuidados.",
        "contacto@hombresigualdad.example.org",
        True,
        "967 000 0000",
        False,
    ),
    (
        "Colectivo Afromexicano de la Costa Chica",
        "GRO",
        "Costa Chica de Guerrero y Oaxaca",
        "Arte, juventudes y cuidados en comunidades afromexicanas.",
        "colectivo@costachica.example.org",
        True,
        "",
        False,
    ),
    (
        "Red Comunitaria Maya de Quintana Roo",
        "ROO",
        "Zona maya de Quintana Roo",
        "Radio comunitaria y liderazgos mayas por la igualdad.",
        "red@mayaqroo.example.org",
        False,
        "983 000 0000",
        True,
    ),
    (
        "Minera del Pacífico S.A. de C.V.",
        "SIN",
        "Sinaloa y Sonora",
        "Participamos en la Academia para aplicar la debida diligencia en nuestras operaciones.",
        "",
        False,
        "",
        False,
    ),
]


def _document(title: str) -> object:
    Document = get_document_model()
    document = Document.objects.filter(title=title).first()
    if document is None:
        # Wagtail's migrations make the root collection; a flushed test database lacks it.
        root = Collection.get_first_root_node() or Collection.add_root(name="Root")
        document = Document(title=title, collection=root)
        document.file.save("documento.pdf", ContentFile(PDF), save=False)
        document.save()
    return document


def seed_library(home: HomePage) -> LibraryIndexPage:
    library = LibraryIndexPage.objects.first()
    if library is None:
        library = LibraryIndexPage(
            title="Biblioteca de prácticas",
            slug="biblioteca",
            intro="<p>Prácticas transformadoras documentadas, proyectos financiados, investigación y notas de política "
            "de la red. Busque por palabra o filtre por programa, tema, estado, tipo e idioma.</p>",
        )
        home.add_child(instance=library)
        library.save_revision().publish()
    themes = {name: Theme.objects.get_or_create(name=name)[0] for name in THEMES}
    programmes = {p.slug: p for p in ProgrammePage.objects.all()}
    masculinities = programmes.get("masculinidades")
    orgs = {o.name: o for o in Organisation.objects.all()}
    existing = set(PracticePage.objects.values_list("title", flat=True)) | set(
        ResourcePage.objects.values_list("title", flat=True)
    )
    for title, org, state, community, theme, summary, approach in PRACTICES:
        if title in existing:
            continue
        _publish(
            library,
            PracticePage(
                title=title,
                kind=PracticePage.Kind.PRACTICE,
                organisation_name=org,
                organisation=orgs.get(org),
                state=state,
                community=community,
                theme=themes[theme],
                programme=masculinities,
                summary=summary,
                approach=_p(approach),
                outcomes=_p(
                    "La práctica fue una de las diez seleccionadas entre 25 propuestas de una convocatoria pública "
                    "conjunta del PNUD, ONU Mujeres y UNFPA, por su trabajo psicológico, colectivo y espiritual."
                ),
                media=demo_media(),
                transcript=_p(
                    "Fragmento de entrevista: «Aprendimos que ser hombre también es cuidar, y que la violencia "
                    "no es una costumbre que debamos guardar»."
                ),
            ),
        )
    for practice in PracticePage.objects.filter(kind=PracticePage.Kind.PRACTICE, media=None):
        # A demo seeded before practices had hosted video gets it once.
        practice.media = demo_media()
        practice.save_revision().publish()
    for title, state, theme, summary in PROJECTS:
        if title in existing:
            continue
        _publish(
            library,
            PracticePage(
                title=title,
                kind=PracticePage.Kind.PROJECT,
                organisation_name="Organización de la sociedad civil financiada por el PNUD",
                state=state,
                theme=themes[theme],
                programme=masculinities,
                summary=summary,
                approach=PROJECT_APPROACH,
            ),
        )
    for title, kind, programme, language, theme, summary in RESOURCES:
        if title in existing:
            continue
        _publish(
            library,
            ResourcePage(
                title=title,
                kind=kind,
                programme=programmes.get(programme),
                language=language,
                theme=themes[theme],
                state="NAT",
                summary=summary,
                document=_document(title),
            ),
        )
    return library


def _publish(parent: Page, page: Page) -> None:
    parent.add_child(instance=page)
    page.save_revision().publish()


def seed_directory() -> None:
    orgs = {o.name: o for o in Organisation.objects.all()}
    for name, state, where, what, email, show_email, phone, show_phone in PROFILES:
        if name in orgs:
            OrganisationProfile.objects.get_or_create(
                organisation=orgs[name],
                defaults={
                    "published": True,
                    "state": state,
                    "where": where,
                    "what_we_do": what,
                    "contact_email": email,
                    "show_email": show_email,
                    "contact_phone": phone,
                    "show_phone": show_phone,
                },
            )


def seed_discussions() -> None:
    users = {u.email: u for u in User.objects.filter(email__endswith="@example.org")}
    programme = ProgrammePage.objects.filter(slug="masculinidades").first()
    if programme is None:
        return
    forum = services.space_ensure(
        kind=Space.Kind.PROGRAMME,
        page=programme,
        title="Foro del programa: masculinidades",
        allow_anonymous=True,
    )
    bhr = ProgrammePage.objects.filter(slug="academia-empresas-derechos-humanos").first()
    if bhr:
        services.space_ensure(kind=Space.Kind.PROGRAMME, page=bhr, title="Foro de la Academia E+DH")
    course = CoursePage.objects.filter(slug="masculinidades-servicio-publico").first()
    if course:
        services.space_ensure(kind=Space.Kind.COURSE, page=course)
    cohort = Cohort.objects.filter(name="Generación 2026 · Administración Pública Federal").first()
    cohort_space = services.space_ensure(kind=Space.Kind.COHORT, cohort=cohort) if cohort else None
    for email in (
        "participante@example.org",
        "maria.lopez@example.org",
        "rocio.santiago@example.org",
        "tomas.kuyoc@example.org",
        "ernesto.garcia@example.org",
    ):
        services.code_accept(user=users[email])
    # The demo learner reads a daily digest (its e-mail carries the one-click unsubscribe).
    services.preferences_update(
        user=users["participante@example.org"], replies=True, mentions=True, digest="daily"
    )
    if not forum.threads.exists():
        first = services.thread_create(
            user=users["maria.lopez@example.org"],
            space=forum,
            title="¿Cómo hablar de cuidados en la oficina?",
            body="En mi área nadie pide permiso para cuidar a sus hijos si es hombre.\n\n¿Qué han hecho en sus dependencias?",
        )
        services.post_create(
            user=users["tomas.kuyoc@example.org"],
            thread=first,
            body="En la red empezamos por contar nuestras propias historias de cuidado. @maria-guadalupe-lopez-cruz, ¿le sirve?",
        )
        reported = services.post_create(
            user=users["ernesto.garcia@example.org"],
            thread=first,
            body="Eso de los cuidados es cosa de mujeres, no perdamos el tiempo.",
        )
        services.post_report(
            user=users["maria.lopez@example.org"],
            post=reported,
            reason="Descalifica el tema y contradice el código de participación.",
        )
        second = services.thread_create(
            user=users["rocio.santiago@example.org"],
            space=forum,
            title="Una experiencia difícil (anónimo)",
            body="Reconocí en el curso conductas que yo misma justificaba en mi familia. Gracias por este espacio.",
            anonymous=True,
        )
        services.post_create(
            user=users["participante@example.org"],
            thread=second,
            body="Gracias por compartirlo. No está sola.",
        )
    if cohort_space is not None and not cohort_space.threads.exists():
        services.thread_create(
            user=users["participante@example.org"],
            space=cohort_space,
            title="Dudas sobre el módulo 2",
            body="¿Alguien tiene a la mano la lectura sobre ciencias del comportamiento?",
        )


def seed_activity() -> None:
    """An optional discussion activity in the masculinities course (optional: the demo's progress stays as it was)."""
    module = ModulePage.objects.filter(title="Corresponsabilidad en los cuidados").first()
    if module is None or DiscussionPage.objects.exists():
        return
    page = DiscussionPage(
        title="Conversatorio: los cuidados en mi vida",
        slug="conversatorio-cuidados",
        required=False,
        prompt="Cuente una situación en la que usted cuidó o fue cuidado por un hombre. ¿Qué hizo posible ese cuidado?",
        threads_required=1,
        replies_required=2,
        allow_anonymous=True,
    )
    _publish(module, page)


def seed(*, stdout, size: int = 0) -> None:
    home = HomePage.objects.first()
    if home is None:
        return
    seed_library(home)
    seed_directory()
    seed_discussions()
    seed_activity()
