"""The record of processing activities (Verzeichnis von Verarbeitungstätigkeiten, DSGVO Art. 30).

Each app declares what it does with personal data in its own `processing.py` and
registers it here in its AppConfig.ready(), like the other registries of the base: for
every model it holds, either an Activity (purpose, legal basis, the people concerned,
the categories of data, who sees them, how long they are kept) or an explicit
NoPersonalData. The admin's page for data protection and the privacy page render the
same entries, so the record and what people are told cannot drift apart, and a test
fails when a model of the apps has no entry.

A retention text says what the code really does. Where the code enforces it, the
entry names the settings, tasks and functions that do (`enforced_by`, checked by a
test); where nothing does, it says so, and the `note` tells SKEW what is open. Retention
texts may name the configured periods as %(days)s (MIGLOBE_PERSONAL_DATA_RETENTION_DAYS)
and %(months)s (MIGLOBE_APPLICATION_RETENTION_MONTHS); use ngettext_lazy keyed by that
name for the plural.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

Text = str | Promise  # usually gettext_lazy: translated when shown


@dataclass(frozen=True)
class Activity:
    """One processing activity: what the record says, and the privacy page in plain words."""

    key: str  # stable, for anchors: "events.registrations"
    name: Text
    purpose: Text
    legal_basis: Text
    data_subjects: Text
    data_categories: Text
    recipients: Text
    retention: Text  # may use %(days)s and %(months)s
    models: tuple[str, ...] = ()  # "app_label.ModelName" of the models holding the data
    # The settings (by name) and the tasks and functions (dotted paths) that enforce it.
    enforced_by: tuple[str, ...] = ()
    # For the record only, not the privacy page: what is open (a missing period, a check).
    note: Text = ""

    @property
    def retention_text(self) -> str:
        """The retention rule with the configured periods, in the active language."""
        return str(self.retention % periods())

    @property
    def enforcement(self) -> list[tuple[str, object]]:
        """What enforces the rule: (setting, its value) and (dotted path, None)."""
        return [
            (name, None if "." in name else getattr(settings, name, None))
            for name in self.enforced_by
        ]

    @property
    def model_names(self) -> list[str]:
        return model_names(self.models)


@dataclass(frozen=True)
class NoPersonalData:
    """Models that hold no personal data, with the reason why (the record says so)."""

    models: tuple[str, ...]
    reason: Text

    @property
    def model_names(self) -> list[str]:
        return model_names(self.models)


Entry = Activity | NoPersonalData


@dataclass
class AppRecord:
    label: str
    name: str
    activities: list[Activity] = field(default_factory=list)
    without_personal_data: list[NoPersonalData] = field(default_factory=list)


# Filled by the apps' AppConfig.ready(): app label -> its entries.
_entries: dict[str, tuple[Entry, ...]] = {}


def register(app_label: str, entries: Iterable[Entry]) -> None:
    """An app's entries; registering again replaces them."""
    _entries[app_label] = tuple(entries)


def periods() -> dict[str, int]:
    """The configured periods a retention text may name."""
    return {
        "days": settings.MIGLOBE_PERSONAL_DATA_RETENTION_DAYS,
        "months": settings.MIGLOBE_APPLICATION_RETENTION_MONTHS,
    }


def record() -> list[AppRecord]:
    """The registered entries by app, in the order of INSTALLED_APPS."""
    found = []
    for config in apps.get_app_configs():
        entries = _entries.get(config.label)
        if not entries:
            continue
        app = AppRecord(config.label, str(config.verbose_name))
        for entry in entries:
            if isinstance(entry, Activity):
                app.activities.append(entry)
            else:
                app.without_personal_data.append(entry)
        found.append(app)
    return found


def activities() -> list[Activity]:
    """Every processing of personal data, in the order of the record."""
    return [activity for app in record() for activity in app.activities]


def model_names(labels: Iterable[str]) -> list[str]:
    """The models' names as the admin shows them (plural, in the active language)."""
    return [str(apps.get_model(label)._meta.verbose_name_plural) for label in labels]


def model_label(model: type[Model]) -> str:
    """The label the record knows a model by.

    A history table of django-simple-history counts as its model's, and an auto-created
    many-to-many table (or its history) as the model that declares the relation.
    """
    model = getattr(model, "instance_type", model)
    declared_by = model._meta.auto_created  # the declaring model, or False
    if isinstance(declared_by, type):
        model = declared_by
    return f"{model._meta.app_label}.{model.__name__}"


def covered_models() -> dict[str, Entry]:
    """Each model named in the record, with the entry naming it."""
    return {
        label: entry for entries in _entries.values() for entry in entries for label in entry.models
    }


