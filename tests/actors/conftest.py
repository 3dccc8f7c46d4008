"""The directory's hand-made world: published, unpublished and withdrawn organisations."""

import pytest
from django.utils import timezone

from tests.actors.factories import (
    FieldOfActionFactory,
    OrganisationFactory,
    PublicationConsentFactory,
)
from tests.engagements.factories import MunicipalityFactory


def published(**kwargs):
    organisation = OrganisationFactory(**kwargs)
    PublicationConsentFactory(organisation=organisation)
    return organisation


@pytest.fixture
def world():
    duisburg = MunicipalityFactory(name="Duisburg", ags="05112000")
    hamm = MunicipalityFactory(name="Hamm")
    fair = FieldOfActionFactory(slug="fairer-handel", name_de="Fairer Handel")
    climate = FieldOfActionFactory(slug="klima-umwelt", name_de="Klima und Umwelt")
    ghana = published(
        name="Ghanaische Union Duisburg e. V.",
        municipality=duisburg,
        scope="international",
        countries_of_origin=["GH"],
        description="Schulprojekte in Kumasi und faire Kakao-Tage in Duisburg.",
    )
    ghana.fields_of_action.set([fair])
    turkish = published(
        name="Türkisch-Deutscher Umweltverein",
        municipality=duisburg,
        scope="local",
        countries_of_origin=["TR"],
        countries_of_activity=["GH"],
    )
    turkish.fields_of_action.set([climate])
    senegal = published(
        name="Senegalesischer Kulturkreis",
        municipality=hamm,
        scope="local",
        countries_of_origin=["SN"],
        kind="association",
    )
    hidden = OrganisationFactory(
        name="Verein ohne Einwilligung", municipality=duisburg, scope="local"
    )
    withdrawn = OrganisationFactory(
        name="Verein mit Widerruf", municipality=duisburg, scope="local"
    )
    PublicationConsentFactory(organisation=withdrawn, withdrawn_at=timezone.now())
    return {
        "ghana": ghana,
        "turkish": turkish,
        "senegal": senegal,
        "hidden": hidden,
        "withdrawn": withdrawn,
        "duisburg": duisburg,
        "hamm": hamm,
    }
