"""Self-enrolled learners so far belonged to no cohort: each course's open-enrolment cohort takes
them in, so the programme's manager (and the trainers they name) see them and their essays."""

from django.db import migrations


def programme_of(ProgrammePage, course, steplen=4):
    prefixes = [course.path[: i * steplen] for i in range(1, len(course.path) // steplen)]
    return ProgrammePage.objects.filter(path__in=prefixes).order_by("-depth").first()


def forwards(apps, schema_editor):
    Enrolment = apps.get_model("courses", "Enrolment")
    CohortCourse = apps.get_model("courses", "CohortCourse")
    CoursePage = apps.get_model("courses", "CoursePage")
    ProgrammePage = apps.get_model("courses", "ProgrammePage")
    Cohort = apps.get_model("lms", "Cohort")
    CohortMembership = apps.get_model("lms", "CohortMembership")
    course_ids = set(Enrolment.objects.filter(cohort__isnull=True).values_list("course_id", flat=True))
    for course in CoursePage.objects.filter(pk__in=course_ids):
        programme = programme_of(ProgrammePage, course)
        if programme is None:
            continue
        cohort = Cohort.objects.filter(self_enrolment_course_id=course.pk).first()
        if cohort is None:
            cohort = Cohort.objects.create(
                name=f"Inscripción abierta · {course.title}"[:200], programme_id=programme.pk,
                self_enrolment_course_id=course.pk,
            )
            CohortCourse.objects.get_or_create(cohort=cohort, course_id=course.pk)
        pending = Enrolment.objects.filter(course_id=course.pk, cohort__isnull=True)
        user_ids = list(pending.values_list("user_id", flat=True))
        CohortMembership.objects.bulk_create(
            [CohortMembership(cohort=cohort, user_id=uid) for uid in user_ids], ignore_conflicts=True
        )
        pending.update(cohort=cohort)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("lms", "0003_cohort_self_enrolment_course"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
