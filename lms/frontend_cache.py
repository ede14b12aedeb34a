"""What the HTTP cache must forget when the page tree changes, beyond Wagtail's own purge of a
published or unpublished page: the pages that list it (its ancestors) and, after a move, every
old address of the page and its descendants. Without a cache configured these are no-ops."""

from django.conf import settings
from wagtail.contrib.frontend_cache.utils import PurgeBatch


def _configured() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def purge_listing_pages(sender, instance, **kwargs) -> None:
    """A page published or unpublished changes the outlines and catalogues of the pages above it."""
    if not _configured():
        return
    batch = PurgeBatch()
    batch.add_pages(instance.get_ancestors().filter(depth__gt=1).specific())
    batch.purge()


def purge_moved_page(sender, instance, url_path_before: str, url_path_after: str, **kwargs) -> None:
    """A moved page and its descendants answer at new addresses, and their parents list them."""
    if not _configured() or url_path_before == url_path_after:
        return
    batch = PurgeBatch()
    pages = [instance, *instance.get_descendants().specific()]
    new_urls = PurgeBatch()
    new_urls.add_pages(pages)
    batch.add_urls(new_urls.urls)
    site = instance.get_site()
    if site is not None:
        # Addresses are url_paths below the site's root page: put the old part back.
        root = site.root_page.url_path
        before, after = url_path_before.removeprefix(root), url_path_after.removeprefix(root)
        batch.add_urls(url.replace("/" + after, "/" + before, 1) for url in new_urls.urls)
    batch.add_pages(
        page.specific
        for page in (kwargs.get("parent_page_before"), kwargs.get("parent_page_after"))
        if page
    )
    batch.purge()
