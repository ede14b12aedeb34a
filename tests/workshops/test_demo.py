import io

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_seeds_workshops_once(settings):
    from courses.demo import seed as seed_courses
    from lms.demo import seed_people
    from workshops.demo import seed
    from workshops.models import Registration, SessionMaterial, WorkshopPage, WorkshopSession

    out = io.StringIO()
    seed_people(stdout=out)
    seed_courses(stdout=out)
    seed(stdout=out)
    counts = (
        WorkshopPage.objects.count(),
        WorkshopSession.objects.count(),
        Registration.objects.count(),
    )
    kinds = set(WorkshopPage.objects.values_list("kind", flat=True))
    assert kinds == {"live_training", "peer_learning", "guidance"}
    assert WorkshopPage.objects.filter(kind="peer_learning").count() == 2
    assert Registration.objects.filter(status="waitlisted").exists()
    assert Registration.objects.filter(attendance="attended").exists()
    assert SessionMaterial.objects.count() == 1
    assert all(p.live and not p.has_unpublished_changes for p in WorkshopPage.objects.all())
    seed(stdout=out)
    assert (
        WorkshopPage.objects.count(),
        WorkshopSession.objects.count(),
        Registration.objects.count(),
    ) == counts
    assert SessionMaterial.objects.count() == 1
