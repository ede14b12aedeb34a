"""Completion rules (courses.progress): pure, table-driven."""

import pytest

from courses.progress import (
    COMPLETE,
    IN_PROGRESS,
    NOT_STARTED,
    ActivityNode,
    CourseStructure,
    ModuleNode,
    evaluate,
)


def act(id_, required=True, gate=False):
    return ActivityNode(
        id=id_,
        title=f"A{id_}",
        url=f"/a{id_}/",
        kind="lessonpage",
        kind_label="Lesson",
        required=required,
        is_gate=gate,
    )


def course(*modules):
    """modules: (requires_previous, [activities])"""
    return CourseStructure(
        course_id=1,
        modules=tuple(
            ModuleNode(id=100 + i, title=f"M{i}", requires_previous=req, activities=tuple(acts))
            for i, (req, acts) in enumerate(modules)
        ),
    )


TWO_BY_TWO = course((False, [act(1), act(2)]), (False, [act(3), act(4)]))
WITH_OPTIONAL = course((False, [act(1), act(2, required=False)]), (False, [act(3)]))
SEQUENCED = course((False, [act(1), act(2)]), (True, [act(3), act(4)]))
GATED = course((False, [act(1, gate=True), act(2)]), (False, [act(3)]))
GATE_IN_LOCKED_MODULE = course((False, [act(1)]), (True, [act(2, gate=True), act(3)]))
ONLY_OPTIONAL = course((False, [act(1, required=False)]))
EMPTY = course()
EMPTY_MODULE = course((False, []), (False, [act(1)]))


@pytest.mark.parametrize(
    ("structure", "states", "complete", "percent", "next_id"),
    [
        (TWO_BY_TWO, {}, False, 0, 1),
        (TWO_BY_TWO, {1: COMPLETE}, False, 25, 2),
        (TWO_BY_TWO, {1: COMPLETE, 2: IN_PROGRESS}, False, 25, 2),
        (TWO_BY_TWO, {1: COMPLETE, 2: COMPLETE, 3: COMPLETE}, False, 75, 4),
        (TWO_BY_TWO, {1: COMPLETE, 2: COMPLETE, 3: COMPLETE, 4: COMPLETE}, True, 100, None),
        (TWO_BY_TWO, {4: COMPLETE, 3: COMPLETE}, False, 50, 1),
        (WITH_OPTIONAL, {1: COMPLETE, 3: COMPLETE}, True, 100, 2),
        (WITH_OPTIONAL, {2: COMPLETE, 3: COMPLETE}, False, 50, 1),
        (SEQUENCED, {1: COMPLETE}, False, 25, 2),
        (SEQUENCED, {1: COMPLETE, 2: COMPLETE}, False, 50, 3),
        (GATED, {}, False, 0, 1),
        (GATED, {1: COMPLETE}, False, 33, 2),
        (ONLY_OPTIONAL, {1: COMPLETE}, False, 0, None),
        (EMPTY, {}, False, 0, None),
        (EMPTY_MODULE, {1: COMPLETE}, True, 100, None),
        (TWO_BY_TWO, {99: COMPLETE}, False, 0, 1),
    ],
)
def test_course_completion_percent_and_next_activity(structure, states, complete, percent, next_id):
    """A module is complete when its required activities are; a course when every module is."""
    status = evaluate(structure, states)
    assert status.complete is complete
    assert status.percent == percent
    assert (status.next_activity.id if status.next_activity else None) == next_id


@pytest.mark.parametrize(
    ("structure", "states", "locked_ids"),
    [
        (TWO_BY_TWO, {}, set()),
        (SEQUENCED, {}, {3, 4}),
        (SEQUENCED, {1: COMPLETE}, {3, 4}),
        (SEQUENCED, {1: COMPLETE, 2: COMPLETE}, set()),
        # a completed activity is never shown as locked
        (SEQUENCED, {3: COMPLETE}, {4}),
        (GATED, {}, {2, 3}),
        (GATED, {1: IN_PROGRESS}, {2, 3}),
        (GATED, {1: COMPLETE}, set()),
        (GATED, {2: COMPLETE}, {3}),
        # the gate opens even inside a module that waits for the previous one
        (GATE_IN_LOCKED_MODULE, {}, {1, 3}),
        (GATE_IN_LOCKED_MODULE, {2: COMPLETE}, {3}),
        (GATE_IN_LOCKED_MODULE, {1: COMPLETE, 2: COMPLETE}, set()),
    ],
)
def test_locks(structure, states, locked_ids):
    status = evaluate(structure, states)
    locked = {a.node.id for m in status.modules for a in m.activities if a.locked}
    assert locked == locked_ids
    for module in status.modules:
        for activity in module.activities:
            assert bool(activity.lock_reason) == activity.locked


