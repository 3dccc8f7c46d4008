"""The duplicate finder on a table of names that should and should not match."""

import pytest

from actors.selectors import likely_duplicates
from core.text import names_match, normalize_name
from tests.actors.factories import OrganisationFactory
from tests.engagements.factories import MunicipalityFactory

SAME = [
    ("Ghanaische Union Duisburg e. V.", "ghanaische union duisburg ev"),
    ("Verein der Äthiopier", "Verein der Aethiopier e.V."),
    ("Verein der Äthiopier in Duisburg", "Verein der Athiopier in Duisburg"),  # typo
    ("Afrika-Forum Rhein-Ruhr", "Afrika Forum Rhein Ruhr gGmbH"),
    ("Deutsch-Marokkanischer Kulturverein", "Deutsch-Marrokanischer Kulturverein"),
    ("Eine Welt Forum", "Forum Eine Welt"),
    ("Kamerunischer Verein Duisburg", "Kamerunischer Verein"),  # with and without the town
    ("Grüne Brücke e.V.", "GRUENE BRUECKE E. V."),
    ("Senegalesische Gemeinschaft (e. V.)", "Senegalesische Gemeinschaft"),
    ("Côte d'Ivoire Solidarité", "Cote d Ivoire Solidarite"),
]
DIFFERENT = [
    ("Ghanaische Union Duisburg", "Nigerianische Union Duisburg"),
    ("VHS Duisburg", "IHK Duisburg"),
    ("Verein A", "Verein B"),
    ("Afrikanischer Frauenverein", "Afrikanischer Jugendverein"),
    ("Kulturverein Marokko", "Kulturverein Kamerun"),
    ("Eine Welt Forum", "Eine Welt Netz"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_names_that_should_match(a, b):
    assert names_match(a, b, "Duisburg")
    assert names_match(b, a, "Duisburg")


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_names_that_should_not_match(a, b):
    assert not names_match(a, b, "Duisburg")


def test_normalize_removes_case_umlauts_punctuation_and_legal_forms():
    assert normalize_name("  Grüße-Verein  e. V. (gGmbH) ") == "gruesse verein"


@pytest.mark.django_db
def test_likely_duplicates_look_only_in_the_same_town():
    duisburg, hamm = MunicipalityFactory(name="Duisburg"), MunicipalityFactory(name="Hamm")
    here = OrganisationFactory(name="Ghanaische Union Duisburg e. V.", municipality=duisburg)
    OrganisationFactory(name="Ghanaische Union Duisburg e. V.", municipality=hamm)
    OrganisationFactory(name="Nigerianische Union Duisburg", municipality=duisburg)
    assert likely_duplicates("ghanaische union", duisburg) == [here]
    assert likely_duplicates("", duisburg) == []
