import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from actors.models import FieldOfAction
from advisors.enums import FederalState
from miglobe.staff_groups import TEAM
from tests.advisors.factories import AdvisorFactory, PoolFactory, PoolMembershipFactory
from tests.core.factories import StaffFactory, StaffMemberFactory, UserFactory
from tests.engagements.factories import (
    ConsultationRequestFactory,
    MunicipalityFactory,
    MunicipalOfficerFactory,
)


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(
        name="Eschweiler",
        federal_state=FederalState.NW,
        latitude=Decimal("50.816700"),
        longitude=Decimal("6.266700"),
        community_countries=["MA", "GH"],
    )


@pytest.fixture
def other_municipality(db):
    return MunicipalityFactory(name="Hamm", federal_state=FederalState.NW)


@pytest.fixture
def officer(municipality):
    """The owner: a confirmed officer of the municipality."""
    return MunicipalOfficerFactory(
        user=UserFactory(email="officer@eschweiler.example.org", name="Petra Beispiel"),
        municipality=municipality,
        confirmed_at=timezone.now(),
    )


@pytest.fixture
def colleague(municipality):
    """A colleague with rights: another confirmed officer of the same municipality."""
    return MunicipalOfficerFactory(
        user=UserFactory(email="kollege@eschweiler.example.org"),
        municipality=municipality,
        confirmed_at=timezone.now(),
    )


@pytest.fixture
def outsider(other_municipality):
    """An officer of another municipality."""
    return MunicipalOfficerFactory(
        user=UserFactory(email="officer@hamm.example.org"),
        municipality=other_municipality,
        confirmed_at=timezone.now(),
    )


@pytest.fixture
def advisor_user(db):
    return AdvisorFactory(user=UserFactory(email="advisor@example.org")).user


@pytest.fixture
def staff(db):
    return StaffFactory(email="skew@example.org", name="Sara Team")


@pytest.fixture
def draft(officer):
    return ConsultationRequestFactory(
        municipality=officer.municipality,
        created_by=officer.user,
        costs_confirmed=True,
        preferred_start=datetime.date(2027, 1, 1),
        preferred_end=datetime.date(2027, 6, 30),
    )


@pytest.fixture
def nrw_pool(db):
    return PoolFactory(federal_state=FederalState.NW, name="MiGlobe NRW")


@pytest.fixture
def pool_member(nrw_pool):
    def make(**kwargs):
        advisor = AdvisorFactory(**kwargs)
        PoolMembershipFactory(advisor=advisor, pool=nrw_pool)
        return advisor

    return make


@pytest.fixture
def fields_of_action(db):
    return [
        FieldOfAction.objects.get_or_create(slug=slug, defaults={"name_de": name, "name_en": name})[
            0
        ]
        for slug, name in [("fairer-handel", "Fairer Handel"), ("klima-umwelt", "Klima")]
    ]


@pytest.fixture
def amara(db):
    """An advisor for the engagement's pages: Amara Diallo."""
    return AdvisorFactory(user=UserFactory(email="amara@example.org", name="Amara Diallo"))


@pytest.fixture
def skew(db):
    """A member of the SKEW team (group SKEW-Team)."""
    return StaffMemberFactory(email="team@skew.example.org", groups=[TEAM])
