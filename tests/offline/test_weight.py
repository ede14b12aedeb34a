"""Light: all JavaScript and the service worker within 40 KB; a saved 10-lesson course with
images under 2 MB; the lesson page stays under 50 KB."""

import io
import random
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.images import ImageFile
from django.test import Client

pytestmark = pytest.mark.django_db

JS_BUDGET = 40 * 1024
COURSE_BUDGET = 2 * 1024 * 1024
PAGE_BUDGET = 50 * 1024
CSRF = re.compile(r'<input[^>]*name="csrfmiddlewaretoken"[^>]*>')


def test_all_javascript_and_the_service_worker_weigh_at_most_40_kb(client):
    root = Path(settings.BASE_DIR)
    scripts = [
        p
        for p in root.glob("*/static/**/*.js")
        if ".venv" not in p.parts and "node_modules" not in p.parts
    ]
    scripts += [p for d in settings.STATICFILES_DIRS for p in Path(d).glob("**/*.js")]
    sizes = {str(p.relative_to(root)): p.stat().st_size for p in set(scripts)}
    sizes["/sw.js"] = len(client.get("/sw.js").content)
    print(sizes)  # noqa: T201
    assert sum(sizes.values()) <= JS_BUDGET, sizes


def photo(seed: int) -> ImageFile:
    """A photo-like picture (gradients, shapes and grain), 1600 x 1067, as a camera would upload."""
    from PIL import Image as Picture
    from PIL import ImageDraw, ImageFilter

    rng = random.Random(seed)
    picture = Picture.linear_gradient("L").resize((1600, 1067)).convert("RGB")
    draw = ImageDraw.Draw(picture)
    for _ in range(40):
        x, y, r = rng.randrange(1600), rng.randrange(1067), rng.randrange(20, 200)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=tuple(rng.randrange(256) for _ in range(3)))
    picture = picture.filter(ImageFilter.GaussianBlur(3))
    grain = Picture.effect_noise((1600, 1067), 64).convert("RGB")
    picture = Picture.blend(picture, grain, 0.3)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=88)
    return ImageFile(buffer, name=f"foto-{seed}.jpg")


def test_a_saved_10_lesson_course_with_images_weighs_under_2_mb(learner):
    from wagtail.images.models import Image

    from courses.factories import course_tree
    from courses.models import LessonPage
    from courses.services import enrolment_create

    course = course_tree(modules=2, lessons=5)
    text = "<p>" + "La corresponsabilidad en los cuidados es una práctica cotidiana. " * 40 + "</p>"
    for number, lesson in enumerate(LessonPage.objects.descendant_of(course).order_by("path")):
        image = Image.objects.create(title=f"Foto {number}", file=photo(number))
        lesson.body = [
            ("text", text),
            ("image", {"image": image, "alt_text": "Una foto", "caption": ""}),
            ("text", text),
        ]
        lesson.save_revision().publish()
    enrolment_create(user=learner, course=course)
    client = Client()
    client.force_login(learner)
    package = client.get(f"/sin-conexion/cursos/{course.pk}/").json()
    assert len(package["images"]) == 10
    stored = {}
    for entry in package["pages"]:
        html = CSRF.sub("", client.get(entry["url"], HTTP_X_OFFLINE_SAVE="1").content.decode())
        stored[entry["url"]] = len(html.encode())
        assert stored[entry["url"]] < PAGE_BUDGET, entry["url"]
        for src in re.findall(r'<img[^>]+src="([^"]+)"', html):
            assert src in {i["url"] for i in package["images"]}, (
                "the page shows the rendition the package lists"
            )
    stored.update({i["url"]: i["bytes"] for i in package["images"]})
    total = sum(stored.values())
    print(
        {
            "pages": len(package["pages"]),
            "announced": package["bytes"],
            "stored": total,  # noqa: T201
            "images": [i["bytes"] for i in package["images"]],
        }
    )
    assert total < COURSE_BUDGET
    assert abs(package["bytes"] - total) < 0.25 * total, (
        "the size announced is close to what is stored"
    )