def unrecorded(app_labels: Iterable[str]) -> list[str]:
    """The models of these apps that no entry of the record names."""
    covered = covered_models()
    missing = set()
    for app_label in app_labels:
        for model in apps.get_app_config(app_label).get_models(include_auto_created=True):
            label = model_label(model)
            if label not in covered:
                missing.add(label)
    return sorted(missing)


# --- The base's own entries ---------------------------------------------------------------
# Registered by CoreConfig.ready(), like each app's from its processing.py.

# The legal basis most of the portal rests on: SKEW runs MiGlobe on behalf of the BMZ.
PUBLIC_TASK = _(
    "Art. 6 Abs. 1 lit. e DSGVO i. V. m. § 3 BDSG (Durchführung des Programms im Auftrag des BMZ)"
)

ENTRIES: list[Entry] = [
    Activity(
        key="core.accounts",
        name=_("Benutzerkonten und Rechte"),
        purpose=_(
            "Anmeldung am Portal und die Rolle, in der jemand es nutzt (Ansprechperson einer "
            "Kommune, Berater*in, Gutachter*in, Mitarbeitende der SKEW); Nachweis, wer wem "
            "welche Rechte gegeben hat."
        ),
        legal_basis=_(
            "Art. 6 Abs. 1 lit. b DSGVO (Nutzung des Portals und Zusammenarbeit) und "
            "Art. 6 Abs. 1 lit. e DSGVO i. V. m. § 3 BDSG (Durchführung des Programms im "
            "Auftrag des BMZ)"
        ),
        data_subjects=_(
            "Ansprechpersonen der Kommunen, Berater*innen, Gutachter*innen der "
            "Kooperationspartner und Mitarbeitende der SKEW mit Konto"
        ),
        data_categories=_(
            "E-Mail-Adresse, Name, Sprache der E-Mails, Passwort (nur verschlüsselt "
            "gespeichert), Zeitpunkt der Registrierung und der letzten Anmeldung, Gruppen und "
            "Rechte, bestätigte E-Mail-Adressen, ein zweiter Faktor (Authenticator-App oder "
            "Passkey); der Änderungsverlauf der Konten: wer wann was geändert hat (ohne "
            "Passwort)."
        ),
        recipients=_(
            "Mitarbeitende der SKEW, die Konten verwalten. Der Name erscheint bei dem, was "
            "jemand im Portal schreibt oder entscheidet, für die Beteiligten des Vorgangs."
        ),
        retention=_(
            "Solange das Konto besteht. Das Portal löscht Konten nicht von selbst; der "
            "Änderungsverlauf bleibt als Nachweis."
        ),
        models=("core.User",),
        note=_(
            "Keine Löschfrist im Code: weder für Konten, deren Zusammenarbeit beendet ist, "
            "noch für ihren Änderungsverlauf."
        ),
    ),
    Activity(
        key="core.outbox",
        name=_("E-Mails des Portals"),
        purpose=_(
            "Versand der E-Mails des Portals (Bestätigungs- und Anmeldelinks, "
            "Benachrichtigungen, Erinnerungen, Einladungen, Berichte) und Nachweis, ob sie "
            "angekommen sind; was nicht zugestellt werden konnte, sendet die SKEW erneut."
        ),
        legal_basis=_("Die Rechtsgrundlage des Vorgangs, zu dem die E-Mail gehört."),
        data_subjects=_("alle, denen das Portal schreibt"),
        data_categories=_(
            "Empfängeradresse, Sprache, Betreff, Text und Anhänge, Versandstatus und "
            "Fehlermeldungen des Mailservers. Den Text von E-Mails mit einem Anmelde- oder "
            "Bestätigungslink zeigt das Portal nie an und löscht ihn nach dem Versand."
        ),
        recipients=_("Mitarbeitende der SKEW (Postausgang) und der Mailserver des Portals."),
        retention=ngettext_lazy(
            "Versendete und endgültig fehlgeschlagene E-Mails werden %(days)s Tag nach dem "
            "Anlegen gelöscht; wartende E-Mails bleiben, bis sie versendet sind.",
            "Versendete und endgültig fehlgeschlagene E-Mails werden %(days)s Tage nach dem "
            "Anlegen gelöscht; wartende E-Mails bleiben, bis sie versendet sind.",
            "days",
        ),
        models=("core.OutboxEmail",),
        enforced_by=(
            "MIGLOBE_PERSONAL_DATA_RETENTION_DAYS",
            "core.tasks.forget_old_personal_data",
            "core.outbox.forget_sent",
            "core.outbox.deliver",
        ),
    ),
    Activity(
        key="core.reminders",
        name=_("Erinnerungen an Fristen"),
        purpose=_(
            "Eine tägliche Sammel-E-Mail erinnert an Fristen (Meilensteine, ungeprüfte "
            "Anfragen, Entwürfe zum Monatsende, Veranstaltungen am nächsten Tag); ein Vermerk "
            "verhindert, dass jemand doppelt erinnert wird."
        ),
        legal_basis=_("Die Rechtsgrundlage des Vorgangs, an den erinnert wird."),
        data_subjects=_(
            "Ansprechpersonen der Kommunen, Berater*innen, Mitarbeitende der SKEW, "
            "Angemeldete einer Veranstaltung"
        ),
        data_categories=_(
            "E-Mail-Adresse, Name und Sprache, woran erinnert wurde und zu welchem Stichtag."
        ),
        recipients=_("Mitarbeitende der SKEW."),
        retention=ngettext_lazy(
            "Vermerke werden %(days)s Tag nach dem Stichtag gelöscht; Vermerke zu Anfragen, "
            "die noch auf ihre Prüfung warten, erst danach, damit die Erinnerung nicht erneut "
            "verschickt wird.",
            "Vermerke werden %(days)s Tage nach dem Stichtag gelöscht; Vermerke zu Anfragen, "
            "die noch auf ihre Prüfung warten, erst danach, damit die Erinnerung nicht erneut "
            "verschickt wird.",
            "days",
        ),
        models=("core.ReminderLog",),
        enforced_by=(
            "MIGLOBE_PERSONAL_DATA_RETENTION_DAYS",
            "core.tasks.forget_old_personal_data",
            "core.retention.forget_old_personal_data",
            "engagements.reminders.kept_reminders",
        ),
    ),
    Activity(
        key="core.data_subject_requests",
        name=_("Auskunft und Löschung auf Antrag"),
        purpose=_(
            "Anträge betroffener Personen beantworten: Auskunft und Kopie ihrer Daten (Art. 15 "
            "und 20 DSGVO) und Löschung (Art. 17 DSGVO), von der SKEW oder von der Person "
            "selbst unter „Meine Daten“; nachweisen, dass und nach welchen Regeln gelöscht "
            "wurde."
        ),
        legal_basis=_("Art. 6 Abs. 1 lit. c DSGVO i. V. m. Art. 12, 15, 17, 20 und 5 Abs. 2 DSGVO"),
        data_subjects=_("Personen, die eine Löschung beantragen"),
        data_categories=_(
            "Der Löschantrag mit Konto, Datum und Status; das Löschprotokoll nur mit Datum, "
            "ausführender Person und der Zahl der Einträge je Art, ohne die betroffene Person."
        ),
        recipients=_("Mitarbeitende der SKEW mit dem Recht „Datenschutz“."),
        retention=_(
            "Der Antrag verweist nach der Löschung auf ein anonymisiertes Konto; das "
            "Löschprotokoll nennt niemanden und bleibt als Nachweis."
        ),
        models=("core.ErasureRequest", "core.ErasureLog"),
        enforced_by=("core.personal_data.erase",),
    ),
    Activity(
        key="core.abuse",
        name=_("Schutz vor Missbrauch"),
        purpose=_(
            "Fehlgeschlagene Anmeldungen und öffentliche Formulare (Vorschläge, Anmeldungen, "
            "Bewerbungen, offene Befragungen) werden je Absender begrenzt, damit niemand "
            "Passwörter durchprobiert oder Formulare massenhaft abschickt."
        ),
        legal_basis=_(
            "Art. 6 Abs. 1 lit. e DSGVO i. V. m. § 3 BDSG und Art. 32 DSGVO (Sicherheit der "
            "Verarbeitung)"
        ),
        data_subjects=_("alle, die sich anmelden oder ein öffentliches Formular abschicken"),
        data_categories=_(
            "IP-Adresse und bei Anmeldeversuchen die E-Mail-Adresse (teils nur als Prüfwert) "
            "mit der Zahl der Versuche, nur im Zwischenspeicher."
        ),
        recipients=_("niemand: nur das Portal liest die Zähler."),
        retention=_(
            "Der Zähler verfällt von selbst, sobald die eingestellte Begrenzung abgelaufen ist "
            "(voreingestellt nach höchstens einer Stunde)."
        ),
        enforced_by=(
            "ACCOUNT_RATE_LIMITS",
            "MIGLOBE_SUGGESTION_RATE",
            "MIGLOBE_REGISTRATION_RATE",
        ),
    ),
]
