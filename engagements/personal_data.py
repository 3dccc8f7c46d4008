"""Where requests, engagements and their costs hold data about a person
(core.personal_data)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.personal_data import Action, Holding, Mentions, Person, anonymise

from .models import (
    ConsultationRequest,
    EngagementAdvisor,
    Expense,
    MunicipalOfficer,
    ReimbursementReport,
    RequestMessage,
    TimeEntry,
)
from .reports import regenerate_files


def _contact(person: Person) -> QuerySet[ConsultationRequest]:
    return ConsultationRequest.objects.filter(
        person.matches(email="contact_email", name="contact_name")
    )


def _erase_contact(requests: QuerySet, person: Person, now: datetime) -> None:
    anonymise(requests, contact_name="", contact_email="", contact_phone="")


def _reports(person: Person) -> QuerySet[ReimbursementReport]:
    if person.user is None:
        return ReimbursementReport.objects.none()
    return ReimbursementReport.objects.filter(
        Q(time_entries__advisor__user=person.user) | Q(expenses__advisor__user=person.user)
    ).distinct()


def _make_reports_again(reports: QuerySet, person: Person, now: datetime) -> None:
    for report in reports:
        regenerate_files(report)


KEPT_FOR_BUDGET_LAW = _(
    "Bleiben mit Datum, Stunden, Beträgen, Status und Belegen, ohne Namen: Das "
    "Haushaltsrecht verlangt, erstattete Kosten zehn Jahre nachzuweisen. Wo eine "
    "Beschreibung den Namen nennt, steht danach „[entfernt]“."
)

HOLDINGS = [
    Holding(
        key="engagements.officer",
        label=_("Zugehörigkeit zu einer Kommune"),
        action=Action.DELETE,
        rule=_("Kommune, Funktion und Telefon der Ansprechperson werden gelöscht."),
        find=lambda person: person.owns(MunicipalOfficer, "user"),
        fields=("municipality__name", "role", "phone", "confirmed_at"),
    ),
    Holding(
        key="engagements.request_contact",
        label=_("Kontaktperson in Beratungsanfragen"),
        action=Action.ANONYMISE,
        rule=_(
            "Name, E-Mail-Adresse und Telefon der Kontaktperson gehen, auch aus dem "
            "Änderungsverlauf; die Anfrage der Kommune bleibt."
        ),
        find=_contact,
        fields=("municipality__name", "status", "contact_name", "contact_email", "contact_phone"),
        erase=_erase_contact,
        search=("contact_name", "contact_email"),
    ),
    Holding(
        key="engagements.requests",
        label=_("Gestellte Beratungsanfragen"),
        action=Action.KEEP,
        rule=_(
            "Bleiben ohne Namen: Eine Anfrage gehört der Kommune, die sie gestellt hat, und "
            "ist die Grundlage des Einsatzes."
        ),
        find=lambda person: person.owns(ConsultationRequest, "created_by"),
        fields=("municipality__name", "status", "goals", "need", "created_at"),
    ),
    Holding(
        key="engagements.messages",
        label=_("Nachrichten zu Beratungsanfragen"),
        action=Action.KEEP,
        rule=_(
            "Bleiben ohne Namen als Teil der Akte der Anfrage; wo der Text den Namen nennt, "
            "steht danach „[entfernt]“."
        ),
        find=lambda person: person.owns(RequestMessage, "author"),
        fields=("consultation_request__municipality__name", "body", "created_at"),
    ),
    Holding(
        key="engagements.assignments",
        label=_("Einsätze als Berater*in"),
        action=Action.KEEP,
        rule=_(
            "Bleiben ohne Namen: Sie belegen, wann welcher Einsatz beraten wurde, und tragen "
            "die erstatteten Kosten."
        ),
        find=lambda person: person.owns(EngagementAdvisor, "advisor__user"),
        fields=("engagement__title", "engagement__municipality__name", "assigned_at", "left_on"),
    ),
    Holding(
        key="engagements.time_entries",
        label=_("Erfasste Arbeitszeiten"),
        action=Action.KEEP,
        rule=KEPT_FOR_BUDGET_LAW,
        find=lambda person: person.owns(TimeEntry, "advisor__user"),
        fields=("engagement__title", "date", "hours", "activity", "description", "status"),
    ),
    Holding(
        key="engagements.expenses",
        label=_("Ausgaben und Belege"),
        action=Action.KEEP,
        rule=KEPT_FOR_BUDGET_LAW,
        find=lambda person: person.owns(Expense, "advisor__user"),
        fields=("engagement__title", "date", "category", "amount", "description", "status"),
        files=("receipt",),
    ),
    Holding(
        key="engagements.reimbursement_reports",
        label=_("Erstattungsberichte"),
        action=Action.KEEP,
        rule=_(
            "Bleiben mit allen Beträgen für die Frist des Haushaltsrechts; ihre Dateien (PDF, "
            "XLSX, CSV) werden aus denselben Zahlen neu erstellt, mit dem Namen ersetzt."
        ),
        find=_reports,
        fields=("pool__name", "period_start", "period_end", "total"),
        erase=_make_reports_again,
        # After the account (order 90): the files show the name as it is then.
        order=100,
    ),
]

MENTIONS = [
    Mentions(
        key="engagements.request_texts",
        label=_("Texte von Beratungsanfragen"),
        model="engagements.ConsultationRequest",
        fields=("goals", "need", "decline_reason"),
    ),
    Mentions(
        key="engagements.request_notes",
        label=_("Notizen zu Statuswechseln und Nachrichten"),
        model="engagements.RequestStatusChange",
        fields=("note",),
    ),
    Mentions(
        key="engagements.message_texts",
        label=_("Nachrichten zu Beratungsanfragen"),
        model="engagements.RequestMessage",
        fields=("body",),
    ),
    Mentions(
        key="engagements.engagement_texts",
        label=_("Ziele und Ratsvorlagen von Einsätzen"),
        model="engagements.Engagement",
        fields=("title", "goals", "council_submission"),
    ),
    Mentions(
        key="engagements.milestone_texts",
        label=_("Meilensteine"),
        model="engagements.Milestone",
        fields=("title", "note"),
    ),
    Mentions(
        key="engagements.entry_texts",
        label=_("Beschreibungen von Zeiten"),
        model="engagements.TimeEntry",
        fields=("activity", "description"),
    ),
    Mentions(
        key="engagements.expense_texts",
        label=_("Beschreibungen von Ausgaben"),
        model="engagements.Expense",
        fields=("description",),
    ),
    Mentions(
        key="engagements.correction_texts",
        label=_("Begründungen von Korrekturen"),
        model="engagements.CostCorrection",
        fields=("reason",),
    ),
]
