"""How every app registers its personal data with the privacy app (Wagtail hooks, as the learner
home gathers panels): the privacy app asks the hooks and imports no app above `lms`.

- ``privacy_data_sections``: ``fn(user) -> list[DataSection]``: what the app holds about a
  person, for the data-access ZIP.
- ``privacy_erase_user``: ``fn(user) -> dict[str, int]``: delete or anonymise the person's data
  in that app (records that aggregates and reports count stay, without anything identifying);
  returns counts by kind. Called inside the erasure transaction.
- ``privacy_message_kinds``: ``fn() -> list[tuple[str, str]]``: the non-essential e-mails the app
  sends (kind, label), listed on the preferences page and refusable with one click.
- ``privacy_app_message_kinds``: ``fn() -> dict[str, AppMessageKind]``: non-essential e-mails whose
  choice the app keeps on its own preferences page (the community's replies, mentions, digest).
  They use the same signed links, List-Unsubscribe headers and one-click endpoint as the kinds
  above; unsubscribing calls the kind's ``opt_out(user)`` instead of recording a refusal here.
- ``privacy_audited_views``: ``fn() -> dict[str, AuditedView]``: URL names (``namespace:name``)
  whose successful responses show other people's personal data to staff.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from wagtail import hooks

DATA_SECTIONS = "privacy_data_sections"
ERASE_USER = "privacy_erase_user"
MESSAGE_KINDS = "privacy_message_kinds"
APP_MESSAGE_KINDS = "privacy_app_message_kinds"
AUDITED_VIEWS = "privacy_audited_views"


@dataclass
class DataSection:
    """One table of a person's data: written as `<name>.csv` and as a key of `data.json`."""

    name: str
    rows: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class AppMessageKind:
    """A kind of e-mail whose preference its app keeps: `opt_out(user)` refuses it (idempotent);
    `preferences_url` is where the person changes their mind."""

    label: str
    opt_out: Callable
    preferences_url: str = ""


@dataclass(frozen=True)
class AuditedView:
    """What a staff view shows (`what`, with the URL's kwargs formatted in), which programme it
    belongs to (``programme_of(kwargs) -> page id | None``) and whether it is an export."""

    what: str
    programme_of: Callable[[dict], int | None] | None = None
    count_of: Callable[[dict], int | None] | None = None
    export: bool = False


def programme_of_page(page_id: int | None) -> int | None:
    """The programme (the page at depth 3: root › home › programme) a page belongs to."""
    from wagtail.models import Page

    path = Page.objects.filter(pk=page_id).values_list("path", flat=True).first()
    if not path or len(path) < 3 * Page.steplen:
        return None
    return Page.objects.filter(path=path[: 3 * Page.steplen]).values_list("pk", flat=True).first()


def data_sections(user) -> list[DataSection]:
    return [section for fn in hooks.get_hooks(DATA_SECTIONS) for section in (fn(user) or [])]


def erasers() -> list[Callable]:
    return list(hooks.get_hooks(ERASE_USER))


def message_kinds() -> dict[str, str]:
    return {kind: label for fn in hooks.get_hooks(MESSAGE_KINDS) for kind, label in (fn() or [])}


def app_message_kinds() -> dict[str, AppMessageKind]:
    return {kind: spec for fn in hooks.get_hooks(APP_MESSAGE_KINDS) for kind, spec in fn().items()}


def unsubscribable_kinds() -> set[str]:
    """Every kind an unsubscribe link may name."""
    return set(message_kinds()) | set(app_message_kinds())


def audited_views() -> dict[str, AuditedView]:
    """Asked on every request by the audit middleware: built once per set of registered hooks."""
    return _audited_views(tuple(hooks.get_hooks(AUDITED_VIEWS)))


@functools.lru_cache(maxsize=4)
def _audited_views(fns: tuple) -> dict[str, AuditedView]:
    views: dict[str, AuditedView] = {}
    for fn in fns:
        views.update(fn() or {})
    return views
