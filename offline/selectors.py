"""Reads for offline use, each scoped to one learner (or to learners a caller may already see)."""

from django.core.files import File
from django.urls import reverse
from django.utils.crypto import salted_hmac
from wagtail.models import Page

from assessments import grading
from assessments.models import QuizPage, SurveyPage
from courses.models import CoursePage, LessonPage, ModulePage
from courses.selectors import course_status, enrolment_for
from lms.models import AnyUser, User

from .models import OfflineItem, QuizPaper

# The lesson template around the body (header, navigation, footer), in bytes: the announced
# size of a page is this plus its body. Measured on the demo lessons (about 6-7 KB).
PAGE_FRAME_BYTES = 7_000
# The rendition the lesson template shows (courses/templates/blocks/image_block.html).
IMAGE_SPEC = "width-800|format-webp"
FIELD_PREFIX = "r_"


def account_key(user: AnyUser) -> str:
    """An opaque, stable name for the account whose pages and queue a device keeps ("" when
    anonymous): it names the device's storage without showing who the learner is."""
    if not user.is_authenticated:
        return ""
    return salted_hmac("offline.account", str(user.pk)).hexdigest()[:20]


def _lesson_assets(lesson: LessonPage) -> tuple[int, list[dict], list[dict]]:
    """(estimated body bytes, images as the page shows them, documents) of a lesson."""
    body_bytes = len(lesson.intro) + len(str(lesson.body.raw_data))
    images, documents = [], []
    for block in lesson.body:
        if block.block_type == "image" and block.value.get("image") is not None:
            rendition = block.value["image"].get_rendition(IMAGE_SPEC)
            images.append({"url": rendition.url, "bytes": _file_size(rendition.file)})
        elif block.block_type == "document" and block.value.get("document") is not None:
            document = block.value["document"]
            documents.append(
                {"url": document.url, "bytes": document.file_size or 0, "title": document.title}
            )
    return body_bytes, images, documents


def _file_size(file: File) -> int:
    try:
        return file.size
    except OSError:
        return 0


def course_package(user: User, course: CoursePage, module: ModulePage | None = None) -> dict | None:
    """What a learner's device stores to follow `course` (or one of its modules) offline: the
    pages with their announced sizes, the phone-sized images, the quizzes and surveys that may
    be answered offline (their question papers are fetched separately) and, optional, the
    documents. None when the learner is not enrolled."""
    enrolment = enrolment_for(user, course)
    if enrolment is None:
        return None
    status = course_status(user, course, enrolment=enrolment)
    modules = [m for m in status.modules if module is None or m.node.id == module.pk]
    pages = [{"url": course.get_url() or "", "title": course.title, "bytes": PAGE_FRAME_BYTES}]
    open_ids = []
    for module_status in modules:
        pages.append(
            {
                "url": module_status.node.url,
                "title": module_status.node.title,
                "bytes": PAGE_FRAME_BYTES,
            }
        )
        open_ids += [a.node.id for a in module_status.activities if a.complete or not a.locked]
    specific = {p.pk: p for p in Page.objects.filter(pk__in=open_ids).live().specific()}
    images: dict[str, dict] = {}
    documents: dict[str, dict] = {}
    answerable = []
    for page_id in open_ids:
        page = specific.get(page_id)
        if page is None:
            continue
        size = PAGE_FRAME_BYTES
        if isinstance(page, LessonPage):
            body_bytes, lesson_images, lesson_documents = _lesson_assets(page)
            size += body_bytes
            images.update({i["url"]: i for i in lesson_images})
            documents.update({d["url"]: d for d in lesson_documents})
        elif isinstance(page, QuizPage) and page.available_offline:
            answerable.append(
                {
                    "page": page.pk,
                    "kind": "quiz",
                    "title": page.title,
                    "url": reverse("offline:quiz_package", args=[page.pk]),
                }
            )
        elif isinstance(page, SurveyPage) and page.available_offline:
            answerable.append(
                {
                    "page": page.pk,
                    "kind": "survey",
                    "title": page.title,
                    "url": reverse("offline:survey_package", args=[page.pk]),
                }
            )
        pages.append({"url": page.get_url() or "", "title": page.title, "bytes": size})
    pages.append({"url": reverse("offline:status"), "title": "", "bytes": PAGE_FRAME_BYTES})
    required = sum(p["bytes"] for p in pages) + sum(i["bytes"] for i in images.values())
    return {
        "course": course.pk,
        "title": course.title if module is None else f"{course.title} · {module.title}",
        "url": (module or course).get_url() or "",
        "pages": [p for p in pages if p["url"]],
        "images": list(images.values()),
        "answerable": answerable,
        "documents": list(documents.values()),
        "bytes": required,
        "documents_bytes": sum(d["bytes"] for d in documents.values()),
    }


def _question_items(snapshots: list[dict], orders: dict) -> list[dict]:
    """The questions as the attempt form shows them (assessments/includes/question_input.html):
    what a learner sees before submitting, nothing they are graded on."""
    return [
        {
            "number": number,
            "q": grading.public_question(s, orders.get(s["key"])),
            "name": FIELD_PREFIX + s["key"],
            "saved": "",
            "required": s.get("required", False),
        }
        for number, s in enumerate(snapshots, start=1)
    ]


def paper_items(paper: QuizPaper) -> list[dict]:
    return _question_items(paper.questions, paper.choice_orders)


def survey_paper_items(snapshots: list[dict]) -> list[dict]:
    return _question_items(snapshots, {})


def learner_items(user: User, limit: int = 50) -> list[OfflineItem]:
    """The items a learner's devices sent, newest first."""
    return list(OfflineItem.objects.filter(user=user).select_related("page")[:limit])


def items_for(user_ids: list[int], course: CoursePage, limit: int = 100) -> list[OfflineItem]:
    """Items sent after working offline by these learners in `course` (the caller has already
    decided it may see these learners), newest first, with the time answered and received."""
    if not user_ids:
        return []
    return list(
        OfflineItem.objects.filter(
            user_id__in=user_ids, page__path__startswith=course.path
        ).select_related("user", "page", "attempt")[:limit]
    )
