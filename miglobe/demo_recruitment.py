"""The demo's calls for advisors: Baden-Württemberg's of 2017, and one for NRW open now.

The 2017 call selected the 18 advisors of the BW pool from 30 applications (shared/seeds);
the 12 not accepted were anonymised after the retention time, as the portal does, so
only their status and the call's counts remain. The NRW call runs now (dated from the
day the demo is loaded), with applications in every state of the selection and a
review, so the pool-in-view panel has a shortlist to weigh against the pool.
"""

from __future__ import annotations

from datetime import date, timedelta

from advisors.models import Advisor
from recruitment.enums import ApplicationStatus
from recruitment.models import Application, Call, Criterion, Review, Score

from .demo_engagements import at

CONSENT_TEXT = (
    "Ich willige ein, dass die Servicestelle Kommunen in der Einen Welt (SKEW) der Engagement "
    "Global gGmbH meine Angaben und meinen Lebenslauf für die Auswahl der Berater*innen dieser "
    "Ausschreibung verarbeitet und den an der Auswahl beteiligten Kooperationspartnern zeigt. "
    "Wer nicht aufgenommen wird, dessen Angaben werden sechs Monate nach dem "
    "Bewerbungsschluss gelöscht. Die Einwilligung ist freiwillig und kann jederzeit mit "
    "Wirkung für die Zukunft widerrufen werden, indem die Bewerbung zurückgezogen wird."
)
CRITERIA = [
    "Entwicklungspolitische Erfahrung",
    "Netzwerke in Migrantenorganisationen",
    "Erfahrung mit Kommunen und Verwaltung",
    "Moderation und Beratung",
]
BW_CALL = {
    "slug": "bw-2017",
    "title": "Ausschreibung 2017: Berater*innen für MiGlobe Baden-Württemberg",
    "text": (
        "Die SKEW baut gemeinsam mit dem Forum der Kulturen Stuttgart und dem DEAB einen Pool "
        "von Berater*innen mit Migrationsgeschichte in Baden-Württemberg auf. Die Berater*innen "
        "qualifizieren sich 2017 in sechs Fortbildungswochenenden und beraten ab 2018 Kommunen "
        "dabei, ihre Entwicklungspolitik interkulturell zu öffnen. Die Beratung wird mit einem "
        "Honorar vergütet."
    ),
    "asked_for": (
        "Eigene Migrationsgeschichte; Engagement in einem Verein oder einer Initiative; "
        "Interesse an kommunaler Entwicklungspolitik; Zeit für die sechs Wochenenden 2017 und "
        "für Einsätze an Wochenenden."
    ),
    "places": 18,
}
NRW_CALL = {
    "slug": "nrw-verstaerkung",
    "title": "Verstärkung für den Pool NRW: Berater*innen gesucht",
    "text": (
        "Der MiGlobe-Pool in Nordrhein-Westfalen sucht Verstärkung, besonders aus Regionen und "
        "Communities, die im Pool noch fehlen. Nach der Auswahl folgen die Fortbildungen des "
        "Pools; danach beraten Sie Kommunen in NRW, gemeinsam mit einer erfahrenen Berater*in."
    ),
    "asked_for": (
        "Eigene Migrationsgeschichte; Erfahrung in Vereinen oder Projekten der Entwicklungs- "
        "oder Integrationsarbeit; Freude an Gesprächen mit Verwaltung und Politik."
    ),
    "places": 6,
}
# The 12 of 2017 not accepted: their status only (they are anonymised).
BW_NOT_ACCEPTED = [ApplicationStatus.REJECTED] * 10 + [ApplicationStatus.WITHDRAWN] * 2
# name, email, town, gender, birth year, origins, experience countries, status
NRW_APPLICANTS = [
    ("Thi Mai Nguyen", "thi.mai.nguyen@example.com", "Gelsenkirchen", "female", 1987, ["VN"],
     ["VN"], ApplicationStatus.SHORTLISTED),
    ("Joseph Kamara", "joseph.kamara@example.com", "Bielefeld", "male", 1979, ["SL"], ["SL", "GN"],
     ApplicationStatus.INVITED),
    ("Amina Yusuf", "amina.yusuf@example.com", "Essen", "female", 1993, ["SO"], ["SO", "KE"],
     ApplicationStatus.SHORTLISTED),
    ("Rafael Gómez Ortiz", "rafael.gomez@example.com", "Köln", "male", 1984, ["CO"], ["CO"],
     ApplicationStatus.RECEIVED),
    ("Sevda Yılmaz", "sevda.yilmaz@example.com", "Dortmund", "self", 1990, ["TR"], ["TR"],
     ApplicationStatus.RECEIVED),
    ("Daniel Mensah", "daniel.mensah@example.com", "Bonn", "male", 1996, ["GH"], [],
     ApplicationStatus.UNCONFIRMED),
]  # fmt: skip


