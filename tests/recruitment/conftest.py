import pytest

from miglobe.staff_groups import TEAM
from tests.actors.factories import FieldOfActionFactory
from tests.advisors.factories import LanguageFactory, PoolFactory
from tests.core.factories import StaffMemberFactory, UserFactory
from tests.recruitment.factories import CallFactory, CriterionFactory


@pytest.fixture
def call(db):
    pool = PoolFactory(federal_state="BW", name="MiGlobe Baden-Württemberg")
    call = CallFactory(pool=pool, title="Ausschreibung 2017", slug="ausschreibung-2017")
    CriterionFactory(call=call, title="Entwicklungspolitische Erfahrung", position=1)
    CriterionFactory(call=call, title="Netzwerke in Migrantenorganisationen", position=2)
    return call


@pytest.fixture
def languages(db):
    return [
        LanguageFactory(code="de", name_de="Deutsch", name_en="German"),
        LanguageFactory(code="tr", name_de="Türkisch", name_en="Turkish"),
    ]


@pytest.fixture
def field_of_action(db):
    return FieldOfActionFactory(slug="bildungsarbeit", name_de="Bildungsarbeit")


@pytest.fixture
def recruiter(db):
    return StaffMemberFactory(email="team@skew.example.org", name="Lena Team", groups=[TEAM])


@pytest.fixture
def partner(db, call):
    """Someone of a cooperation partner whom SKEW named as reviewer of this call."""
    user = UserFactory(email="partner@deab.example.org", name="Paul Partner", is_staff=True)
    call.reviewers.add(user)
    return user
