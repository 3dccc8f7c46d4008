import factory
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from core.models import ErasureLog, ErasureRequest, OutboxEmail, ReminderLog, User
from engagements.enums import EngagementReminder
from miglobe.staff_groups import sync_staff_groups


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


class StaffMemberFactory(UserFactory):
    """A staff account that is no superuser: in the staff groups given as `groups`."""

    is_staff = True

    @factory.post_generation
    def groups(obj, create, extracted, **kwargs):
        if create and extracted:
            sync_staff_groups()  # a flushed database (transactional tests) has none
            obj.groups.set(Group.objects.filter(name__in=extracted))


class OutboxEmailFactory(DjangoModelFactory):
    class Meta:
        model = OutboxEmail

    kind = "request_message"
    to = factory.Sequence(lambda n: [f"person{n}@example.org"])
    subject = factory.Sequence(lambda n: f"[MiGlobe] Nachricht {n}")
    text = "Guten Tag,\n\nes gibt eine neue Nachricht zu Ihrer Anfrage."


class ReminderLogFactory(DjangoModelFactory):
    class Meta:
        model = ReminderLog

    kind = EngagementReminder.MILESTONE_IN_14_DAYS
    item = factory.Sequence(lambda n: f"milestone:{n}")
    recipient = factory.Sequence(lambda n: f"person{n}@example.org")
    due_on = factory.Faker("date_this_year")
    email = factory.SubFactory(OutboxEmailFactory, kind="reminder_digest")


class ErasureLogFactory(DjangoModelFactory):
    class Meta:
        model = ErasureLog

    counts = factory.LazyFunction(
        lambda: {"events.registrations": {"action": "anonymise", "count": 1}}
    )


class ErasureRequestFactory(DjangoModelFactory):
    class Meta:
        model = ErasureRequest

    user = factory.SubFactory(UserFactory)
