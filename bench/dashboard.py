"""Benchmark of the reports: cohort dashboard, exports and programme overview at 10,000 learners.

    .venv/bin/python bench/dashboard.py                       # SQLite scratch DB /tmp/bench.sqlite3
    createdb -h 127.0.0.1 -U postgres lms_reports_bench
    .venv/bin/python bench/dashboard.py --db postgres://postgres@127.0.0.1:5432/lms_reports_bench

Seeds (once; later runs reuse the database) `seed_demo --size N`, then a 40-activity course taken by
the load cohort "Carga · Masculinidades" (N/2 learners) with random progress on every activity,
and measures the pages with Django's test client in-process (no HTTP server, DEBUG off), each
as a ratio to the trivial view `/healthz` measured in the same run: absolute times drift between
runs on a shared machine, ratios much less.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LOAD_COHORT = "Carga · Masculinidades"
TRAINER = "facilitador@example.org"
MANAGER = "coordinacion@example.org"
BENCH_COURSE_SLUG = "curso-de-carga-40-actividades"


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--db", default="sqlite:////tmp/bench.sqlite3", help="DATABASE_URL of a scratch database"
    )
    parser.add_argument("--size", type=int, default=10_000, help="learners to seed (default 10000)")
    parser.add_argument("--modules", type=int, default=8)
    parser.add_argument(
        "--lessons", type=int, default=5, help="lessons per module (8 x 5 = 40 activities)"
    )
    parser.add_argument(
        "--repeat", type=int, default=7, help="timed runs per page (median reported)"
    )
    return parser.parse_args()


def setup_django(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
    os.environ["DEBUG"] = "False"  # no query log, no debug toolbar-like costs
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()


def seed(size: int, modules: int, lessons: int) -> None:
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from courses.models import ActivityProgress, CoursePage, Enrolment, LessonPage
    from courses.services import cohort_course_add
    from lms.models import Cohort, User

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if User.objects.filter(email__startswith="aprendiz").count() < size:
        print(f"seeding demo data with --size {size} (once) ...", flush=True)
        call_command("seed_demo", size=size, quiet=True)
    cohort = Cohort.objects.get(name=LOAD_COHORT)
    trainer = User.objects.get(email=TRAINER)
    cohort.trainers.add(trainer)
    course = CoursePage.objects.filter(slug=BENCH_COURSE_SLUG).first()
    if course is None:
        from courses.factories import LessonPageFactory, ModulePageFactory

        programme = cohort.programme.specific
        course = CoursePage(
            title="Curso de carga: 40 actividades",
            slug=BENCH_COURSE_SLUG,
            summary="Carga",
            enrolment_mode="cohort",
        )
        programme.add_child(instance=course)
        course.save_revision().publish()
        for m in range(modules):
            module = ModulePageFactory(parent=course, title=f"Módulo de carga {m + 1}")
            for _l in range(lessons):
                LessonPageFactory(parent=module)
    cohort_course_add(cohort=cohort, course=course)
    lesson_ids = list(
        LessonPage.objects.descendant_of(course).order_by("path").values_list("id", flat=True)
    )
    if not ActivityProgress.objects.filter(course=course).exists():
        print(
            f"writing progress for {cohort.memberships.count()} learners x {len(lesson_ids)} "
            "activities ...",
            flush=True,
        )
        rng = random.Random(2026)
        now = timezone.now()
        user_ids = list(cohort.memberships.values_list("user_id", flat=True))
        with transaction.atomic():
            batch = []
            for uid in user_ids:
                reached = rng.randint(0, len(lesson_ids))
                for index, lesson_id in enumerate(lesson_ids[:reached]):
                    state = (
                        ActivityProgress.State.COMPLETE
                        if index < reached - 1
                        else ActivityProgress.State.IN_PROGRESS
                    )
                    batch.append(
                        ActivityProgress(
                            user_id=uid,
                            activity_id=lesson_id,
                            course=course,
                            state=state,
                            started_at=now,
                            completed_at=now if state == "complete" else None,
                        )
                    )
                if len(batch) > 20_000:
                    ActivityProgress.objects.bulk_create(
                        batch, batch_size=5000, ignore_conflicts=True
                    )
                    batch = []
            ActivityProgress.objects.bulk_create(batch, batch_size=5000, ignore_conflicts=True)
            for uid in user_ids:
                Enrolment.objects.filter(course=course, user_id=uid).update(
                    last_activity_at=now - timedelta(days=rng.randint(0, 60)),
                    progress_percent=rng.randint(0, 99),
                    completed_at=now - timedelta(days=rng.randint(0, 300))
                    if rng.random() < 0.2
                    else None,
                )
    print(f"data ready in {time.perf_counter() - started:.1f} s", flush=True)
    return cohort, course


def timed(client, url: str, repeat: int, params=None) -> tuple[float, int, int]:
    """Median seconds of `repeat` GETs (after one warm-up), the queries of one, and the bytes."""
    from django.db import connection

    response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.status_code)
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url, params or {})
        size = (
            len(b"".join(response.streaming_content))
            if response.streaming
            else len(response.content)
        )
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url, params or {})
        if response.streaming:
            b"".join(response.streaming_content)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs), len(executed), size


def main() -> None:
    args = parse_args()
    setup_django(args.db)
    from django.test import Client

    from lms.models import User

    cohort, course = seed(args.size, args.modules, args.lessons)
    trainer = Client()
    trainer.force_login(User.objects.get(email=TRAINER))
    manager = Client()
    manager.force_login(User.objects.get(email=MANAGER))
    learners = cohort.memberships.count()
    base = f"/reportes/cohortes/{cohort.pk}/"
    export = f"{base}exportar/"
    pages = [
        ("trivial view /healthz", trainer, "/healthz", None, args.repeat * 10),
        ("dashboard, page 1 (50 learners)", trainer, base, {"curso": course.pk}, args.repeat),
        (
            "dashboard, last page",
            trainer,
            base,
            {"curso": course.pk, "pagina": 10_000},
            args.repeat,
        ),
        (
            "dashboard, filter: stuck 14 days",
            trainer,
            base,
            {"curso": course.pk, "estado": "stuck"},
            args.repeat,
        ),
        (
            "dashboard, filter: organisation + not finished",
            trainer,
            base,
            {
                "curso": course.pk,
                "estado": "unfinished",
                "organizacion": User.objects.filter(cohort_memberships__cohort=cohort)
                .values_list("organisation_id", flat=True)
                .first(),
            },
            args.repeat,
        ),
        (
            f"export progress CSV ({learners} learners)",
            trainer,
            f"{export}progress.csv",
            {"curso": course.pk},
            1,
        ),
        (
            f"export progress XLSX ({learners} learners)",
            trainer,
            f"{export}progress.xlsx",
            {"curso": course.pk},
            1,
        ),
        (
            f"export quiz results XLSX ({learners} learners)",
            trainer,
            f"{export}quizzes.xlsx",
            {"curso": course.pk},
            1,
        ),
        (
            "programme overview (manager)",
            manager,
            f"/reportes/programas/{cohort.programme_id}/",
            None,
            3,
        ),
    ]
    print(
        f"\nDatabase {args.db}; {learners} learners in the cohort, {args.modules * args.lessons} "
        "activities; Django test client in-process, DEBUG off.\n"
    )
    print(f"{'page':52} {'median s':>9} {'x trivial':>10} {'queries':>8} {'KB':>8}")
    trivial = None
    for label, client, url, params, repeat in pages:
        seconds, queries, size = timed(client, url, repeat, params)
        trivial = trivial or seconds
        print(
            f"{label:52} {seconds:9.4f} {seconds / trivial:10.1f} {queries:8d} {size / 1024:8.1f}",
            flush=True,
        )
    print("\n'x trivial' is how many times slower than /healthz; the dashboard target is < 0.5 s.")


if __name__ == "__main__":
    main()
