"""Which questions a learner can meet in both a pre-test and its post-test. No database access.

With parallel forms a learner takes form A or B of the pre-test and the other form of the
post-test (`services._form_for`); without, every question of the quiz. An item is any hashable
key (a question id, or a drawn category) with the form it belongs to: "" for both forms.
"""

from collections.abc import Hashable, Iterable

Item = tuple[Hashable, str]


def _seen(items: Iterable[Item], form: str, parallel: bool) -> set[Hashable]:
    if not (parallel and form):
        return {key for key, _form in items}
    return {key for key, item_form in items if item_form in ("", form)}


def _scenarios(pre_parallel: bool, post_parallel: bool) -> list[tuple[str, str]]:
    """(pre-test form, post-test form) pairs a learner can be given."""
    pre_forms = ["A", "B"] if pre_parallel else [""]
    other = {"A": "B", "B": "A", "": "A"}
    return [(form, other[form] if post_parallel else "") for form in pre_forms]


def shared_items(
    pre: Iterable[Item], post: Iterable[Item], *, pre_parallel: bool, post_parallel: bool
) -> set[Hashable]:
    """The keys some learner meets in both tests (empty when the two measure with different
    items)."""
    pre, post = list(pre), list(post)
    shared: set[Hashable] = set()
    for pre_form, post_form in _scenarios(pre_parallel, post_parallel):
        shared |= _seen(pre, pre_form, pre_parallel) & _seen(post, post_form, post_parallel)
    return shared
