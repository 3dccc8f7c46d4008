"""The demo's engagements, told through the portal's own services on their own dates.

Eschweiler (October 2019 to December 2020) runs from the officer's draft request to
the answered twelve-month follow-up; Witten runs now, dated from the day the demo is
loaded. Each step calls the service a person would have used, so the request's and
the engagement's histories, the final report and the follow-ups are the real thing,
on a clock set to the step's date (time-machine, a dev dependency like Faker). The
past sends no mail: the outbox is muted while the story plays.

Every step looks at the state first and does nothing when it is done already, so a
second run changes nothing, and a database with an older demo (Eschweiler still
running) is carried forward to the same end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import time_machine

from actors.models import ResearchFinding
from core import outbox
from engagements import lifecycle
from engagements.enums import EngagementStatus, EntryStatus, MilestoneKind
from engagements.models import (
    Department,
    Engagement,
    Expense,
    MunicipalOfficer,
    TimeEntry,
)
from engagements.reports import report_generate, report_send
from engagements.services import (
    request_accept,
    request_post_message,
    request_save_draft,
    request_start_review,
    request_submit,
)
from events.enums import RegistrationStatus
from events.models import Event, EventSession, Registration
from outcomes import follow_up as follow_ups
from outcomes import services as outcomes
from outcomes.enums import Decision, Effort, Implementation
from outcomes.models import ActionOption, FinalReport, FollowUp

if TYPE_CHECKING:
    from advisors.models import Advisor
    from core.models import User

BERLIN = ZoneInfo("Europe/Berlin")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN)


@dataclass
class Step:
    """Something that happened, and when; `run` does nothing if it is done already."""

    when: datetime
    run: Callable[[], object]


def play(steps: list[Step]) -> None:
    """Run the steps in the order of their dates, each on its own date, sending no mail."""
    with outbox.muted():
        for step in sorted(steps, key=lambda s: s.when):
            with time_machine.travel(step.when, tick=False):
                step.run()


# --- Eschweiler ---------------------------------------------------------------------

ESCHWEILER_TITLE = (
    "MiGlobe – Recherche und Vernetzung entwicklungspolitisch engagierter migrantischer "
    "Akteure in Eschweiler"
)
ESCHWEILER_GOALS = (
    "Recherche entwicklungspolitisch engagierter migrantischer Akteure in Eschweiler sowie "
    "die Vernetzung dieser untereinander und mit der Stadt. Neben einer Erhöhung des "
    "zivilgesellschaftlichen Engagements in Eschweiler soll der Beratungseinsatz auch zu einer "
    "positiven Öffentlichkeitswirkung für migrantische Akteure führen und damit Integration in "
    "Eschweiler fördern."
)
ESCHWEILER_NEED = (
    "Die Recherche nach entsprechenden Akteuren in der Region soll im ersten Halbjahr 2020 "
    "abgeschlossen werden. Im Herbst 2020 soll die Verwaltung in Kooperation mit MiGlobe ein "
    "Informations- und Vernetzungstreffen mit den entwicklungspolitisch engagierten und "
    "interessierten migrantischen Akteuren ausrichten."
)
ESCHWEILER_DEPARTMENTS = [
    ("231", "Integration und Vielfalt"),
    ("501", "Soziales, Senioren und Ehrenamt"),
]
ESCHWEILER_TOWN_HALL = ("Rathaus Eschweiler, Ratssaal", "Johannes-Rau-Platz 1, 52249 Eschweiler")

# Time and expenses of the two advisors (slot 1 or 2): all approved by the end.
APPROVED = EntryStatus.APPROVED
ESCHWEILER_TIME = [
    (1, date(2019, 10, 8), "3.50", "Auftaktgespräch mit den Fachabteilungen 231 und 501",
     APPROVED),
    (1, date(2019, 11, 12), "4.00", "Recherche im Vereinsregister und im Internet", APPROVED),
    (2, date(2019, 12, 3), "5.00", "Gespräche mit afrikanischen Vereinen", APPROVED),
    (1, date(2020, 1, 21), "5.00", "Gespräche mit Migrantenorganisationen", APPROVED),
    (1, date(2020, 3, 12), "3.00", "Vorstellung im Integrationsrat", APPROVED),
    (2, date(2020, 5, 19), "4.50", "Telefoninterviews mit Vereinen", APPROVED),
    (1, date(2020, 6, 26), "6.00", "Auswertung der Recherche", APPROVED),
    (1, date(2020, 9, 15), "2.50", "Vorbereitung des Vernetzungstreffens", APPROVED),
]  # fmt: skip
ESCHWEILER_EXPENSES = [
    (1, date(2019, 10, 8), "travel", "12.40", "Fahrkarte Aachen–Eschweiler und zurück",
     APPROVED),
    (1, date(2020, 3, 10), "material", "48.50", "Druck von Informationsflyern", APPROVED),
    (2, date(2020, 3, 12), "travel", "12.40", "Fahrt zum Integrationsrat", APPROVED),
    (1, date(2020, 11, 10), "other", "35.70", "Videokonferenz für das Vernetzungstreffen",
     APPROVED),
]  # fmt: skip


ESCHWEILER_ORGS = [
    ("Afrikanischer Kulturverein Eschweiler-Aachen e. V.",
     "migrant_org", ["NG", "GH", "CM"], ["NG", "CM"], "regional", "SB", 2006),
    ("Marokkanischer Elternverein Eschweiler e. V.", "migrant_org", ["MA"], [], "local", "B", 2001),
    ("Türkisch-Deutscher Freundschaftsverein Eschweiler-Ost e. V.",
     "migrant_org", ["TR"], [], "local", "", 1984),
    ("Syrische Gemeinschaft an der Inde e. V.",
     "migrant_org", ["SY"], ["SY"], "local", "S", 2016),
    ("Kurdischer Kulturverein Eschweiler e. V.",
     "migrant_org", ["TR", "SY", "IQ"], [], "local", "", 1999),
    ("Ghanaischer Selbsthilfeverein Dürwiß e. V.",
     "migrant_org", ["GH"], ["GH"], "international", "SP", 2011),
    ("Deutsch-Polnischer Treffpunkt Eschweiler e. V.",
     "migrant_org", ["PL"], ["PL"], "local", "P", 1995),
    ("Weltladen-Initiative Eschweiler e. V.", "association", [], [], "local", "FB", 1989),
]  # fmt: skip
ESCHWEILER_WITH_CONSENT = {0, 1, 3, 5, 7}


ESCHWEILER_COUNCIL_TITLE = "Vorstellung von MiGlobe im Integrationsrat Eschweiler"

ESCHWEILER_MEETING_TITLE = "Informations- und Vernetzungstreffen Eschweiler (online)"

# The milestones as they went. kind → the date they moved to, when and why; done on, note.
ESCHWEILER_COURSE = {
    MilestoneKind.COUNCIL_PRESENTATION: (
        date(2020, 3, 12), date(2020, 1, 20),
        "Sitzung des Integrationsrats am 12.03.2020 (Kenntnisgabe, Vorlage 065/20).",
        date(2020, 3, 12), "Vorstellung von MiGlobe und des Beratungseinsatzes im Integrationsrat.",
    ),
    MilestoneKind.RESEARCH: (
        date(2020, 6, 30), date(2020, 3, 20),
        "Wegen der Kontaktbeschränkungen sind Gespräche nur telefonisch möglich.",
        date(2020, 7, 10),
        "Recherche im ersten Halbjahr 2020: Vereinsregister, Internet, Gespräche.",
    ),
    MilestoneKind.NETWORK_MEETING: (
        date(2020, 11, 19), date(2020, 9, 1),
        "Nach der Corona-Schutzverordnung als Online-Treffen im November.",
        date(2020, 11, 19), "Online-Treffen mit Verwaltung, Vereinen und der Weltladen-Initiative.",
    ),
    MilestoneKind.FINAL_REPORT: (
        date(2020, 12, 15), date(2020, 11, 24),
        "Vor der letzten Sitzung des Integrationsrats im Jahr.",
        date(2020, 12, 15), "Handlungsoptionen für die Stadt Eschweiler.",
    ),
}  # fmt: skip

# title, description, department, field of action (letter), effort, organisations
# (indexes of ESCHWEILER_ORGS), drafted on, by (slot), decision, reason
ESCHWEILER_OPTIONS = [
    ("Jährliches Vernetzungstreffen Migration und Entwicklung",
     "Die Stadt lädt einmal im Jahr die entwicklungspolitisch engagierten migrantischen Vereine, "
     "die Weltladen-Initiative und die Fachabteilungen 231 und 501 ein. Themen und Moderation "
     "werden mit den Vereinen vorbereitet; das erste Treffen war das Online-Treffen im November "
     "2020.", "231", "P", Effort.LOW, [0, 5, 7], date(2020, 9, 8), 1, Decision.ADOPTED, ""),
    ("Feste Ansprechperson für Eine-Welt-Engagement in der Verwaltung",
     "Eine Ansprechperson in der Abteilung 501 berät Vereine mit Projekten in den "
     "Herkunftsländern zu Fördermitteln (etwa der SKEW), Räumen und Öffentlichkeitsarbeit und "
     "hält den Kontakt zum Integrationsrat.", "501", "S", Effort.HIGH, [0, 3, 5],
     date(2020, 9, 22), 2, Decision.PLANNED, ""),
    ("Globales Lernen an Eschweiler Schulen mit migrantischen Referent*innen",
     "Vereine, die in Schulen über ihre Herkunftsländer und ihre Projekte berichten, werden über "
     "das Bildungsbüro an Schulen vermittelt; die Stadt übernimmt die Honorare.", "501", "B",
     Effort.MEDIUM, [1, 3], date(2020, 10, 13), 1, Decision.ADOPTED, ""),
    ("Projektpartnerschaft mit einer Kommune in Ghana prüfen",
     "Mit dem Ghanaischen Selbsthilfeverein Dürwiß prüft die Stadt eine kommunale "
     "Projektpartnerschaft (Förderprogramm Nachhaltige Kommunale Entwicklung durch "
     "Partnerschaftsprojekte der SKEW).", "231", "P", Effort.HIGH, [5], date(2020, 11, 24), 2,
     Decision.NOT_PURSUED,
     "Für eine Partnerschaft fehlen derzeit Personal und Haushaltsmittel; die Stadt greift das "
     "Thema bei der Haushaltsplanung 2023 wieder auf."),
]  # fmt: skip
# (when, by: "officer" or advisor slot, option index, text)
ESCHWEILER_COMMENTS = [
    (at(date(2020, 9, 15), 11), "officer", 0,
     "Gute Idee. Können wir das Treffen mit der Interkulturellen Woche verbinden? Dann kommen "
     "mehr Vereine."),
    (at(date(2020, 9, 17), 19), 1, 0,
     "Ja, das passt: Der Afrikanische Kulturverein plant dort ohnehin einen Beitrag."),
    (at(date(2020, 11, 30), 10), "officer", 3,
     "Wir nehmen das gern auf, können es aber 2021 nicht finanzieren."),
]  # fmt: skip
# option index → the answers after six and after twelve months (implementation, note)
ESCHWEILER_FOLLOW_UP = {
    0: ((Implementation.IN_PROGRESS, "Das zweite Treffen ist für November geplant."),
        (Implementation.IMPLEMENTED, "Zweites Treffen im November 2021 im Rathaus, 17 Vereine.")),
    1: ((Implementation.NOT_IMPLEMENTED, "Die Stelle ist für den Haushalt 2022 beantragt."),
        (Implementation.IN_PROGRESS, "Die Stelle wird zum 1. März 2022 besetzt.")),
    2: ((Implementation.IMPLEMENTED, "Zwei Schulen, vier Workshops im Frühjahr 2021."),
        (Implementation.IMPLEMENTED, "Fester Teil der Projektwoche an drei Schulen.")),
}  # fmt: skip

# --- Witten: the engagement that runs now --------------------------------------------

WITTEN_OFFICER_EMAIL = "officer@witten.example.org"
WITTEN_OFFICER = ("Miriam Kaltenbach", "Koordination Nachhaltigkeit und Eine Welt")
WITTEN_DEPARTMENTS = [
    ("15", "Stabsstelle Nachhaltigkeit und Klimaschutz"),
    ("50", "Amt für Soziales und Integration"),
]
WITTEN_GOALS = (
    "Die Stadt Witten schreibt ihre Nachhaltigkeitsstrategie fort. Im Handlungsfeld „Globale "
    "Verantwortung und Eine Welt“ sollen Organisationen von Migrant*innen von Anfang an "
    "mitwirken: Wir möchten wissen, wer sich in Witten für Projekte in den Herkunftsländern, "
    "Bildungsarbeit oder fairen Handel engagiert, und diese Akteure mit der Verwaltung und den "
    "Eine-Welt-Gruppen zusammenbringen."
)
WITTEN_NEED = (
    "Recherche der Akteure, Gespräche mit den Vereinen, Vorstellung im Ausschuss für Soziales "
    "und Integration, ein Vernetzungstreffen im Rathaus und Handlungsoptionen für die "
    "Fortschreibung der Strategie."
)
# name, kind, countries of origin, countries of activity, scope, fields, founded
WITTEN_ORGS = [
    ("Ghanaische Union Witten e. V.", "migrant_org", ["GH"], ["GH"], "international", "SB", 2005),
    ("Deutsch-Türkischer Kulturverein Witten-Annen e. V.",
     "migrant_org", ["TR"], [], "local", "", 1982),
    ("Syrisch-Deutscher Brückenverein Witten e. V.",
     "migrant_org", ["SY"], ["SY"], "local", "S", 2017),
    ("Kenianischer Frauenverein Ruhr-Süd e. V.",
     "migrant_org", ["KE"], ["KE"], "regional", "SB", 2012),
    ("Polnischer Kulturkreis Witten e. V.", "migrant_org", ["PL"], [], "local", "B", 1998),
    ("Eine-Welt-Forum Witten e. V.", "association", [], [], "local", "FB", 1993),
]  # fmt: skip
WITTEN_WITH_CONSENT = {0, 3, 5}
WITTEN_FOUND = [0, 1, 3, 4, 5]  # the Syrian association is not found yet: a lead to follow
WITTEN_POSTCODES = ["58452", "58453", "58454", "58455", "58456"]

# Dates are ("start", days after the engagement's start) or ("today", days from today).
# slot, date, hours, activity, status
WITTEN_TIME = [
    (1, ("start", 6), "3.00", "Auftaktgespräch mit der Stabsstelle und dem Amt 50", "approved"),
    (2, ("start", 13), "4.50", "Recherche im Vereinsregister und im Internet", "approved"),
    (1, ("start", 27), "5.00", "Gespräche mit der Ghanaischen Union und dem Eine-Welt-Forum",
     "approved"),
    (2, ("today", -24), "3.50", "Telefoninterviews mit Vereinen", "submitted"),
    (1, ("today", -12), "2.50", "Vorbereitung der Ausschusssitzung", "submitted"),
    (1, ("today", -3), "4.00", "Auswertung der Gespräche", "draft"),
]  # fmt: skip
# slot, date, category, amount, description, status
WITTEN_EXPENSES = [
    (1, ("start", 6), "travel", "9.80", "Fahrkarte Aachen–Witten und zurück", "approved"),
    (2, ("today", -12), "travel", "6.40", "Fahrt zur Ausschusssitzung", "submitted"),
    (1, ("today", -3), "material", "36.90", "Druck der Einladungen zum Vernetzungstreffen",
     "draft"),
]  # fmt: skip
# As ESCHWEILER_OPTIONS, drafted some days before today, not decided yet.
WITTEN_OPTIONS = [
    ("Migrantenorganisationen im Beirat der Nachhaltigkeitsstrategie",
     "Zwei Sitze im Beirat der Nachhaltigkeitsstrategie gehen an Organisationen von "
     "Migrant*innen; die Stabsstelle lädt sie zu den Sitzungen des Handlungsfelds Eine Welt ein.",
     "15", "P", Effort.LOW, [0, 3], -20, 1),
    ("Kleinprojektefonds Eine Welt für Vereine",
     "Ein kleiner Fonds der Stadt (etwa 5.000 Euro im Jahr) fördert Veranstaltungen und "
     "Bildungsprojekte von Vereinen zu ihren Herkunftsländern; das Eine-Welt-Forum berät bei den "
     "Anträgen.", "50", "B", Effort.MEDIUM, [0, 5], -6, 2),
]  # fmt: skip


class EngagementStories:
    """The engagements of DemoWorld (mixed into it: uses its towns, people and helpers)."""

    # -- shared ------------------------------------------------------------------------

    def _open_request(self, *, officer: MunicipalOfficer, data: dict, topics: list,
                      departments: list[Department], dates: dict[str, datetime],
                      messages: list[tuple[datetime, User, str]], advisors: list[Advisor],
                      period: tuple[date, date], budget: Decimal) -> Engagement:  # fmt: skip
        """A new request from the officer's draft to its engagement's start."""
        state: dict = {}

        def draft():
            state["request"] = request_save_draft(
                officer=officer, data=data, topics=topics, departments=departments
            )

        def submit():
            request_submit(consultation_request=state["request"], by=officer.user)

        def review():
            request_start_review(consultation_request=state["request"], by=self.skew)

        def message(author: User, body: str) -> Callable[[], object]:
            return lambda: request_post_message(
                consultation_request=state["request"], author=author, body=body
            )

        def accept():
            state["engagement"] = request_accept(
                consultation_request=state["request"],
                by=self.skew,
                advisors=advisors,
                starts_on=period[0],
                ends_on=period[1],
                budget=budget,
            )

        def start():
            lifecycle.engagement_start(engagement=state["engagement"], by=self.skew)

        play(
            [
                Step(dates["drafted"], draft),
                Step(dates["submitted"], submit),
                Step(dates["reviewed"], review),
                *(Step(when, message(author, body)) for when, author, body in messages),
                Step(dates["accepted"], accept),
                Step(at(period[0], 9), start),
            ]
        )
        self.created["Beratungsanfragen"] += 1
        self.created["Beratungseinsätze"] += 1
        return Engagement.objects.get(pk=state["engagement"].pk)

    def _course(self, engagement: Engagement, course: dict, *, by: User) -> list[Step]:
        """Steps that move each open milestone of `course` to its date and mark it done."""
        steps = []
        for milestone in engagement.milestones.filter(kind__in=course, done_on=None):
            due, moved_on, reason, done, note = course[milestone.kind]
            if milestone.due_on != due:
                steps.append(
                    Step(
                        at(moved_on, 12),
                        lambda m=milestone, d=due, r=reason: lifecycle.milestone_move(
                            milestone=m, by=by, due_on=d, reason=r
                        ),
                    )
                )
            steps.append(
                Step(
                    at(done, 18),
                    lambda m=milestone, d=done, n=note: lifecycle.milestone_complete(
                        milestone=m, by=by, done_on=d, note=n
                    ),
                )
            )
        return steps  # fmt: skip

    def _options(
        self, engagement: Engagement, rows: list, *, organisations: list, advisors: dict
    ) -> tuple[list[Step], dict[int, ActionOption]]:
        """Steps that draft the options not there yet, and the options by index (filled in)."""
        departments = {d.number: d for d in engagement.municipality.departments.all()}
        options = {
            i: option
            for i, row in enumerate(rows)
            if (option := ActionOption.objects.filter(engagement=engagement, title=row[0]).first())
        }
        steps = []
        for i, (title, text, dept, field, effort, orgs, when, slot) in enumerate(rows):
            if i in options:
                continue

            def draft(i=i, title=title, text=text, dept=dept, field=field, effort=effort,
                      orgs=orgs, slot=slot):  # fmt: skip
                chosen = [organisations[k] for k in orgs]
                options[i] = outcomes.option_save(
                    engagement=engagement,
                    by=advisors[slot].user,
                    title=title,
                    description=text,
                    department=departments[dept],
                    field_of_action=self.fields[field],
                    effort=effort,
                    organisations=chosen,
                    findings=ResearchFinding.objects.filter(
                        engagement=engagement, organisation__in=chosen
                    ),
                )
                self.created["Handlungsoptionen"] += 1

            steps.append(Step(when, draft))
        return steps, options

    def _comment(self, options: dict, i: int, author: User, text: str) -> Callable[[], object]:
        def run():
            if not options[i].comments.filter(author=author).exists():
                outcomes.option_comment(option=options[i], by=author, text=text)

        return run

    def _entries(self, engagement: Engagement, who: dict, times: list, expenses: list) -> None:
        for slot, day, hours, activity, status in times:
            self._get_or_create(
                TimeEntry,
                engagement=engagement,
                advisor=who[slot],
                activity=activity,
                defaults={"date": day, "hours": Decimal(hours), **self._entry_state(day, status)},
            )
        for slot, day, category, amount, description, status in expenses:
            self._get_or_create(
                Expense,
                engagement=engagement,
                advisor=who[slot],
                description=description,
                defaults={
                    "date": day,
                    "category": category,
                    "amount": Decimal(amount),
                    **self._entry_state(day, status),
                },
            )

    def _entry_state(self, day: date, status: str) -> dict:
        values: dict = {"status": status}
        if status in (EntryStatus.SUBMITTED, EntryStatus.APPROVED):
            values["submitted_at"] = at(day + timedelta(days=3), 20)
        if status == EntryStatus.APPROVED:
            values["approved_at"] = at(day + timedelta(days=10), 11)
            values["approved_by"] = self.skew
        return values

    # -- Eschweiler ----------------------------------------------------------------------

    def eschweiler(self):
        """The request of June 2019, the engagement, its research and its costs."""
        town = self.towns["Eschweiler"]
        departments = [
            self._get_or_create(Department, municipality=town, number=n, defaults={"name": d})[0]
            for n, d in ESCHWEILER_DEPARTMENTS
        ]
        first, second = self.login_advisor, self.eschweiler_second
        engagement = Engagement.objects.filter(title=ESCHWEILER_TITLE, municipality=town).first()
        if engagement is None:
            engagement = self._eschweiler_request(departments, first, second)
        self.engagement = engagement

        council, _ = self._get_or_create(
            Event,
            title=ESCHWEILER_COUNCIL_TITLE,
            defaults={
                "kind": "council_presentation",
                "description": (
                    "In der Sitzung des Integrationsrats stellt MiGlobe das Projekt im "
                    "Allgemeinen und den Beratungseinsatz in Eschweiler vor (Kenntnisgabe, "
                    "Vorlage 065/20)."
                ),
                "engagement": engagement,
                "municipality": town,
                "organiser": "Integrationsrat der Stadt Eschweiler",
                "venue": ESCHWEILER_TOWN_HALL[0],
                "venue_address": ESCHWEILER_TOWN_HALL[1],
                "starts_at": at(date(2020, 3, 12), 17),
                "ends_at": at(date(2020, 3, 12), 19, 30),
                "is_public": True,
            },
        )
        self._get_or_create(
            EventSession,
            event=council,
            title="MiGlobe und der Beratungseinsatz in Eschweiler",
            defaults={
                "kind": "talk",
                "speakers": f"{first.user.name} (MiGlobe)",
                "starts_at": at(date(2020, 3, 12), 17, 30),
                "ends_at": at(date(2020, 3, 12), 18),
            },
        )

        # Organisations found by the research, and the findings themselves.
        sources = ["register", "web", "conversation", "event"]
        self.eschweiler_orgs = []
        for i, row in enumerate(ESCHWEILER_ORGS):
            org, contact = self._organisation(row, town, ["52249"])
            self.eschweiler_orgs.append(org)
            found_on = date(2019, 11, 4) + timedelta(days=self.rng.randint(0, 230))
            if i in ESCHWEILER_WITH_CONSENT:
                self._consent(
                    org,
                    given_by=contact.name,
                    given_at=at(found_on, 16) + timedelta(days=self.rng.randint(7, 60)),
                    wording=self.wording_2018,
                )
            self._get_or_create(
                ResearchFinding,
                engagement=engagement,
                organisation=org,
                defaults={
                    "advisor": first if i % 3 else second,
                    "source": sources[i % len(sources)],
                    "found_on": found_on,
                    "notes": (
                        f"Gespräch mit {contact.name} ({contact.role}). Interesse an einem "
                        "Vernetzungstreffen mit der Stadt; Kontakt über die "
                        "Integrationsbeauftragte."
                    ),
                },
            )
        self._entries(engagement, {1: first, 2: second}, ESCHWEILER_TIME, ESCHWEILER_EXPENSES)

    def _eschweiler_request(self, departments, first, second) -> Engagement:
        officer = self.officer
        engagement = self._open_request(
            officer=officer,
            data={
                "goals": ESCHWEILER_GOALS,
                "need": ESCHWEILER_NEED,
                "has_integration_commissioner": True,
                "has_integration_council": True,
                "contact_name": officer.user.name,
                "contact_email": officer.user.email,
                "preferred_start": date(2019, 10, 1),
                "preferred_end": date(2020, 12, 31),
                "costs_confirmed": True,
            },
            topics=[self.fields["S"], self.fields["B"]],
            departments=departments,
            dates={
                "drafted": at(date(2019, 6, 14), 9, 40),
                "submitted": at(date(2019, 6, 17), 10, 12),
                "reviewed": at(date(2019, 6, 19), 8, 55),
                "accepted": at(date(2019, 9, 2), 14),
            },
            messages=[
                (
                    at(date(2019, 6, 19), 9, 10),
                    self.skew,
                    "Vielen Dank für Ihre Anfrage! Welche Fachabteilungen sollen den Einsatz "
                    "begleiten, und gibt es schon einen Termin im Integrationsrat?",
                ),
                (
                    at(date(2019, 6, 24), 14, 30),
                    officer.user,
                    "Die Abteilungen 231 (Integration) und 501 (Soziales, Ehrenamt) koordinieren "
                    "gemeinsam. Den Integrationsrat möchten wir Anfang 2020 informieren.",
                ),
            ],
            advisors=[first, second],
            period=(date(2019, 10, 1), date(2020, 12, 31)),
            budget=Decimal("12000.00"),
        )
        # SKEW names the engagement after the council paper once it is accepted.
        Engagement.objects.filter(pk=engagement.pk).update(
            title=ESCHWEILER_TITLE, council_submission="Vorlage 065/20"
        )
        engagement.refresh_from_db()
        return engagement

    def eschweiler_outcome(self) -> None:
        """Eschweiler to its end: the course, the options, the report, the follow-ups."""
        engagement = Engagement.objects.select_related("municipality").get(pk=self.engagement.pk)
        first = self.login_advisor
        advisors = {1: first, 2: self.eschweiler_second}
        officer = self.officer_user
        people = self._meeting_people()
        steps = []
        if engagement.status in EngagementStatus.open():
            steps += self._course(engagement, ESCHWEILER_COURSE, by=first.user)
            rows = [(*row[:6], at(row[6], 16), row[7]) for row in ESCHWEILER_OPTIONS]
            drafts, options = self._options(
                engagement, rows, organisations=self.eschweiler_orgs, advisors=advisors
            )
            steps += drafts
            steps.append(Step(at(date(2020, 11, 19), 19), lambda: self._eschweiler_meeting(people)))
            for when, by, i, text in ESCHWEILER_COMMENTS:
                author = officer if by == "officer" else advisors[by].user
                steps.append(Step(when, self._comment(options, i, author, text)))
            for i, row in enumerate(ESCHWEILER_OPTIONS):

                def decide(i=i, decision=row[8], reason=row[9]):
                    if not options[i].decision:
                        outcomes.option_decide(
                            option=options[i], by=officer, decision=decision, reason=reason
                        )

                steps.append(Step(at(date(2020, 12, 8), 15, i), decide))

            def complete():
                lifecycle.engagement_complete(engagement=engagement, by=self.skew)

            steps += [
                Step(at(date(2020, 12, 11), 10), lambda: self._final_report(engagement)),
                Step(at(date(2020, 12, 14), 9), lambda: self._confirm(engagement, officer)),
                Step(at(date(2020, 12, 15), 12), lambda: self._confirm(engagement, self.skew)),
                Step(at(date(2020, 12, 18), 11), complete),
            ]
        # In January SKEW reimburses the pool's approved time and expenses up to December.
        steps.append(Step(at(date(2021, 1, 8), 10), lambda: self._reimburse(engagement.pool)))
        play(steps)
        self._follow_ups(engagement)

    def _meeting_people(self) -> list:
        """Who came to the online meeting (drawn on every run: later draws stay the same)."""
        people = [
            (contact.name, org, "migrant_org" if org.kind == "migrant_org" else "institution")
            for org in self.eschweiler_orgs
            if (contact := org.contacts.first())
        ]
        people += [(self.community_name(c), None, "private") for c in ("TR", "MA", "SY", "GH")]
        people += [(self.german_name(), None, "municipal") for _ in range(3)]
        return people

    def _eschweiler_meeting(self, people: list) -> None:
        """The online network meeting of November 2020, and who came."""
        event, created = self._get_or_create(
            Event,
            title=ESCHWEILER_MEETING_TITLE,
            defaults={
                "kind": "network_meeting",
                "description": (
                    "Informations- und Vernetzungstreffen der Stadt Eschweiler mit "
                    "entwicklungspolitisch engagierten migrantischen Akteuren, wegen der "
                    "Pandemie als Videokonferenz. Die Berater*innen stellen die Ergebnisse der "
                    "Recherche vor; in zwei Gruppen entstehen erste Handlungsoptionen."
                ),
                "engagement": self.engagement,
                "municipality": self.engagement.municipality,
                "organiser": "Stadt Eschweiler, Abteilungen 231 und 501, mit MiGlobe",
                "venue": "Online (Videokonferenz)",
                "starts_at": at(date(2020, 11, 19), 17),
                "ends_at": at(date(2020, 11, 19), 19),
                "capacity": 30,
                "is_public": True,
            },
        )
        if not created:
            return
        for i, (name, org, category) in enumerate(people):
            domain = org.email.split("@", 1)[1] if org else "example.com"
            if category == "municipal":
                domain = "eschweiler.example.org"
            Registration.objects.create(
                event=event,
                name=name,
                email=self.email_for(name, domain),
                organisation=org,
                organisation_name="Stadt Eschweiler" if category == "municipal" else "",
                category=category,
                status=RegistrationStatus.CONFIRMED,
                attended=i % 5 != 4,
            )
        self.created["Anmeldungen"] += len(people)

    def _reimburse(self, pool) -> None:
        report = report_generate(
            pool=pool,
            period_start=date(2020, 12, 1),
            period_end=date(2020, 12, 31),
            requested_by=self.skew,
        )
        if report.sent_at is None:
            report_send(report=report)

    def _final_report(self, engagement: Engagement) -> None:
        if not FinalReport.objects.filter(engagement=engagement).exists():
            outcomes.final_report_generate(engagement=engagement, by=self.skew, language="de")
            self.created["Abschlussberichte"] += 1

    def _confirm(self, engagement: Engagement, who: User) -> None:
        report = FinalReport.objects.filter(engagement=engagement).order_by("-version").first()
        if report is not None:
            outcomes.final_report_confirm(report=report, by=who, as_skew=who.pk == self.skew.pk)

    def _follow_ups(self, engagement: Engagement) -> None:
        """Asked at six and twelve months, reminded once after twelve, answered each time."""
        engagement.refresh_from_db()
        if engagement.status != EngagementStatus.COMPLETED or engagement.completed_on is None:
            return
        options = list(engagement.action_options.order_by("created_at", "pk"))
        steps = []
        for n, (months, answered_after) in enumerate(((6, 11), (12, 23))):
            asked_on = follow_ups.months_later(engagement.completed_on, months)
            if asked_on + timedelta(days=answered_after) > self.today:
                continue
            for day in (asked_on, asked_on + timedelta(days=follow_ups.REMIND_AFTER_DAYS)):
                # The daily task on that morning: asks, or reminds those not answered yet.
                steps.append(Step(at(day, 8), lambda d=day: follow_ups.ask_due(today=d)))

            def reply(months=months, n=n):
                follow_up = FollowUp.objects.get(engagement=engagement, months=months)
                if follow_up.answered_at is None:
                    answers = {options[i].pk: pair[n] for i, pair in ESCHWEILER_FOLLOW_UP.items()}
                    follow_ups.answer(follow_up=follow_up, answers=answers)

            steps.append(Step(at(asked_on + timedelta(days=answered_after), 10), reply))
        play(steps)

    # -- Witten ------------------------------------------------------------------------------

    @property
    def witten_start(self) -> date:
        """Witten's first day: the first of the month some four and a half months ago."""
        return (self.today - timedelta(days=135)).replace(day=1)

    def _witten_day(self, spec: tuple[str, int]) -> date:
        base, days = spec
        return (self.witten_start if base == "start" else self.today) + timedelta(days=days)

    def witten(self) -> None:
        """The engagement that runs now: its dates count from the day the demo is loaded."""
        town = self.towns["Witten"]
        start = self.witten_start
        officer_user = self._user(WITTEN_OFFICER_EMAIL, WITTEN_OFFICER[0], login=True)
        officer, _ = self._get_or_create(
            MunicipalOfficer,
            user=officer_user,
            defaults={
                "municipality": town,
                "role": WITTEN_OFFICER[1],
                "confirmed_at": at(start - timedelta(days=125), 11),
                "confirmed_by": self.skew,
            },
        )
        departments = [
            self._get_or_create(Department, municipality=town, number=n, defaults={"name": d})[0]
            for n, d in WITTEN_DEPARTMENTS
        ]
        orgs = []
        for i, row in enumerate(WITTEN_ORGS):
            org, contact = self._organisation(row, town, WITTEN_POSTCODES)
            orgs.append(org)
            if i in WITTEN_WITH_CONSENT:
                given_at = at(start + timedelta(days=40 + 9 * i), 18)
                self._consent(org, given_by=contact.name, given_at=given_at, wording=self.wording)
        who = {1: self.login_advisor, 2: self.witten_second}
        engagement = Engagement.objects.filter(municipality=town).first()
        if engagement is None:
            engagement = self._open_request(
                officer=officer,
                data={
                    "goals": WITTEN_GOALS,
                    "need": WITTEN_NEED,
                    "has_integration_commissioner": True,
                    "has_integration_council": True,
                    "contact_name": officer_user.name,
                    "contact_email": officer_user.email,
                    "preferred_start": start,
                    "preferred_end": follow_ups.months_later(start, 12) - timedelta(days=1),
                    "costs_confirmed": True,
                },
                topics=[self.fields["P"], self.fields["B"]],
                departments=departments,
                dates={
                    "drafted": at(start - timedelta(days=110), 10),
                    "submitted": at(start - timedelta(days=106), 9, 30),
                    "reviewed": at(start - timedelta(days=100), 8, 45),
                    "accepted": at(start - timedelta(days=70), 14),
                },
                messages=[
                    (
                        at(start - timedelta(days=99), 9),
                        self.skew,
                        "Danke für die Anfrage! Soll der Einsatz schon Vorschläge für den Beirat "
                        "der Nachhaltigkeitsstrategie erarbeiten?",
                    ),
                    (
                        at(start - timedelta(days=97), 15, 20),
                        officer_user,
                        "Ja, gern: Der Beirat wird im nächsten Jahr neu besetzt.",
                    ),
                ],
                advisors=[who[1], who[2]],
                period=(start, follow_ups.months_later(start, 12) - timedelta(days=1)),
                budget=Decimal("10000.00"),
            )
        self.running = engagement
        if engagement.status not in EngagementStatus.open():
            return  # SKEW closed it in this database: the demo leaves it so
        for i in WITTEN_FOUND:
            self._get_or_create(
                ResearchFinding,
                engagement=engagement,
                organisation=orgs[i],
                defaults={
                    "advisor": who[1 if i % 2 == 0 else 2],
                    "source": ["register", "web", "conversation", "event"][i % 4],
                    "found_on": start + timedelta(days=10 + 7 * i),
                    "notes": "Gespräch geführt; Interesse an der Mitarbeit im Beirat.",
                },
            )
        dated = lambda rows: [(r[0], self._witten_day(r[1]), *r[2:]) for r in rows]  # noqa: E731
        self._entries(engagement, who, dated(WITTEN_TIME), dated(WITTEN_EXPENSES))
        self._witten_course(engagement, orgs, who, officer_user)

    def _witten_course(self, engagement, orgs, who, officer_user) -> None:
        """Milestones moved, one done, one overdue; two options drafted, one commented on."""
        today, first = self.today, who[1].user
        council_day = today - timedelta(days=9)
        research_due = today + timedelta(days=14)
        talk = "Gespräch mit dem Integrationsrat"
        milestones = {m.kind: m for m in engagement.milestones.filter(done_on=None)}
        research = milestones.get(MilestoneKind.RESEARCH)
        council = milestones.get(MilestoneKind.COUNCIL_PRESENTATION)

        def move_research():
            lifecycle.milestone_move(
                milestone=research,
                by=first,
                due_on=research_due,
                reason="Mehr Vereine als erwartet; die Gespräche laufen noch.",
            )

        def move_council():
            lifecycle.milestone_move(
                milestone=council,
                by=self.skew,
                due_on=council_day,
                reason="Der Ausschuss für Soziales und Integration tagt früher.",
            )

        def council_done():
            lifecycle.milestone_complete(
                milestone=council,
                by=first,
                done_on=council_day,
                note="Der Ausschuss hat den Einsatz zur Kenntnis genommen.",
            )

        def add_talk():
            # Due some days ago and still open: the dashboard and the reminders show it.
            lifecycle.milestone_add(
                engagement=engagement, by=first, title=talk, due_on=today - timedelta(days=4)
            )

        steps = []
        if research and research.due_on != research_due:
            steps.append(Step(at(today - timedelta(days=15), 18), move_research))
        if council and council.due_on != council_day:
            steps.append(Step(at(council_day - timedelta(days=30), 10), move_council))
        if council:
            steps.append(Step(at(council_day, 20), council_done))
        if not engagement.milestones.filter(title=talk).exists():
            steps.append(Step(at(self.witten_start + timedelta(days=20), 12), add_talk))
        rows = [(*r[:6], at(today + timedelta(days=r[6]), 17), r[7]) for r in WITTEN_OPTIONS]
        drafts, options = self._options(engagement, rows, organisations=orgs, advisors=who)
        steps += drafts
        question = "Klingt gut. Zwei Sitze sind möglich; wer soll sie vorschlagen?"
        steps.append(
            Step(
                at(today - timedelta(days=3), 10), self._comment(options, 0, officer_user, question)
            )
        )
        play(steps)
