"""A load like Moodle's "S" test plan (bench/run.py): users log in, open a course, a lesson and
post its completion, with think time; every request timed, every error kept."""

import random
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

DEMO_PASSWORD = "demo1234"  # noqa: S105 - the demo seed's password


class Session:
    """One simulated learner: its cookies, CSRF tokens from the pages, timings of every request.

    Cookies are kept by hand: production marks them Secure, and the bench speaks plain HTTP.
    """

    TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

    def __init__(self, base: str, timings: list, errors: list):
        self.base, self.timings, self.errors = base, timings, errors
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirect())

    def _remember(self, headers) -> None:
        for header in headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as response:
                status, text = response.status, response.read().decode(errors="replace")
                self._remember(response.headers)
        except urllib.error.HTTPError as error:
            status, text = error.code, ""
            self._remember(error.headers)
        except OSError as error:
            status, text = 0, str(error)
        self.timings.append(time.perf_counter() - started)
        if status == 0 or status >= 400:
            self.errors.append((path, status, text[:200]))
        return status, text

    def token(self, html: str) -> str:
        match = self.TOKEN.search(html)
        return match.group(1) if match else ""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp

    http_error_301 = http_error_303 = http_error_307 = http_error_302


def scenario_s(port: int, prepared: dict, loops: int, think: float, ramp: float = 0.0) -> dict:
    """30 users: log in, then `loops` times open the course, a lesson and complete it; think time.

    With `ramp`, the users arrive evenly over that many seconds instead of all at once."""
    base = f"http://127.0.0.1:{port}"
    timings, errors, already = [], [], []
    lessons = prepared["big_lessons"]
    rng = random.Random(4)  # noqa: S311

    def user_flow(index: int, email: str):
        session = Session(base, timings, errors)
        time.sleep(index * ramp / max(1, len(prepared["scenario_users"])) + rng.uniform(0, think))
        _status, html = session.request("/cuenta/entrar/")
        status, _ = session.request(
            "/cuenta/entrar/",
            {
                "username": email,
                "password": DEMO_PASSWORD,
                "csrfmiddlewaretoken": session.token(html),
            },
        )
        if status != 302:
            errors.append(("login", status, email))
            return
        for loop in range(loops):
            time.sleep(rng.uniform(0.5, 1.5) * think)
            session.request(prepared["big_course_url"])
            time.sleep(rng.uniform(0.5, 1.5) * think)
            lesson = lessons[(index * loops + loop) % len(lessons)]
            _status, html = session.request(lesson)
            time.sleep(rng.uniform(0.5, 1.5) * think)
            match = re.search(r'action="(/aprendizaje/actividades/\d+/completar/)"', html)
            if match:
                session.request(match.group(1), {"csrfmiddlewaretoken": session.token(html)})
            elif _status == 200:
                already.append(lesson)  # completed in an earlier run (--reuse)
            else:
                errors.append((lesson, "no completion form", _status))
        session.request("/mi-aprendizaje/")

    started = time.perf_counter()
    threads = [
        threading.Thread(target=user_flow, args=(i, e))
        for i, e in enumerate(prepared["scenario_users"])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    elapsed = time.perf_counter() - started
    ordered = sorted(timings)
    return {
        "scenario_s_users": len(threads),
        "scenario_s_requests": len(timings),
        "scenario_s_errors": len(errors),
        "scenario_s_lessons_already_complete": len(already),
        "scenario_s_p95_ms": ordered[int(0.95 * (len(ordered) - 1))] * 1000 if ordered else None,
        "scenario_s_seconds": elapsed,
        "scenario_s_error_sample": errors[:5],
    }
