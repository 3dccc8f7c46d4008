import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from recruitment.enums import ApplicationStatus
from recruitment.models import Application, Call, Criterion, Review, Score
from tests.advisors.factories import PoolFactory
from tests.core.factories import UserFactory


class CallFactory(DjangoModelFactory):
    class Meta:
        model = Call

    pool = factory.SubFactory(PoolFactory)
    title = factory.Sequence(lambda n: f"Ausschreibung {n}: Berater*innen gesucht")
    slug = factory.Sequence(lambda n: f"ausschreibung-{n}")
    text = "Wir suchen Menschen mit Migrationsgeschichte, die Kommunen beraten möchten."
    asked_for = "Engagement in einem Verein; Zeit an Wochenenden."
    places = 18
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=30))
    deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    consent_text = "Ich willige ein, dass die SKEW meine Angaben für diese Auswahl verarbeitet."
    published = True


class CriterionFactory(DjangoModelFactory):
    class Meta:
        model = Criterion

    call = factory.SubFactory(CallFactory)
    title = factory.Sequence(lambda n: f"Kriterium {n}")


class ApplicationFactory(DjangoModelFactory):
    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    status = ApplicationStatus.RECEIVED
    name = factory.Sequence(lambda n: f"Bewerber*in {n}")
    email = factory.Sequence(lambda n: f"bewerbung{n}@example.org")
    home_town = "Stuttgart"
    countries_of_origin = ["TR"]
    experience = "Vorstand eines Kulturvereins."
    motivation = "Ich möchte Kommunen und Vereine zusammenbringen."
    availability = "Wochenenden"
    gender = "female"
    birth_year = 1985
    consent_text = "Ich willige ein."
    consent_given_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)


class ReviewFactory(DjangoModelFactory):
    class Meta:
        model = Review

    application = factory.SubFactory(ApplicationFactory)
    reviewer = factory.SubFactory(UserFactory)


class ScoreFactory(DjangoModelFactory):
    class Meta:
        model = Score

    review = factory.SubFactory(ReviewFactory)
    criterion = factory.SubFactory(CriterionFactory)
    value = 4
