"""Survey results per organisation for the programme overview, from the assessments app.

Reports does not read survey answers itself: it shows what the assessments selector returns,
and hides any group smaller than `MIN_GROUP_SIZE` on top of whatever assessments already does.
When assessments offers no such selector the page says so and shows nothing.
"""

from dataclasses import dataclass, field

from . import sources

MIN_GROUP_SIZE = 5


@dataclass
class SurveyReport:
    available: bool
    surveys: list = field(default_factory=list)
    min_group_size: int = MIN_GROUP_SIZE


def survey_report(programme) -> SurveyReport:
    fn = sources.survey_results_selector()
    if fn is None:
        return SurveyReport(available=False)
    return SurveyReport(available=True, surveys=list(fn(programme) or []))
