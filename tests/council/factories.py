import factory
from factory.django import DjangoModelFactory

from council.models import (
    Consultation,
    CouncilPaper,
    CouncilSystem,
    Lead,
    PaperFile,
    WatchKeyword,
)
from tests.engagements.factories import MunicipalityFactory


class CouncilSystemFactory(DjangoModelFactory):
    class Meta:
        model = CouncilSystem

    municipality = factory.SubFactory(MunicipalityFactory)
    system_url = factory.Sequence(lambda n: f"https://ratsinfo{n}.example.org/oparl/v1/system")
    watch = False


class CouncilPaperFactory(DjangoModelFactory):
    class Meta:
        model = CouncilPaper

    municipality = factory.SubFactory(MunicipalityFactory)
    reference = factory.Sequence(lambda n: f"{n:03d}/20")
    name = "Kenntnisgabe MiGlobe"


class ConsultationFactory(DjangoModelFactory):
    class Meta:
        model = Consultation

    paper = factory.SubFactory(CouncilPaperFactory)
    body = "Integrationsrat"


class PaperFileFactory(DjangoModelFactory):
    class Meta:
        model = PaperFile

    paper = factory.SubFactory(CouncilPaperFactory)
    name = "Vorlage"
    url = "https://ratsinfo.example.org/files/vorlage.pdf"


class WatchKeywordFactory(DjangoModelFactory):
    class Meta:
        model = WatchKeyword

    word = factory.Sequence(lambda n: f"Stichwort {n}")


class LeadFactory(DjangoModelFactory):
    class Meta:
        model = Lead

    paper = factory.SubFactory(CouncilPaperFactory)
    matched = ["MiGlobe"]
