"""Certificate rendering throughput through a real Celery worker, and its cost next to WeasyPrint's
floor.

    .venv/bin/python bench/certificates.py [--count 40] [--concurrency 2]
    # extra worker options:
    BENCH_WORKER_ARGS="--prefetch-multiplier 4" .venv/bin/python bench/certificates.py

Starts `celery -A lms worker` against Redis DB 1 and a database of its own
(PostgreSQL `lms_certificates_bench` when PostgreSQL answers, else a SQLite file in /tmp),
issues `--count` certificates through the real path (bulk issue -> on_commit -> Redis, 8 renders
to a task -> worker -> PDF -> ready -> e-mail), and prints PDFs per second from the start of the
issue to the last ready row. In the same run it measures two processes rendering back to back
with nothing else (the pure render rate, before and after the worker's run) and times, in this
process, one certificate render against WeasyPrint rendering a one-line page; it prints both
ratios (absolute times drift between runs on shared machines; the ratios are what to compare).
"""

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")
MEDIA_ROOT = "/tmp/lms-bench-certificates-media"


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _database_url() -> str:
    if url := os.environ.get("BENCH_DATABASE_URL"):
        return url
    if _reachable("127.0.0.1", 5432):
        import psycopg

        # A fresh database each run: the seeded pages' slugs would collide with a previous run's.
        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as conn:
            conn.execute("DROP DATABASE IF EXISTS lms_certificates_bench WITH (FORCE)")
            conn.execute("CREATE DATABASE lms_certificates_bench")
        return "postgres://postgres@127.0.0.1:5432/lms_certificates_bench"
    Path("/tmp/lms-bench-certificates.sqlite3").unlink(missing_ok=True)
    return "sqlite:////tmp/lms-bench-certificates.sqlite3"


def _environment(database_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DEBUG": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "MEDIA_ROOT": MEDIA_ROOT,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


def start_worker(env: dict, concurrency: int) -> subprocess.Popen:
    log = open("/tmp/lms-bench-certificates-worker.log", "w")  # noqa: SIM115
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "lms",
            "worker",
            "--pool=prefork",
            "-c",
            str(concurrency),
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "info",
            "--pidfile",
            "/tmp/lms-bench-certificates-worker.pid",
            *os.environ.get("BENCH_WORKER_ARGS", "").split(),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if "ready." in Path("/tmp/lms-bench-certificates-worker.log").read_text(errors="replace"):
            return worker
        if worker.poll() is not None:
            break
        time.sleep(0.2)
    stop_worker(worker)
    sys.exit("worker did not start; see /tmp/lms-bench-certificates-worker.log")


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)


def seed(count: int):
    """A course and `count` learners who completed it, without certificates yet."""
    from django.utils import timezone

    from courses.factories import course_tree
    from courses.models import Enrolment
    from lms.models import User

    stamp = time.strftime("%H%M%S")
    course = course_tree(modules=1, lessons=1, title=f"Curso de medición {stamp}", hours=20)
    users = User.objects.bulk_create(
        [
            User(email=f"bench-{stamp}-{n}@example.org", full_name=f"Persona Kuꞌuyoc Núñez {n}")
            for n in range(count)
        ]
    )
    now = timezone.now()
    Enrolment.objects.bulk_create(
        [Enrolment(user=u, course=course, completed_at=now, progress_percent=100) for u in users]
    )
    return course


def _sample_context():
    from django.utils import timezone

    from certificates.rendering import CertificateContext, Signature

    today = timezone.localdate()
    return CertificateContext(
        learner_name="María Guadalupe Kuꞌuyoc Chaʼblé Núñez",
        course_title="Masculinidades no violentas",
        hours="20",
        completion_date=today,
        issue_date=today,
        code="ABCDE-FGH23",
        verify_url="https://formacion.example.org/v/ABCDE-FGH23",
        body=(
            "Se otorga a\n{learner_name}\npor concluir\n{course}\ncon {hours} horas, el "
            "{completion_date}."
        ),
        signatories=(
            Signature("Mariana Ochoa", "Coordinación"),
            Signature("Jorge Ramírez", "Facilitación"),
        ),
    )


