"""Reads of the library and the directory: filters, search and pagination (public content)."""

from django.core.paginator import Paginator
from django.db.models import Q
from wagtail.models import Page

from .models import LibraryIndexPage, OrganisationProfile, PracticePage, ResourcePage, Theme
from .models.library import STATES
from .text import word_roots

PER_PAGE = 12
MAX_QUERY = 100


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def kind_choices() -> list[tuple[str, str]]:
    return [*PracticePage.Kind.choices, *ResourcePage.Kind.choices]


def search_ids(queryset, query: str) -> list[int]:
    """Page ids matching a query, in two steps through Wagtail's search backend:

    1. the full-text search (on PostgreSQL with the Spanish configuration, so "violentos" also
       finds "violento" and "violentas");
    2. an autocomplete (prefix) search of each query word's root (`word_root`: the unaccented
       Snowball stem less its last two letters) among the page's unaccented words
       (`search_words`). PostgreSQL's Spanish stems of "violencia" and "violentos" differ
       ("violenci", "violent"); their roots are prefixes of both words, so each finds the other,
       with or without accents. SQLite's FTS5 backend answers both steps the same way.
    """
    ids = [page.pk for page in queryset.search(query, operator="or")]
    roots = word_roots(query)
    if roots:
        ids += [page.pk for page in queryset.autocomplete(" ".join(roots), operator="or")]
    return list(dict.fromkeys(ids))


def library_items(index: LibraryIndexPage | None, params) -> tuple[list[Page], dict]:
    """Live practices and resources below the library, filtered by programme, theme, state,
    kind and language and searched; with the filters that were applied."""
    query = " ".join(str(params.get("q", "")).split())[:MAX_QUERY]
    filters = {
        "programme": _int(params.get("programa")),
        "theme": _int(params.get("tema")),
        "state": params.get("estado") if params.get("estado") in dict(STATES) else "",
        "kind": params.get("tipo") if params.get("tipo") in dict(kind_choices()) else "",
        "language": params.get("idioma") if params.get("idioma") in ("es", "en") else "",
    }
    found = []
    for model in (PracticePage, ResourcePage):
        pages = model.objects.live().public()
        if index is not None:
            pages = pages.descendant_of(index)
        if filters["programme"]:
            pages = pages.filter(programme_id=filters["programme"])
        if filters["theme"]:
            pages = pages.filter(theme_id=filters["theme"])
        if filters["state"]:
            pages = pages.filter(state=filters["state"])
        if filters["kind"]:
            pages = (
                pages.filter(kind=filters["kind"])
                if filters["kind"] in model.Kind.values
                else pages.none()
            )
        if filters["language"]:
            pages = pages.filter(language=filters["language"])
        if query:
            pages = pages.filter(pk__in=search_ids(pages, query))
        found += list(pages.select_related("theme", "programme").order_by("title"))
    return found, {**filters, "q": query}


def library_page_context(index: LibraryIndexPage, request) -> dict:
    items, applied = library_items(index, request.GET)
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("pagina"))
    from courses.models import ProgrammePage

    query = request.GET.copy()
    query.pop("pagina", None)
    return {
        "items": page,
        "applied": applied,
        "filter_query": query.urlencode(),
        "programmes": ProgrammePage.objects.live().order_by("title"),
        "themes": Theme.objects.all(),
        "states": STATES,
        "kinds": kind_choices(),
    }


def library_pages_for_linking() -> list[Page]:
    """Practices and resources a thread may point to."""
    pages = list(PracticePage.objects.live().public().only("id", "title")) + list(
        ResourcePage.objects.live().public().only("id", "title")
    )
    return sorted(pages, key=lambda p: p.title)


def directory_profiles(params) -> tuple[list[OrganisationProfile], dict]:
    """Published profiles, filtered by kind of organisation and state, searched by name and words."""
    query = " ".join(str(params.get("q", "")).split())[:MAX_QUERY]
    kind = params.get("tipo", "")
    state = params.get("estado", "") if params.get("estado") in dict(STATES) else ""
    profiles = OrganisationProfile.objects.filter(published=True).select_related("organisation")
    if kind:
        profiles = profiles.filter(organisation__kind=kind)
    if state:
        profiles = profiles.filter(state=state)
    if query:
        profiles = profiles.filter(
            Q(organisation__name__icontains=query)
            | Q(organisation__short_name__icontains=query)
            | Q(what_we_do__icontains=query)
            | Q(where__icontains=query)
        )
    return list(profiles), {"q": query, "kind": kind, "state": state}


def profile_editable_by(user):
    """The profile of the organisation a person belongs to (members publish it), or None."""
    if not user.is_authenticated or user.organisation_id is None:
        return None
    return OrganisationProfile.objects.filter(
        organisation_id=user.organisation_id
    ).first() or OrganisationProfile(organisation_id=user.organisation_id)
