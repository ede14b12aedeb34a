"""The reports tests' programme, cohort and staff fixtures, shared rather than copied."""

from tests.reports.conftest import (  # noqa: F401
    cohort,
    company,
    manager,
    members,
    ministry,
    other_cohort,
    other_programme,
    other_trainer,
    pcourse,
    programme,
)
