"""Completion rules, with no database access: a course structure plus a learner's activity
states in, every activity's state and lock, every module's completion and the course's out.

Rules:
- a module is complete when all its required activities are complete; a module with no
  required activity (optional live sessions) is shown complete only when all of its activities
  are, and never holds the course back;
- a course is complete when it has at least one required activity and all modules are complete;
- an activity *waiting* for a trainer's grading is not offered as the next step;
- while a *gate* activity (a pre-test the course requires first) is incomplete, every other
  activity is locked;
- a module that requires the previous one is locked until that module is complete (a gate is
  never locked: it would otherwise wait for content it keeps closed);
- a completed activity is never shown as locked;
- a course that was complete once stays complete (`already_complete`): an editor who adds a
  required activity later does not take a learner's completion (or certificate) away.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
WAITING = "waiting"  # submitted, a trainer has still to grade part of it
COMPLETE = "complete"


@dataclass(frozen=True)
class ActivityNode:
    id: int
    title: str
    url: str
    kind: str
    kind_label: str
    required: bool = True
    is_gate: bool = False
    minutes: int = 0


@dataclass(frozen=True)
class ModuleNode:
    id: int
    title: str
    requires_previous: bool
    activities: tuple[ActivityNode, ...]
    url: str = ""


@dataclass(frozen=True)
class CourseStructure:
    course_id: int
    modules: tuple[ModuleNode, ...]

    def activities(self) -> list[ActivityNode]:
        return [a for m in self.modules for a in m.activities]

    def activity_ids(self) -> set[int]:
        return {a.id for m in self.modules for a in m.activities}


@dataclass
class ActivityStatus:
    node: ActivityNode
    state: str
    lock_reason: str | None = None

    @property
    def locked(self) -> bool:
        return self.lock_reason is not None

    @property
    def complete(self) -> bool:
        return self.state == COMPLETE

    @property
    def waiting(self) -> bool:
        return self.state == WAITING

    @property
    def actionable(self) -> bool:
        """The learner can do something here now."""
        return not (self.complete or self.locked or self.waiting)


@dataclass
class ModuleStatus:
    node: ModuleNode
    activities: list[ActivityStatus]
    complete: bool
    lock_reason: str | None = None
    # required activities done (vacuously true without any): what the next module waits for
    satisfied: bool = True

    @property
    def required_total(self) -> int:
        return sum(1 for a in self.activities if a.node.required)

    @property
    def required_done(self) -> int:
        return sum(1 for a in self.activities if a.node.required and a.complete)


@dataclass
class CourseStatus:
    modules: list[ModuleStatus] = field(default_factory=list)
    required_total: int = 0
    required_done: int = 0
    complete: bool = False
    next_activity: ActivityNode | None = None
    waiting_activity: ActivityNode | None = None
    # why everything but the gate is locked: said once, above the outline
    lock_reason: str | None = None

    @property
    def percent(self) -> int:
        if self.complete:
            return 100
        if not self.required_total:
            return 0
        return self.required_done * 100 // self.required_total

    @property
    def states_key(self) -> str:
        """Every activity's state and lock, in course order, as one short string: with the
        structure (the content version and language) it fixes everything the outline shows, so
        the outline's rendering is kept under it (courses/includes_outline.html)."""
        return "".join(
            a.state[0] + ("l" if a.locked else "") for m in self.modules for a in m.activities
        )

    def activity(self, activity_id: int) -> ActivityStatus | None:
        for module in self.modules:
            for status in module.activities:
                if status.node.id == activity_id:
                    return status
        return None

    def next_after(self, activity_id: int) -> ActivityNode | None:
        """The next activity in course order the learner can act on after this one; else the
        first one left behind earlier (a quiz to pass again); None when nothing is left."""
        flat = [a for m in self.modules for a in m.activities]
        index = next((i for i, a in enumerate(flat) if a.node.id == activity_id), -1)
        after = [a for a in flat[index + 1 :] if a.actionable]
        before = [a for a in flat[: max(index, 0)] if a.actionable]
        for group in (after, before):
            for status in group:
                if status.node.required:
                    return status.node
        return after[0].node if after else None


def evaluate(
    structure: CourseStructure, states: dict[int, str], *, already_complete: bool = False
) -> CourseStatus:
    """Apply the completion rules to one learner's states (activity id -> state).

    `already_complete` is true when the learner's enrolment was completed before: the course
    stays complete whatever the structure became since.
    """
    gates_open = all(states.get(a.id) == COMPLETE for a in structure.activities() if a.is_gate)
    gate_titles = [
        a.title for a in structure.activities() if a.is_gate and states.get(a.id) != COMPLETE
    ]
    result = CourseStatus()
    gate_lock = None
    if not gates_open:
        gate_lock = _("Take “%(title)s” first: it opens the course content.") % {
            "title": gate_titles[0]
        }
        result.lock_reason = gate_lock
    previous: ModuleStatus | None = None
    for module in structure.modules:
        module_lock = None
        if module.requires_previous and previous is not None and not previous.satisfied:
            module_lock = _("Complete the module “%(title)s” first.") % {
                "title": previous.node.title
            }
        statuses = []
        for node in module.activities:
            state = states.get(node.id, NOT_STARTED)
            lock = None
            if state != COMPLETE and not node.is_gate:
                lock = gate_lock or module_lock
            statuses.append(ActivityStatus(node=node, state=state, lock_reason=lock))
        required = [s for s in statuses if s.node.required]
        satisfied = all(s.complete for s in required)
        shown_complete = (
            satisfied and bool(statuses) and (bool(required) or all(s.complete for s in statuses))
        )
        current = ModuleStatus(
            node=module,
            activities=statuses,
            complete=shown_complete,
            lock_reason=module_lock,
            satisfied=satisfied,
        )
        result.modules.append(current)
        previous = current
    result.required_total = sum(m.required_total for m in result.modules)
    result.required_done = sum(m.required_done for m in result.modules)
    result.complete = already_complete or (
        result.required_total > 0 and all(m.satisfied for m in result.modules)
    )
    result.next_activity = _next_activity(result)
    result.waiting_activity = next(
        (a.node for m in result.modules for a in m.activities if a.waiting), None
    )
    return result


def _next_activity(status: CourseStatus) -> ActivityNode | None:
    candidates = [a for m in status.modules for a in m.activities if a.actionable]
    for activity in candidates:
        if activity.node.required:
            return activity.node
    return candidates[0].node if candidates else None
