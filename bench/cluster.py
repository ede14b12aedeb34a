"""The Moodle-"S"-like scenario through a whole deployment on one host, and the figures behind
the README's "Capacity" section.

The deployment is the cluster test's (tests/cluster/harness.py): PostgreSQL primary and streaming
replica, Redis, SeaweedFS (S3), two gunicorn web processes (2 sync workers each), one Celery
worker (2 processes), Varnish in front. It measures:

- the scenario with 100 learners (log in, open the course, a lesson, complete it; think time)
  through Varnish to both web processes: requests, errors, p95;
- wrk through Varnish: an anonymous lesson (served by the cache) and a logged-in lesson (passed
  to the web processes), 8 connections;
- the worker: certificates issued for the 100 learners at once, PDFs per second until all are
  rendered into the bucket.

    .venv/bin/python bench/cluster.py  # prints name: value lines, writes bench/results/cluster.json

Everything runs on this machine's two cores, the databases and Varnish included: the per-core
figures it prints are a floor for machines where the web processes have their cores to themselves.
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load import wrk  # noqa: E402
from scenario import Session, scenario_s  # noqa: E402

from tests.cluster.harness import Cluster  # noqa: E402

PREPARE = """
import json
from courses import services as course_services
from courses.factories import course_tree
from courses.models import LessonPage, ProgrammePage
from lms.models import User

# A course of 2 modules x 5 lessons with no locks, under the first programme, as bench/run.py uses.
course = course_tree(modules=2, lessons=5, programme=ProgrammePage.objects.order_by("path").first(),
                     title="Curso de carga del clúster")
lessons = [
    p.get_url_parts()[2]
    for p in LessonPage.objects.live().descendant_of(course).order_by("path")
]
users = list(User.objects.filter(email__startswith="aprendiz").order_by("email")[:{users}])
for user in users:
    course_services.enrolment_create(user=user, course=course, check_rules=False)
print(json.dumps({{"course": course.pk, "big_course_url": course.get_url_parts()[2],
                  "big_lessons": lessons, "scenario_users": [u.email for u in users]}}))
"""

ISSUE = """
from certificates.models import Certificate
from certificates.services import certificate_issue
from courses.models import CoursePage
from lms.models import User

course = CoursePage.objects.get(pk={course})
for user in User.objects.filter(email__in={emails!r}):
    certificate_issue(user=user, course=course)
print(Certificate.objects.filter(course=course, user__email__in={emails!r}).count())
"""

# Read with psql, not a Django shell: polling must not cost the machine what it measures.
RENDERED = (
    "SELECT count(*), EXTRACT(EPOCH FROM max(rendered_at) - min(created_at)) FROM "
    "certificates_certificate WHERE course_id = {course} AND pdf <> ''"
)


def logged_in_cookie(base: str, email: str) -> str:
    session = Session(base, [], [])
    _status, html = session.request("/cuenta/entrar/")
    session.request(
        "/cuenta/entrar/",
        {"username": email, "password": "demo1234", "csrfmiddlewaretoken": session.token(html)},
    )
    return "; ".join(f"{k}={v}" for k, v in session.cookies.items())


def measure(cluster: Cluster, prepared: dict, args) -> dict:
    results: dict = {}
    scenario = scenario_s(cluster.cache_port, prepared, args.loops, args.think, ramp=args.ramp)
    results.update({k.replace("scenario_s", "cluster_scenario"): v for k, v in scenario.items()})
    results["cluster_scenario_requests_per_second"] = (
        scenario["scenario_s_requests"] / scenario["scenario_s_seconds"]
    )

    work = Path(tempfile.mkdtemp(prefix="lms-cluster-bench-"))
    lesson = prepared["big_lessons"][0]
    anonymous = wrk(work, cluster.cache_port, [("GET", lesson, "", "")], args.seconds)
    results["cluster_anonymous_lesson_rps"] = anonymous["rps"]
    results["cluster_anonymous_lesson_p95_ms"] = anonymous["p95_us"] / 1000
    base = cluster.site_url
    cookies = [logged_in_cookie(base, email) for email in prepared["scenario_users"][:8]]
    lines = [("GET", path, cookie, "") for cookie in cookies for path in prepared["big_lessons"]]
    logged_in = wrk(work, cluster.cache_port, lines, args.seconds)
    results["cluster_logged_in_lesson_rps"] = logged_in["rps"]
    results["cluster_logged_in_lesson_p95_ms"] = logged_in["p95_us"] / 1000
    results["cluster_wrk_errors"] = anonymous["errors"] + logged_in["errors"]

    emails = prepared["scenario_users"]
    cluster.shell(ISSUE.format(course=prepared["course"], emails=emails))
    deadline = time.monotonic() + 600
    done, span = 0, 0.0
    while time.monotonic() < deadline:
        count, seconds = cluster.primary.sql(RENDERED.format(course=int(prepared["course"]))).split(
            "|"
        )
        done, span = int(count), float(seconds or 0)
        if done >= len(emails):
            break
        time.sleep(0.5)
    # From the first certificate's creation to the last PDF in the bucket, as the database saw it.
    results["cluster_certificates_rendered"] = done
    results["cluster_certificates_per_second"] = done / span if span else 0.0
    return results


def capacity(
    results: dict, web_cores: int, worker_processes: int, seconds_between_requests: float
) -> dict:
    """Learners one web core and one worker process carry, and machines for a national programme."""
    per_core_rps = results["cluster_logged_in_lesson_rps"] / web_cores
    learners_per_core = per_core_rps * seconds_between_requests
    per_worker_pdfs = results["cluster_certificates_per_second"] / worker_processes
    at_once, web_cores_per_machine = 5000, 4
    cores = at_once / learners_per_core
    return {
        "capacity_logged_in_rps_per_web_core": per_core_rps,
        "capacity_learners_at_once_per_web_core": learners_per_core,
        "capacity_pdfs_per_second_per_worker_process": per_worker_pdfs,
        "capacity_web_cores_for_5000_at_once": cores,
        "capacity_web_machines_for_5000_at_once": max(1, -(-cores // web_cores_per_machine)),
        "capacity_hours_to_certify_50000_with_one_worker_process": 50000 / per_worker_pdfs / 3600,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--loops", type=int, default=3)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument(
        "--ramp", type=float, default=30.0, help="seconds over which the learners arrive"
    )
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument(
        "--between",
        type=float,
        default=30.0,
        help="seconds between a studying learner's page requests at the busiest hour",
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="lms-cluster-"))
    cluster = Cluster(workdir)
    try:
        cluster.start(size=args.users)
        prepared = json.loads(cluster.shell(PREPARE.format(users=args.users)))
        results = measure(cluster, prepared, args)
        results.update(
            capacity(
                results, web_cores=2, worker_processes=2, seconds_between_requests=args.between
            )
        )
        results["cluster_start_seconds"] = cluster.timings
    finally:
        cluster.stop()
    results["verdict_cluster_scenario_errors"] = (
        "PASS" if results.get("cluster_scenario_errors") == 0 else "MISS"
    )
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "cluster.json").write_text(json.dumps(results, indent=2, default=str))
    for name, value in results.items():
        if name == "cluster_scenario_error_sample" and not value:
            continue
        print(f"{name}: {round(value, 3) if isinstance(value, float) else value}")


if __name__ == "__main__":
    main()
