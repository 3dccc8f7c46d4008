import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from surveys.models import Invitation, MeetingInvitation, OptOut, Question, Response, Survey
from tests.actors.factories import ConsentWordingFactory
from tests.engagements.factories import MunicipalityFactory


class SurveyFactory(DjangoModelFactory):
    class Meta:
        model = Survey

    title = factory.Sequence(lambda n: f"Befragung {n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    introduction = "Wer engagiert sich in unserer Stadt für Entwicklungspolitik?"
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=21))
    wording = factory.SubFactory(ConsentWordingFactory)


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    kind = "text"
    text = factory.Sequence(lambda n: f"Eigene Frage {n}?")


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = Invitation

    survey = factory.SubFactory(SurveyFactory)
    email = factory.Sequence(lambda n: f"verein{n}@example.org")
    sent_at = factory.LazyFunction(timezone.now)


class ResponseFactory(DjangoModelFactory):
    class Meta:
        model = Response

    survey = factory.SubFactory(SurveyFactory)
    name = factory.Sequence(lambda n: f"Verein {n} e. V.")
    scope = "local"


class OptOutFactory(DjangoModelFactory):
    class Meta:
        model = OptOut

    email = factory.Sequence(lambda n: f"abgemeldet{n}@example.org")


class MeetingInvitationFactory(DjangoModelFactory):
    class Meta:
        model = MeetingInvitation

    survey = factory.SubFactory(SurveyFactory)
    event = factory.SubFactory("tests.events.factories.EventFactory")
    email = factory.Sequence(lambda n: f"gast{n}@example.org")
