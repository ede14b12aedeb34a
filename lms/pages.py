"""What every page type of the site adds to Wagtail's `Page` (a mixin, listed before `Page`)."""

from wagtail.models import Page, PageViewRestriction

from lms.caching import content_cached


def paths_needing_a_restriction_check() -> list[str]:
    """Tree paths of the pages that carry a view restriction or are aliases, kept per content
    version (saving any page or restriction sets a new one, courses/handlers.py)."""
    return content_cached(
        "restriction-and-alias-paths",
        lambda: [
            *PageViewRestriction.objects.values_list("page__path", flat=True),
            *Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True),
        ],
    )


class SitePageMixin:
    """Wagtail asks every page it serves for its view restrictions, which costs two queries (the
    ancestors, then their restrictions). A page with no restricted page and no alias on its path
    has none, so the answer comes from the kept list of such paths; any other page asks Wagtail,
    which also resolves aliases to their source."""

    def get_view_restrictions(self):
        if not any(self.path.startswith(path) for path in paths_needing_a_restriction_check()):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
