"""Survey results per organisation for the programme overview, from the assessments app.

Reports does not read survey answers itself: it asks `assessments.selectors` which surveys the
manager may read (`surveys_for_manager`) and their results per organisation (`survey_results`,
which hides groups and questions under the minimum size). Reports applies the same minimum of
`MIN_GROUP_SIZE` again, so a group smaller than that never shows here whatever assessments does.
When assessments offers no such selectors the page says so and shows nothing.
"""

from dataclasses import dataclass, field

from . import sources

MIN_GROUP_SIZE = 5


@dataclass
class SurveyRow:
    label: str
    respondents: int
    hidden: bool
    cells: list[str] = field(default_factory=list)


@dataclass
class SurveyTable:
    survey: object
    questions: list[str]
    rows: list[SurveyRow]
    some_hidden: bool = False


@dataclass
class SurveyReport:
    available: bool
    tables: list[SurveyTable] = field(default_factory=list)
    min_group_size: int = MIN_GROUP_SIZE


def _cell(question) -> str:
    if question is None or getattr(question, "hidden", True):
        return "—"
    mean = getattr(question, "mean", None)
    if mean is not None:
        return f"{mean:g}"
    rows = getattr(question, "rows", None) or []
    if rows:
        top = max(rows, key=lambda r: r.get("count", 0))
        return f"{top.get('label', '')} ({top.get('percent', 0)} %)"
    return "…"


def survey_table(survey, groups: list) -> SurveyTable:
    """One row for all respondents, then one per organisation with enough answers; one column
    per question. Organisations under the minimum are neither named nor counted: a count of 1
    can point at a person."""
    overall = groups[0] if groups else None
    snapshots = [q.snapshot for q in overall.questions] if overall and not overall.hidden else []
    rows = []
    some_hidden = False
    for index, group in enumerate(groups):
        hidden = group.hidden or group.respondents < MIN_GROUP_SIZE
        if index and hidden:
            some_hidden = True
            continue
        cells = (
            []
            if hidden
            else [_cell(q if q.respondents >= MIN_GROUP_SIZE else None) for q in group.questions]
        )
        rows.append(
            SurveyRow(
                label=group.label if index else "",
                respondents=group.respondents,
                hidden=hidden,
                cells=cells,
            )
        )
    return SurveyTable(
        survey=survey,
        questions=[str(s.get("text", ""))[:80] for s in snapshots],
        rows=rows,
        some_hidden=some_hidden,
    )


def survey_report(programme, user) -> SurveyReport:
    surveys_for_manager = sources.selector("assessments.selectors", "surveys_for_manager")
    survey_results = sources.selector("assessments.selectors", "survey_results")
    if surveys_for_manager is None or survey_results is None:
        return SurveyReport(available=False)
    surveys = surveys_for_manager(user).filter(path__startswith=programme.path)
    tables = [survey_table(s, survey_results(s, min_group=MIN_GROUP_SIZE)) for s in surveys]
    return SurveyReport(available=True, tables=tables)
