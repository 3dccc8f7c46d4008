"""The demo's council link: Eschweiler's paper 065/20 as if imported, keywords, one lead.

The council information system's address is an example one that nobody answers, so its
daily watch is switched off in the demo; the paper and its consultation in the
integration council on 12.03.2020 are what an import would have brought (shared/seeds).
"""

from __future__ import annotations

from datetime import date

from council.enums import LeadStatus, PaperSource
from council.models import Consultation, CouncilPaper, CouncilSystem, Lead, PaperFile, WatchKeyword

from .demo_engagements import at

OPARL = "https://ratsinfo.eschweiler.example.org/oparl/v1"
KEYWORDS = ["MiGlobe", "Entwicklungspolitik", "Migration", "Integrationsrat", "Städtepartnerschaft"]


class CouncilStories:
    """Mixed into DemoWorld: after the Eschweiler engagement."""

    def council(self) -> None:
        for word in KEYWORDS:
            self._get_or_create(WatchKeyword, word=word)
        town = self.towns["Eschweiler"]
        self._get_or_create(
            CouncilSystem,
            municipality=town,
            defaults={
                "system_url": f"{OPARL}/system",
                "body_url": f"{OPARL}/body/1",
                "watch": False,  # an example address: nothing to read in the demo
                "last_run_at": at(date(2021, 1, 12), 6, 30),
            },
        )
        paper, created = self._get_or_create(
            CouncilPaper,
            oparl_id=f"{OPARL}/paper/6520",
            defaults={
                "municipality": town,
                "source": PaperSource.OPARL,
                "reference": "065/20",
                "name": (
                    "MiGlobe – Beratungseinsatz zur Recherche und Vernetzung "
                    "entwicklungspolitisch engagierter migrantischer Akteure"
                ),
                "paper_type": "Kenntnisgabe öffentlich",
                "date": date(2020, 2, 20),
                "web_url": "https://ratsinfo.eschweiler.example.org/vorlage/065-20",
            },
        )
        if created:
            Consultation.objects.create(
                paper=paper,
                body="Integrationsrat",
                meeting="Sitzung des Integrationsrats",
                date=date(2020, 3, 12),
                role="Kenntnisnahme",
            )
            PaperFile.objects.create(
                paper=paper,
                name="Vorlage 065/20 (PDF)",
                url="https://ratsinfo.eschweiler.example.org/files/vorlage-065-20.pdf",
            )
        paper.engagements.add(self.engagement)
        # A lead the watch found: the council discussing a partnership, not yet assessed.
        partnership, created = self._get_or_create(
            CouncilPaper,
            oparl_id=f"{OPARL}/paper/10421",
            defaults={
                "municipality": town,
                "source": PaperSource.OPARL,
                "reference": "104/21",
                "name": "Städtepartnerschaft mit einer Kommune in Ghana: Prüfauftrag",
                "paper_type": "Antrag",
                "date": date(2021, 3, 4),
                "web_url": "https://ratsinfo.eschweiler.example.org/vorlage/104-21",
            },
        )
        if created:
            Consultation.objects.create(
                paper=partnership,
                body="Ausschuss für Soziales, Senioren und Ehrenamt",
                meeting="Sitzung des Ausschusses",
                date=date(2021, 3, 18),
                role="Vorberatung",
            )
        self._get_or_create(
            Lead,
            paper=partnership,
            defaults={"matched": ["Städtepartnerschaft"], "status": LeadStatus.NEW},
        )