@pytest.mark.parametrize(
    ("structure", "states", "expected"),
    [
        (TWO_BY_TWO, {}, NOT_STARTED),
        (TWO_BY_TWO, {1: IN_PROGRESS}, IN_PROGRESS),
        (TWO_BY_TWO, {1: COMPLETE}, COMPLETE),
    ],
)
def test_activity_state_is_reported_as_recorded(structure, states, expected):
    assert evaluate(structure, states).activity(1).state == expected


def test_unknown_activity_has_no_status():
    assert evaluate(TWO_BY_TWO, {}).activity(999) is None


def test_lock_reasons_name_what_to_do_first():
    sequenced = evaluate(SEQUENCED, {}).activity(3)
    assert "M0" in str(sequenced.lock_reason)
    gated = evaluate(GATED, {}).activity(2)
    assert "A1" in str(gated.lock_reason)


def test_module_status_counts_required_activities_only():
    status = evaluate(WITH_OPTIONAL, {1: COMPLETE, 2: COMPLETE})
    first = status.modules[0]
    assert (first.required_done, first.required_total, first.complete) == (1, 1, True)
    assert (status.required_done, status.required_total) == (1, 2)


@pytest.mark.parametrize(
    ("structure", "states"),
    [
        (TWO_BY_TWO, {1: COMPLETE}),  # a required activity was added after completion
        (EMPTY, {}),
        (SEQUENCED, {}),
    ],
)
def test_a_course_completed_before_stays_complete_whatever_the_structure(structure, states):
    status = evaluate(structure, states, already_complete=True)
    assert status.complete is True
    assert status.percent == 100


def test_an_optional_activity_is_suggested_after_the_required_ones():
    status = evaluate(WITH_OPTIONAL, {1: COMPLETE, 3: COMPLETE})
    assert status.next_activity.id == 2


def test_locked_activities_are_never_suggested_next():
    status = evaluate(SEQUENCED, {1: COMPLETE, 2: IN_PROGRESS})
    assert status.next_activity.id == 2
    status = evaluate(SEQUENCED, {1: COMPLETE, 2: COMPLETE, 3: COMPLETE, 4: COMPLETE})
    assert status.next_activity is None


def test_a_module_of_optional_activities_is_not_shown_complete_before_they_are():
    """The live-sessions module is not "complete" right after enrolling."""
    structure = course((False, [act(1)]), (False, [act(2, required=False)]))
    status = evaluate(structure, {})
    assert status.modules[1].complete is False
    assert evaluate(structure, {2: COMPLETE}).modules[1].complete is True
    # ... and it never holds the course back
    assert evaluate(structure, {1: COMPLETE}).complete is True


def test_an_empty_module_is_not_shown_complete():
    assert evaluate(EMPTY_MODULE, {}).modules[0].complete is False


THREE_MODULES = course(
    (False, [act(1), act(2)]), (False, [act(3), act(4)]), (False, [act(5), act(6)])
)


@pytest.mark.parametrize(
    ("states", "after", "expected"),
    [
        # completing a lesson in module 3 goes on in module 3, not back to module 2's quiz
        ({1: COMPLETE, 2: COMPLETE, 3: COMPLETE, 5: COMPLETE}, 5, 6),
        # at the end, back to what was left behind
        ({1: COMPLETE, 2: COMPLETE, 3: COMPLETE, 5: COMPLETE, 6: COMPLETE}, 6, 4),
        ({1: COMPLETE}, 1, 2),
        # a quiz waiting for a trainer is not offered
        ({1: COMPLETE, 2: "waiting"}, 1, 3),
        (dict.fromkeys(range(1, 7), COMPLETE), 6, None),
    ],
)
def test_the_next_step_follows_course_order(states, after, expected):
    following = evaluate(THREE_MODULES, states).next_after(after)
    assert (following.id if following else None) == expected


def test_an_activity_awaiting_grading_is_not_offered_to_continue():
    status = evaluate(TWO_BY_TWO, {1: COMPLETE, 2: "waiting"})
    assert status.next_activity.id == 3
    assert status.waiting_activity.id == 2
    assert status.activity(2).complete is False


def test_the_gate_lock_is_said_once_for_the_course():
    status = evaluate(GATED, {})
    assert "A1" in str(status.lock_reason)
    assert all(m.lock_reason is None for m in status.modules)
    assert evaluate(GATED, {1: COMPLETE}).lock_reason is None
