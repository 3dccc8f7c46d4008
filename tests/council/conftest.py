import re

import pytest
from pytest_httpserver import HTTPServer

from council.models import CouncilSystem, WatchKeyword
from tests.council.oparl_server import OParlServer, paper
from tests.engagements.factories import EngagementFactory, MunicipalityFactory


@pytest.fixture
def httpserver():
    """A local HTTP server of our own, threaded: a slow answer must not hold up the others."""
    server = HTTPServer(threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def oparl(httpserver):
    """The council information system of Eschweiler, on a local port."""
    base = httpserver.url_for("").rstrip("/")
    server = OParlServer(base=base)
    server.papers = [
        paper(
            1, base, name="MiGlobe – Beratungseinsatz zur Vernetzung migrantischer Akteure",
            reference="065/20", modified="2020-02-20T09:00:00+01:00",
            consultation=[{
                "id": f"{base}/oparl/v1/consultation/1",
                "meeting": f"{base}/oparl/v1/meeting/7",
                "organization": [f"{base}/oparl/v1/organization/3"],
                "role": "Kenntnisnahme",
            }],
            mainFile={"id": f"{base}/oparl/v1/file/1", "name": "Vorlage 065/20",
                      "accessUrl": f"{base}/files/065-20.pdf"},
        ),
        paper(2, base, name="Sanierung der Sporthalle Dürwiß", reference="066/20",
              modified="2020-02-21T09:00:00+01:00"),
        paper(3, base, name="Städtepartnerschaft mit Reigate: Jubiläum",
              reference="070/20", modified="2020-02-25T09:00:00+01:00"),
        paper(4, base, name="Haushaltssatzung 2020", reference="071/20",
              modified="2020-02-26T09:00:00+01:00"),
    ]  # fmt: skip
    httpserver.expect_request(re.compile(r"/.*")).respond_with_handler(server.handle)
    return server


@pytest.fixture
def eschweiler(db):
    return MunicipalityFactory(name="Eschweiler", federal_state="NW")


@pytest.fixture
def system(eschweiler, oparl):
    return CouncilSystem.objects.create(
        municipality=eschweiler, system_url=f"{oparl.base}/oparl/v1/system"
    )


@pytest.fixture
def keywords(db):
    for word in ("MiGlobe", "Entwicklungspolitik", "Integrationsrat", "Städtepartnerschaft"):
        WatchKeyword.objects.create(word=word)


@pytest.fixture
def engagement(eschweiler):
    return EngagementFactory(municipality=eschweiler, title="Beratungseinsatz Eschweiler")
