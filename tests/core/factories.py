import factory
from factory.django import DjangoModelFactory

from core.models import ReminderLog, User
from engagements.enums import EngagementReminder


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name", locale="de_DE")
    password = factory.PostGenerationMethodCall("set_password", "geheim-passwort-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


class ReminderLogFactory(DjangoModelFactory):
    class Meta:
        model = ReminderLog

    kind = EngagementReminder.MILESTONE_IN_14_DAYS
    item = factory.Sequence(lambda n: f"milestone:{n}")
    recipient = factory.Sequence(lambda n: f"person{n}@example.org")
    due_on = factory.Faker("date_this_year")
