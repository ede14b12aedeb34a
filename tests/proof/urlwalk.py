"""Walk the project's URL patterns and fill their parameters with ids of real objects."""

import itertools
import re
from dataclasses import dataclass

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

PROJECT_APPS = ("lms", "courses", "assessments", "workshops", "certificates", "reports")
# Every app of ours with views (the GET walk covers them all).
EVERY_APP = (*PROJECT_APPS, "community", "privacy", "offline")
SKIPPED_PREFIXES = ("admin/", "django-admin/", "documentos/", "media/")
PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    name: str  # namespaced name, e.g. "assessments:attempt"
    route: str
    params: tuple[tuple[str, str], ...]  # (converter, name)
    callback: object


def project_routes(resolver=None, prefix="", namespace="", apps=PROJECT_APPS) -> list[Route]:
    """Every named route outside the admin and media, with its parameters."""
    resolver = resolver or get_resolver()
    routes = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            routes += project_routes(pattern, route, ns, apps)
        elif (
            isinstance(pattern, URLPattern)
            and pattern.name
            and _is_project_view(pattern.callback, apps)
        ):
            params = tuple((m["conv"] or "str", m["name"]) for m in PARAM.finditer(route))
            routes.append(Route(namespace + pattern.name, route, params, pattern.callback))
    return routes


def _is_project_view(callback, apps=PROJECT_APPS) -> bool:
    module = getattr(callback, "__module__", "") or ""
    if hasattr(callback, "view_class"):
        module = callback.view_class.__module__
    return module.split(".")[0] in apps


def _models(labels=PROJECT_APPS):
    return [m for m in apps.get_models() if m._meta.app_label in labels]


def _stem(name: str) -> str:
    return name.removesuffix("_id").replace("_", "")


def int_candidates(param: str, limit: int = 40, labels=PROJECT_APPS) -> list[int]:
    """Primary keys of the objects a parameter most likely names (e.g. attempt_id → Attempt)."""
    from wagtail.models import Page

    stem = _stem(param)
    aliases = {
        "activity": ("page",),
        "programme": ("programmepage",),
        "session": ("workshopsession", "session"),
    }
    wanted = aliases.get(stem, (stem,))
    matches = [m for m in _models(labels) if any(w in m.__name__.lower() for w in wanted)]
    if stem in ("activity", "page") or not matches:
        return list(
            Page.objects.filter(depth__gt=2).order_by("id").values_list("id", flat=True)[:limit]
        )
    ids = []
    for model in matches:
        ids += list(model.objects.order_by("pk").values_list("pk", flat=True)[:limit])
    return ids


def str_candidates(param: str, limit: int = 40, labels=PROJECT_APPS) -> list[str]:
    from lms.models import User

    if param in ("token",):
        return list(User.objects.values_list("calendar_token", flat=True)[:limit])
    values = []
    for model in _models(labels):
        field_names = {f.name for f in model._meta.get_fields() if hasattr(f, "attname")}
        if param in field_names:
            values += [str(v) for v in model.objects.values_list(param, flat=True)[:limit] if v]
            if hasattr(model, "display_code"):
                values += [o.display_code for o in model.objects.all()[:limit]]
    return values or ["x"]


def slug_candidates(param: str) -> list[str]:
    values = {"csv", "xlsx"}
    for module, attrs in (
        ("reports.exports", ("EXPORT_KINDS", "FORMATS")),
        ("reports.overview", ("EXPORT_TABLES",)),
    ):
        try:
            mod = __import__(module, fromlist=["_"])
        except ImportError:
            continue
        for attr in attrs:
            values |= set(getattr(mod, attr, ()))
    return sorted(values)


def fillings(route: Route, limit: int = 60, labels=PROJECT_APPS) -> list[dict]:
    """Parameter dictionaries for a route, from real objects (capped)."""
    choices = []
    for conv, name in route.params:
        if conv == "int":
            choices.append(int_candidates(name, labels=labels))
        elif conv == "slug":
            choices.append(slug_candidates(name))
        else:
            choices.append(str_candidates(name, labels=labels))
    names = [name for _c, name in route.params]
    return [
        dict(zip(names, combo, strict=True))
        for combo in itertools.islice(itertools.product(*choices), limit)
    ]


def urls_of(route: Route, limit: int = 60, labels=PROJECT_APPS) -> list[str]:
    from django.urls import NoReverseMatch, reverse

    urls = []
    for kwargs in fillings(route, limit, labels) if route.params else [{}]:
        try:
            urls.append(reverse(route.name, kwargs=kwargs))
        except NoReverseMatch:
            continue
    return urls


# ---------------------------------------------------------------- the Wagtail admin

ADMIN_VIEW_NAMES = (
    "list",
    "add",
    "edit",
    "delete",
    "copy",
    "usage",
    "history",
    "inspect",
    "choose",
    "choose_results",
    "chosen",
)


def admin_routes(resolver=None, prefix="", namespace="") -> list[Route]:
    """The admin's snippet and viewset URLs of the project's models, and the project's own admin
    views (registered by hooks), with their parameters."""
    resolver = resolver or get_resolver()
    routes = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if not (route.startswith("admin/") or "admin/".startswith(route)):
            continue
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            routes += admin_routes(pattern, route, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = namespace + pattern.name
            params = tuple((m["conv"] or "str", m["name"]) for m in PARAM.finditer(route))
            if (
                _admin_model(name) is not None
                and pattern.name in ADMIN_VIEW_NAMES
                or _is_project_view(pattern.callback)
            ):
                routes.append(Route(name, route, params, pattern.callback))
    return routes


def _admin_model(name: str):
    """The project model of a snippet URL name (wagtailsnippets_<app>_<model>:<view>), or None."""
    namespace = name.split(":")[0]
    for prefix in ("wagtailsnippets_", "wagtailsnippetchoosers_"):
        if namespace.startswith(prefix):
            app_label, _sep, model_name = namespace.removeprefix(prefix).partition("_")
            if app_label in PROJECT_APPS:
                try:
                    return apps.get_model(app_label, model_name)
                except LookupError:
                    return None
    return None


def admin_urls_of(route: Route, limit: int = 60) -> list[str]:
    from django.urls import NoReverseMatch, reverse

    model = _admin_model(route.name)
    if not route.params:
        fillings_ = [{}]
    elif model is not None and [n for _c, n in route.params] == ["pk"]:
        fillings_ = [
            {"pk": str(pk)}
            for pk in model.objects.order_by("pk").values_list("pk", flat=True)[:limit]
        ]
    else:
        fillings_ = fillings(route, limit)
    urls = []
    for kwargs in fillings_:
        try:
            urls.append(reverse(route.name, kwargs=kwargs))
        except NoReverseMatch:
            continue
    return urls
