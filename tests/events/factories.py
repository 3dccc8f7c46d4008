import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from events.enums import EventKind, ParticipantCategory, SessionKind
from events.models import Event, EventSession, Registration
from tests.engagements.factories import MunicipalityFactory


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Vernetzungstreffen {n}")
    kind = EventKind.NETWORK_MEETING
    municipality = factory.SubFactory(MunicipalityFactory)
    venue = "Rathaus"
    starts_at = factory.LazyFunction(lambda: _at(datetime.date(2018, 2, 2), 14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=4))
    capacity = 50


class EventSessionFactory(DjangoModelFactory):
    class Meta:
        model = EventSession

    event = factory.SubFactory(EventFactory)
    kind = SessionKind.WORKSHOP
    title = factory.Sequence(lambda n: f"Workshop {n}")
    starts_at = factory.LazyAttribute(lambda o: o.event.starts_at)
    ends_at = factory.LazyAttribute(lambda o: o.event.ends_at)


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    name = factory.Faker("name", locale="de_DE")
    email = factory.Sequence(lambda n: f"teilnehmer{n}@example.org")
    category = ParticipantCategory.MIGRANT_ORGANISATION