class RecruitmentStories:
    """Mixed into DemoWorld: the calls, the applications, the reviews."""

    def _call(self, spec: dict, pool, *, opens, deadline, starts_on) -> Call:
        call, _created = self._get_or_create(
            Call,
            slug=spec["slug"],
            defaults={
                "pool": pool,
                "title": spec["title"],
                "text": spec["text"],
                "asked_for": spec["asked_for"],
                "places": spec["places"],
                "opens_at": opens,
                "deadline": deadline,
                "starts_on": starts_on,
                "consent_text": CONSENT_TEXT,
                "published": True,
            },
        )
        for position, title in enumerate(CRITERIA):
            self._get_or_create(Criterion, call=call, title=title, defaults={"position": position})
        return call

    def recruitment(self) -> None:
        self._bw_call()
        self._nrw_call()

    def _bw_call(self) -> None:
        pool = self.pool["BW"]
        deadline = at(date(2017, 1, 31), 23, 59)
        call = self._call(
            BW_CALL, pool, opens=at(date(2016, 11, 15), 9), deadline=deadline,
            starts_on=date(2017, 3, 1),
        )  # fmt: skip
        if call.applications.exists():
            return
        accepted = Advisor.objects.filter(pools=pool).select_related("user", "home_municipality")
        for i, advisor in enumerate(accepted.order_by("user__name")):
            application = Application.objects.create(
                call=call,
                status=ApplicationStatus.ACCEPTED,
                name=advisor.user.name,
                email=advisor.user.email,
                home_town=advisor.home_municipality.name if advisor.home_municipality else "",
                countries_of_origin=list(advisor.countries_of_origin),
                experience="Engagement in einem Verein mit Projekten im Herkunftsland.",
                motivation="Kommunen und Migrantenorganisationen zusammenbringen.",
                availability="Wochenenden",
                gender=advisor.gender if advisor.gender != "unspecified" else "",
                birth_year=advisor.birth_year,
                consent_text=CONSENT_TEXT,
                consent_given_at=at(date(2016, 12, 1), 18) + timedelta(days=i),
                confirmed_at=at(date(2016, 12, 1), 18) + timedelta(days=i, minutes=5),
                decided_at=at(date(2017, 2, 20), 12),
                decided_by=self.skew,
                advisor=advisor,
            )
            application.languages.set(advisor.languages.all())
            application.expertise.set(advisor.expertise.all())
        for status in BW_NOT_ACCEPTED:
            Application.objects.create(
                call=call,
                status=status,
                name="",
                email="",
                home_town="",
                experience="",
                motivation="",
                availability="",
                consent_text=CONSENT_TEXT,
                consent_given_at=at(date(2016, 12, 10), 12),
                decided_at=at(date(2017, 2, 20), 12),
                anonymised_at=at(date(2017, 8, 1), 3),
            )
        self.created["Bewerbungen"] += call.applications.count()

    def _nrw_call(self) -> None:
        pool = self.pool["NW"]
        today = self.today
        call = self._call(
            NRW_CALL, pool, opens=at(today - timedelta(days=40), 9),
            deadline=at(today + timedelta(days=24), 23, 59),
            starts_on=date(today.year + 1, 3, 1),
        )  # fmt: skip
        criteria = list(call.criteria.all())
        for i, row in enumerate(NRW_APPLICANTS):
            name, email, town, gender, year, origins, experience, status = row
            application, created = self._get_or_create(
                Application,
                call=call,
                email=email,
                defaults={
                    "name": name,
                    "status": status,
                    "home_town": town,
                    "gender": gender,
                    "gender_self": "nichtbinär" if gender == "self" else "",
                    "birth_year": year,
                    "countries_of_origin": origins,
                    "countries_of_experience": experience,
                    "experience": (
                        "Mitarbeit in einem Verein der Community; Projekte mit Schulen und "
                        "mit Partnern im Herkunftsland."
                    ),
                    "motivation": (
                        "Ich möchte erreichen, dass die Stadtverwaltung die Vereine der "
                        "Diaspora als Partner der Eine-Welt-Arbeit sieht."
                    ),
                    "availability": "An Wochenenden und manchmal abends.",
                    "consent_text": CONSENT_TEXT,
                    "consent_given_at": at(today - timedelta(days=30 - i), 20),
                    "confirmed_at": None
                    if status == ApplicationStatus.UNCONFIRMED
                    else at(today - timedelta(days=30 - i), 20, 10),
                    "interview_at": at(today + timedelta(days=9), 15)
                    if status == ApplicationStatus.INVITED
                    else None,
                    "interview_place": "Eine Welt Netz NRW, Düsseldorf"
                    if status == ApplicationStatus.INVITED
                    else "",
                    "language": "de",
                },
            )
            if created:
                application.languages.set(
                    [self.languages[c] for c in ("de", "en") if c in self.languages]
                )
                application.expertise.set([self.fields["B"], self.fields["S"]][: 1 + i % 2])
            if status in ApplicationStatus.chosen() and criteria:
                review, made = self._get_or_create(
                    Review,
                    application=application,
                    reviewer=self.skew,
                    defaults={"comment": "Gute Verbindungen in die Community. Offen: Zeit?"},
                )
                if made:
                    for n, criterion in enumerate(criteria):
                        Score.objects.create(
                            review=review, criterion=criterion, value=3 + (i + n) % 3
                        )
