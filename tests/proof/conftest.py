import os

import pytest


@pytest.fixture
def demo(db):
    """The whole demo data set (every app's seeder)."""
    from django.core.management import call_command

    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", quiet=True, stdout=devnull)
