"""Scoping of the Wagtail admin's snippet views to what the person may administer.

A viewset names a selector (`scope`: user -> queryset); its listing shows that queryset and every
view that opens one object (edit, delete, copy, history, usage, inspect) answers 404 for an
object outside it. The rules themselves live in the apps' selectors.
"""

from django.http import Http404
from wagtail.snippets.views.snippets import (
    CopyView,
    CreateView,
    DeleteView,
    EditView,
    HistoryView,
    InspectView,
    SnippetViewSet,
    UsageView,
)


class ScopedObjectMixin:
    """Refuse (404) an object that the viewset's scope does not hold for the requesting user."""

    scope = None

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if obj is not None and not self.scope(self.request.user).filter(pk=obj.pk).exists():
            raise Http404
        return obj


def scoped_views(scope, **bases) -> dict:
    """View classes for a viewset, each refusing objects outside `scope` (keyword: base class)."""
    defaults = {
        "add_view_class": CreateView,
        "edit_view_class": EditView,
        "delete_view_class": DeleteView,
        "copy_view_class": CopyView,
        "history_view_class": HistoryView,
        "usage_view_class": UsageView,
        "inspect_view_class": InspectView,
    }
    defaults.update(bases)
    views = {}
    for name, base in defaults.items():
        if name == "add_view_class":
            views[name] = base
            continue
        views[name] = type(base.__name__, (ScopedObjectMixin, base), {"scope": staticmethod(scope)})
    return views


class ScopedSnippetViewSet(SnippetViewSet):
    """A snippet viewset whose listing and object views follow `scope` (a selector)."""

    scope = None

    def get_queryset(self, request):
        return type(self).scope(request.user)


def scoped_chooser_viewset(scope):
    """A snippet chooser (the modal a foreign-key field opens) that lists and accepts only
    `scope`."""
    from wagtail.snippets.views.chooser import (
        ChooseResultsView,
        ChooseView,
        SnippetChooserViewSet,
        SnippetChosenView,
    )

    def object_list(view):
        return scope(view.request.user)

    def chosen_object(view, pk):
        return scope(view.request.user).get(pk=pk)

    return type(
        "ScopedSnippetChooserViewSet",
        (SnippetChooserViewSet,),
        {
            "choose_view_class": type(
                "ChooseView", (ChooseView,), {"get_object_list": object_list}
            ),
            "choose_results_view_class": type(
                "ChooseResultsView", (ChooseResultsView,), {"get_object_list": object_list}
            ),
            "chosen_view_class": type(
                "SnippetChosenView", (SnippetChosenView,), {"get_object": chosen_object}
            ),
        },
    )
