import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from actors.enums import ConsentChannel, FindingSource, OrganisationKind, Scope
from actors.models import (
    ConsentWording,
    ContactPerson,
    FieldOfAction,
    Organisation,
    PublicationConsent,
    ResearchFinding,
)
from tests.advisors.factories import AdvisorFactory
from tests.engagements.factories import EngagementFactory, MunicipalityFactory


class FieldOfActionFactory(DjangoModelFactory):
    class Meta:
        model = FieldOfAction
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"feld-{n}")
    name_de = factory.Sequence(lambda n: f"Handlungsfeld {n}")
    name_en = factory.Sequence(lambda n: f"Field {n}")


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Afrikanischer Kulturverein {n} e. V.")
    slug = factory.Sequence(lambda n: f"kulturverein-{n}")
    kind = OrganisationKind.MIGRANT_ORGANISATION
    municipality = factory.SubFactory(MunicipalityFactory)
    scope = Scope.LOCAL
    countries_of_origin = ["GH"]


class ContactPersonFactory(DjangoModelFactory):
    class Meta:
        model = ContactPerson

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Faker("name", locale="de_DE")
    email = factory.Sequence(lambda n: f"kontakt{n}@example.org")


class ConsentWordingFactory(DjangoModelFactory):
    class Meta:
        model = ConsentWording
        django_get_or_create = ["version"]

    version = "test-1"
    text_de = "Wir sind einverstanden, dass unser Eintrag veröffentlicht wird."
    valid_from = factory.LazyFunction(timezone.localdate)


class PublicationConsentFactory(DjangoModelFactory):
    class Meta:
        model = PublicationConsent

    organisation = factory.SubFactory(OrganisationFactory)
    wording = factory.SubFactory(ConsentWordingFactory)
    given_by = "Vorstand"
    channel = ConsentChannel.EMAIL


class ResearchFindingFactory(DjangoModelFactory):
    class Meta:
        model = ResearchFinding

    engagement = factory.SubFactory(EngagementFactory)
    advisor = factory.SubFactory(AdvisorFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    source = FindingSource.CONVERSATION


class OrganisationSuggestionFactory(DjangoModelFactory):
    class Meta:
        model = "actors.OrganisationSuggestion"

    name = factory.Sequence(lambda n: f"Ghanaischer Verein {n} e. V.")
    kind = OrganisationKind.MIGRANT_ORGANISATION
    municipality = factory.SubFactory(MunicipalityFactory)
    scope = Scope.LOCAL
    countries_of_origin = ["GH"]
    submitter_name = factory.Faker("name", locale="de_DE")
    submitter_email = factory.Sequence(lambda n: f"vorstand{n}@example.org")
    submitter_role = "Vorstand"
    wording = factory.SubFactory(ConsentWordingFactory)
