"""Persistent connections with CONN_HEALTH_CHECKS, or Django's psycopg pool: which serves faster?

Builds a PostgreSQL database of its own (`--database`, dropped and recreated unless `--reuse`),
seeds the demo, then serves it twice at once with gunicorn as `bench/run.py` does (sync workers,
production settings, Redis cache): once with persistent connections and `CONN_HEALTH_CHECKS`
(the default; `CONN_MAX_AGE=600`), once with `DATABASE_POOL=true`. It measures with wrk, in
interleaved runs (the order of the two modes alternates), `/healthz`, a logged-in learner's
lesson and the learner home, and prints the medians and the ratio pool / health checks per
page. Figures: `bench/README.md`.

    .venv/bin/python bench/pool.py --runs 5 --seconds 5
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from load import wrk  # bench/ is on sys.path: this file runs as a script
from run import BENCH_SETTINGS, free_port, start_gunicorn, stop
from run import environment as run_environment

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
MODES = {"health-checks": {}, "pool": {"DATABASE_POOL": "true"}}
PAGES = ("healthz", "lesson", "home")
LEARNER = "participante@example.org"


def fresh_database(name: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def environment(work: Path, database: str, redis_url: str, extra: dict) -> dict:
    return run_environment(
        f"postgres://postgres@127.0.0.1:5432/{database}",
        8000,
        redis_url,
        work=work,
        RELEASE_ID="bench-pool",
        **extra,
    )


PREPARE = """
import json
import django

django.setup()
from django.conf import settings
from django.test import Client
from django.urls import reverse

from courses.models import Enrolment, LessonPage
from lms.models import User

user = User.objects.get(email=%(learner)r)
client = Client()
client.force_login(user)
cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
courses = Enrolment.objects.filter(user=user, status="active").values_list("course_id", flat=True)
lesson = next(
    page
    for page in LessonPage.objects.live().order_by("path")
    if page.get_parent().get_parent().pk in set(courses)
)
prepared = {"cookie": cookie, "lesson": lesson.url, "home": reverse("learner_home")}
print("PREPARED " + json.dumps(prepared))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="lms_bench_pool", help="PostgreSQL database name")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5", help="cache (flushed)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--reuse", action="store_true", help="reuse the database (no reseeding)")
    args = parser.parse_args()

    work = Path(tempfile.gettempdir()) / f"lms-bench-pool-{args.database}"
    work.mkdir(parents=True, exist_ok=True)
    (work / "lms_bench_settings.py").write_text(BENCH_SETTINGS)
    import redis

    redis.Redis.from_url(args.redis).flushdb()
    base_env = environment(work, args.database, args.redis, {})
    if not args.reuse:
        fresh_database(args.database)
        for step in (
            ("migrate", "--noinput", "-v0"),
            ("collectstatic", "--noinput", "-v0"),
            ("seed_demo", "--quiet"),
        ):
            subprocess.run([PYTHON, "manage.py", *step], cwd=ROOT, env=base_env, check=True)
    done = subprocess.run(
        [PYTHON, "-c", PREPARE % {"learner": LEARNER}],
        cwd=ROOT,
        env=base_env,
        capture_output=True,
        text=True,
        check=True,
    )
    prepared = json.loads(done.stdout.split("PREPARED ", 1)[1])
    cookie = prepared["cookie"]
    lines = {
        "healthz": [("GET", "/healthz", "")],
        "lesson": [("GET", prepared["lesson"], cookie)],
        "home": [("GET", prepared["home"], cookie)],
    }
    servers, ports = {}, {}
    try:
        for mode, extra in MODES.items():
            ports[mode] = free_port()
            env = {**environment(work, args.database, args.redis, extra)}
            servers[mode] = start_gunicorn(
                env, ports[mode], args.workers, work=work, name=f"gunicorn-{mode}"
            )
        for port in ports.values():  # warm both: connections, pools, caches
            wrk(work, port, lines["lesson"] + lines["home"], 2)
        samples: dict = {mode: {page: [] for page in PAGES} for mode in MODES}
        order = list(MODES)
        for run in range(args.runs):
            for mode in order if run % 2 == 0 else reversed(order):
                for page in PAGES:
                    result = wrk(work, ports[mode], lines[page], args.seconds)
                    if result["errors"]:
                        sys.exit(f"{mode} {page}: {result['errors']} errors")
                    samples[mode][page].append((result["rps"], result["p95_us"] / 1000))
            print(f"run {run + 1}/{args.runs} done", flush=True)
    finally:
        for process in servers.values():
            stop(process)

    report = {"runs": args.runs, "seconds": args.seconds, "workers": args.workers}
    for mode in MODES:
        for page in PAGES:
            rates = [rps for rps, _p95 in samples[mode][page]]
            report[f"{mode}_{page}_rps"] = round(statistics.median(rates), 1)
            report[f"{mode}_{page}_p95_ms"] = round(
                statistics.median(p95 for _rps, p95 in samples[mode][page]), 1
            )
    for page in PAGES:
        ratios = [
            pool[0] / health[0]
            for pool, health in zip(
                samples["pool"][page], samples["health-checks"][page], strict=True
            )
        ]
        report[f"pool_vs_health_checks_{page}"] = round(statistics.median(ratios), 3)
    for name, value in report.items():
        print(f"{name}: {value}")
    (work / "latest.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
