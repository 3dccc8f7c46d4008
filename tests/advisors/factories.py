import datetime

import factory
from factory.django import DjangoModelFactory

from advisors.enums import FederalState, Gender
from advisors.models import (
    Advisor,
    Language,
    PartnerOrganisation,
    Pool,
    PoolMembership,
    Training,
    TrainingCompletion,
    TrainingWaiver,
)
from tests.core.factories import UserFactory


class LanguageFactory(DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"x{n}")
    name_de = factory.Sequence(lambda n: f"Sprache {n}")
    name_en = factory.Sequence(lambda n: f"Language {n}")


class PoolFactory(DjangoModelFactory):
    class Meta:
        model = Pool
        django_get_or_create = ["federal_state"]

    federal_state = FederalState.NW
    name = factory.LazyAttribute(lambda o: f"MiGlobe {o.federal_state}")


class PartnerOrganisationFactory(DjangoModelFactory):
    class Meta:
        model = PartnerOrganisation

    pool = factory.SubFactory(PoolFactory)
    name = factory.Sequence(lambda n: f"Partner {n} gGmbH")
    city = "Solingen"


class AdvisorFactory(DjangoModelFactory):
    class Meta:
        model = Advisor

    user = factory.SubFactory(UserFactory)
    gender = Gender.FEMALE
    birth_year = 1980
    countries_of_origin = ["GH"]


class PoolMembershipFactory(DjangoModelFactory):
    class Meta:
        model = PoolMembership

    advisor = factory.SubFactory(AdvisorFactory)
    pool = factory.SubFactory(PoolFactory)
    joined_on = datetime.date(2014, 1, 1)


class TrainingFactory(DjangoModelFactory):
    class Meta:
        model = Training

    pool = factory.SubFactory(PoolFactory)
    title = factory.Sequence(lambda n: f"Fortbildung {n}")
    starts_on = datetime.date(2017, 5, 6)
    ends_on = datetime.date(2017, 5, 7)


class TrainingCompletionFactory(DjangoModelFactory):
    class Meta:
        model = TrainingCompletion

    advisor = factory.SubFactory(AdvisorFactory)
    training = factory.SubFactory(TrainingFactory)
    completed_on = datetime.date(2017, 5, 7)


class TrainingWaiverFactory(DjangoModelFactory):
    class Meta:
        model = TrainingWaiver

    advisor = factory.SubFactory(AdvisorFactory)
    training = factory.SubFactory(TrainingFactory)
    reason = "Studium der Verwaltungswissenschaft: Kommunales Wissen ist vorhanden."