def _render_back_to_back(count: int, queue) -> None:
    from certificates.rendering import render_certificate_pdf

    context = _sample_context()
    render_certificate_pdf(context)  # fonts and stylesheet loaded, as in a warm worker
    queue.put("ready")
    queue.get()  # start together
    started = time.perf_counter()
    for _ in range(count):
        render_certificate_pdf(context)
    queue.put(time.perf_counter() - started)


def pure_render_rate(processes: int, count: int) -> float:
    """PDFs per second of `processes` processes rendering back to back, nothing else running:
    the ceiling a worker with that many processes could reach on this machine."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    queues = [ctx.Queue() for _ in range(processes)]
    children = [ctx.Process(target=_render_back_to_back, args=(count, q)) for q in queues]
    for child in children:
        child.start()
    for q in queues:
        q.get(timeout=120)
    started = time.perf_counter()
    for q in queues:
        q.put("go")
    for q in queues:
        q.get(timeout=600)
    elapsed = time.perf_counter() - started
    for child in children:
        child.join()
    return processes * count / elapsed


def in_process_ratio(repeats: int = 40) -> tuple[float, float]:
    from certificates.rendering import one_line_pdf, render_certificate_pdf

    context = _sample_context()
    render_certificate_pdf(context)
    one_line_pdf()
    certificate, line = [], []
    for _ in range(repeats):  # interleaved so drift hits both alike
        t = time.perf_counter()
        render_certificate_pdf(context)
        certificate.append(time.perf_counter() - t)
        t = time.perf_counter()
        one_line_pdf()
        line.append(time.perf_counter() - t)
    return statistics.median(certificate), statistics.median(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()

    host_port = REDIS_URL.split("//")[1].split("/")[0]
    host, port = host_port.split(":")
    if not _reachable(host, int(port)):
        sys.exit(f"Redis is not reachable at {REDIS_URL}")
    database_url = _database_url()
    env = _environment(database_url)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)

    from certificates.models import Certificate
    from certificates.services import certificate_issue_missing

    course = seed(args.count)
    # The pure rate is measured just before and just after the worker's run, and averaged, so
    # that a machine that speeds up or slows down during the run weighs on both sides alike.
    pure_count = max(20, min(args.count // 8, 100))
    pure_before = pure_render_rate(args.concurrency, pure_count)
    worker = start_worker(env, args.concurrency)
    try:
        started = time.perf_counter()
        issued = certificate_issue_missing(
            course=course
        )  # one render task per certificate, on commit
        pending = Certificate.objects.filter(course=course).exclude(state=Certificate.State.READY)
        deadline = time.monotonic() + 30 + 5 * args.count
        while pending.exists():  # polled lightly: this process shares the machine with the worker
            if time.monotonic() > deadline:
                sys.exit(f"timed out: {pending.count()} certificates not ready")
            if Certificate.objects.filter(course=course, state=Certificate.State.FAILED).exists():
                sys.exit("a certificate failed; see /tmp/lms-bench-certificates-worker.log")
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
    finally:
        stop_worker(worker)

    pure_after = pure_render_rate(args.concurrency, pure_count)
    pure_rate = (pure_before + pure_after) / 2
    certificate_s, line_s = in_process_ratio()
    engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    print(f"database: {engine}; broker: {REDIS_URL}; worker: prefork -c {args.concurrency}")
    print(f"certificates issued and rendered through the worker: {issued} in {elapsed:.2f} s")
    print(f"throughput: {issued / elapsed:.2f} PDFs/s")
    print(
        f"in-process render, median: certificate {certificate_s * 1000:.1f} ms, one-line page "
        f"{line_s * 1000:.1f} ms"
    )
    print(f"ratio certificate / one-line page: {certificate_s / line_s:.2f}x")
    print(
        f"pure render rate, {args.concurrency} processes back to back: {pure_rate:.2f} PDFs/s "
        f"(before the worker {pure_before:.2f}, after {pure_after:.2f})"
    )
    print(f"worker rate / pure render rate: {issued / elapsed / pure_rate:.2f}")


if __name__ == "__main__":
    main()
