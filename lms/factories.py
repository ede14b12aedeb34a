import factory
from factory.django import DjangoModelFactory

from .models import Cohort, Organisation, User


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    kind = Organisation.Kind.MINISTRY
    name = factory.Sequence(lambda n: f"Secretaría número {n}")
    short_name = factory.Sequence(lambda n: f"SEC{n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persona{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Persona Núñez {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", "clave-segura-123")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create:
            from .services import user_set_roles

            user_set_roles(user=self, roles=extracted or ("learner",))
            self.save()


class CohortFactory(DjangoModelFactory):
    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Cohorte {n}")

    @factory.post_generation
    def trainers(self, create, extracted, **kwargs):
        if create and extracted:
            self.trainers.add(*extracted)
