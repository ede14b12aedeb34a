"""The demo's English course: a translation of "Introducción a empresas y derechos humanos" made
with wagtail-localize, as an editor would (its translation editor, or a PO file upload): each
Spanish segment of the pages gets its English text, then the translation is published. Works
offline (no machine translation) and is idempotent: pages already translated are left alone.
"""

from django.db import transaction
from wagtail.models import Locale, Page, TranslatableMixin
from wagtail_localize.models import Translation, TranslationSource

from .models import CoursePage

COURSE_SLUG = "introduccion-empresas-derechos-humanos"

# Spanish segment -> English, for every page from the home page down to the course's lessons.
ENGLISH = {
    # Home page
    "Plataforma de formación": "Training platform",
    "inicio": "home",
    "Formación en línea para personas servidoras públicas, organizaciones de la sociedad civil y "
    "empresas: <b>masculinidades no violentas y corresponsables</b> y <b>empresas y derechos "
    "humanos</b>. Estudie a su ritmo desde el teléfono; si necesita ayuda, llámenos o "
    "escríbanos.": (
        "Online training for public servants, civil society organisations and companies: "
        "<b>non-violent, co-responsible masculinities</b> and <b>business and human "
        "rights</b>. Study at your own pace on your phone; if you need help, call or write to us."
    ),
    # Programme
    "Academia de Empresas y Derechos Humanos": "Business and Human Rights Academy",
    "academia-empresas-derechos-humanos": "business-human-rights-academy",
    "Módulos de debida diligencia en derechos humanos para representantes de empresas, "
    "sesiones de formación en vivo, talleres entre pares y asesorías individuales.": (
        "Human rights due diligence modules for company representatives, live training "
        "sessions, peer-learning workshops and one-to-one guidance."
    ),
    "Representantes de empresas (más de 80 personas de más de 50 empresas).": (
        "Company representatives (more than 80 people from more than 50 companies)."
    ),
    "A solicitud de la Secretaría de Gobernación, el PNUD apoyó la Línea Base Nacional sobre "
    "Empresas y Derechos Humanos, que alimentó el borrador del Programa Nacional de Empresas y "
    "Derechos Humanos.": (
        "At the request of the Ministry of the Interior, UNDP supported the National Baseline "
        "on Business and Human Rights, which informed the draft National Programme on Business "
        "and Human Rights."
    ),
    "La Academia fortalece las capacidades del sector privado en debida diligencia en derechos "
    "humanos (DDDH): dos sesiones de formación, dos talleres de aprendizaje entre pares en los "
    "que las empresas presentan sus retos, avances y logros, y asesorías para profundizar la "
    "implementación.": (
        "The Academy strengthens the private sector's capacity for human rights due diligence "
        "(HRDD): two training sessions, two peer-learning workshops in which companies present "
        "their challenges, progress and achievements, and guidance sessions to take "
        "implementation further."
    ),
    "800 911 3000": "800 911 3000",
    "Lunes a viernes, 9:00 a 17:00 (hora del centro)": (
        "Monday to Friday, 9:00 to 17:00 (Mexico City time)"
    ),
    # Course
    "Introducción a empresas y derechos humanos": "Introduction to business and human rights",
    "introduccion-empresas-derechos-humanos": "introduction-business-human-rights",
    "Curso abierto y breve: qué significa para una empresa respetar los derechos humanos.": (
        "A short open course: what it means for a company to respect human rights."
    ),
    "Cualquier persona interesada": "Anyone interested",
    # Module and lessons
    "Conceptos básicos": "Basic concepts",
    "modulo-1": "module-1",
    "¿Qué son los derechos humanos en la empresa?": "What are human rights in a company?",
    "leccion-1": "lesson-1",
    "Respetar los derechos humanos significa no causar ni contribuir a impactos negativos y "
    "atender los que ocurran. Aplica a todas las empresas, sin importar su tamaño.": (
        "Respecting human rights means neither causing nor contributing to adverse impacts, and "
        "addressing those that occur. It applies to every company, whatever its size."
    ),
    "Del compromiso a la práctica": "From commitment to practice",
    "leccion-2": "lesson-2",
    "Un compromiso público de política, aprobado al más alto nivel, es el primer paso; la "
    "debida diligencia lo vuelve práctica cotidiana.": (
        "A public policy commitment, approved at the highest level, is the first step; due "
        "diligence turns it into everyday practice."
    ),
}


class MissingDemoTranslation(LookupError):
    """A Spanish segment of the demo course has no English text here: add it to ENGLISH."""


def translate_page(
    page: Page | TranslatableMixin, locale: Locale, english: dict[str, str]
) -> Page | TranslatableMixin:
    """The page's (or translatable snippet's) translation into `locale`, made and published with
    wagtail-localize from `english` (Spanish segment -> text) unless it exists already. A page's
    parent must be translated first (callers go down the tree), and so must the snippets it
    refers to."""
    page = page.specific if isinstance(page, Page) else page
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing
    source, _created = TranslationSource.get_or_create_from_instance(page)
    translation, _created = Translation.objects.get_or_create(source=source, target_locale=locale)
    po = translation.export_po()
    for entry in po:
        if entry.msgid not in english:
            raise MissingDemoTranslation(f"{page}: {entry.msgctxt}: {entry.msgid}")
        entry.msgstr = english[entry.msgid]
    translation.import_po(po)
    # wagtail-localize would publish a page after commit from the instance it created, whose
    # child count predates the children added later in the same transaction: publishing that
    # instance writes the stale count back and the next child collides. Publish now instead.
    # Snippets without drafts are saved as they are.
    translation.save_target(publish=not isinstance(page, Page))
    if isinstance(page, Page):
        page.get_translation(locale).get_latest_revision().publish()
    return page.get_translation(locale)


@transaction.atomic
def seed_english_course(course: CoursePage | None = None) -> CoursePage | None:
    """The English translation of the demo's open B+HR course, with its programme and home page
    (the parents a translated page needs) and every module and lesson under it."""
    course = (
        course or CoursePage.objects.filter(slug=COURSE_SLUG, locale__language_code="es").first()
    )
    if course is None:
        return None
    locale, _created = Locale.objects.get_or_create(language_code="en")
    # Demo databases seeded before translations were published at once have stale child counts
    # in the English tree; treebeard recounts them.
    Page.fix_tree()
    ancestors = [p for p in course.get_ancestors().order_by("path") if not p.is_root()]
    for page in [*ancestors, course, *course.get_descendants().order_by("path")]:
        translate_page(page, locale, ENGLISH)
    return course.get_translation(locale).specific
