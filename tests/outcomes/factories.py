import factory
from factory.django import DjangoModelFactory

from outcomes.models import ActionOption, ActionOptionComment, FinalReport, FollowUp, FollowUpAnswer
from tests.core.factories import UserFactory
from tests.engagements.factories import EngagementFactory


class ActionOptionFactory(DjangoModelFactory):
    class Meta:
        model = ActionOption

    engagement = factory.SubFactory(EngagementFactory)
    title = factory.Sequence(lambda n: f"Handlungsoption {n}")
    description = "Der Integrationsrat lädt die migrantischen Vereine zweimal im Jahr ein."


class ActionOptionCommentFactory(DjangoModelFactory):
    class Meta:
        model = ActionOptionComment

    option = factory.SubFactory(ActionOptionFactory)
    author = factory.SubFactory(UserFactory)
    text = "Das passt zu unserem Haushalt."


class FinalReportFactory(DjangoModelFactory):
    class Meta:
        model = FinalReport

    engagement = factory.SubFactory(EngagementFactory)
    version = factory.Sequence(lambda n: n + 1)
    language = "de"
    pdf = factory.django.FileField(filename="abschlussbericht.pdf", data=b"%PDF-1.4\n%%EOF\n")
    sha256 = "0" * 64


class FollowUpFactory(DjangoModelFactory):
    class Meta:
        model = FollowUp

    engagement = factory.SubFactory(EngagementFactory)
    months = 6


class FollowUpAnswerFactory(DjangoModelFactory):
    class Meta:
        model = FollowUpAnswer

    follow_up = factory.SubFactory(FollowUpFactory)
    option = factory.SubFactory(ActionOptionFactory)
    implementation = "implemented"
