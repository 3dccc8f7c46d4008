"""What events and their registrations do with personal data (the record of processing,
core.processing)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.processing import PUBLIC_TASK, Activity, Entry

ENTRIES: list[Entry] = [
    Activity(
        key="events.events",
        name=_("Veranstaltungen und ihr Programm"),
        purpose=_(
            "Ankündigung von Vernetzungs- und Informationstreffen, Präsentationen und "
            "Fortbildungen mit ihrem Programm, im Portal und als Kalenderdatei."
        ),
        legal_basis=PUBLIC_TASK,
        data_subjects=_("Referent*innen, die im Programm genannt sind"),
        data_categories=_(
            "Titel, Art, Ort, Zeit, Barrierefreiheit und Beschreibung der Veranstaltung und "
            "ihrer Programmpunkte, Veranstalter, Namen der Referent*innen."
        ),
        recipients=_("Bei öffentlichen Veranstaltungen die Öffentlichkeit."),
        retention=_("Das Portal löscht Veranstaltungen und ihr Programm nicht von selbst."),
        models=("events.Event", "events.EventSession"),
        note=_("Keine Löschfrist im Code für die Namen der Referent*innen."),
    ),
    Activity(
        key="events.registrations",
        name=_("Anmeldungen zu Veranstaltungen"),
        purpose=_(
            "Organisation der Veranstaltung: Plätze und Warteliste, Workshopwahl, "
            "Unterstützung für Barrierefreiheit oder Sprache, Erinnerung am Vortag, Einlass und "
            "die Zahl der Teilnehmenden."
        ),
        legal_basis=_(
            "Art. 6 Abs. 1 lit. e DSGVO i. V. m. § 3 BDSG (Durchführung der Veranstaltung); "
            "für die Teilnehmendenliste die Einwilligung der angemeldeten Person (Art. 6 Abs. 1 "
            "lit. a DSGVO)"
        ),
        data_subjects=_("Personen, die sich anmelden"),
        data_categories=_(
            "Name, E-Mail-Adresse, Sprache, Organisation, Kategorie, Workshopwahl, Angaben zu "
            "Barrierefreiheit oder Sprache; ob die Person auf der Teilnehmendenliste stehen "
            "möchte; Zeitpunkt von Anmeldung, Bestätigung, Stornierung und Einlass."
        ),
        recipients=_(
            "Die Veranstaltenden: Mitarbeitende der SKEW und die Berater*innen des Einsatzes, "
            "zu dem die Veranstaltung gehört. Auf der Teilnehmendenliste, die alle "
            "Teilnehmenden bekommen, steht nur, wer eingewilligt hat."
        ),
        retention=ngettext_lazy(
            "Eine Anmeldung, die nicht binnen 48 Stunden per E-Mail-Link bestätigt wird, "
            "löschen wir. %(days)s Tag nach der Veranstaltung entfernen wir Name, "
            "E-Mail-Adresse und Angaben; es bleiben nur die Zahlen (Kategorie, Organisation, "
            "Workshops, Teilnahme).",
            "Eine Anmeldung, die nicht binnen 48 Stunden per E-Mail-Link bestätigt wird, "
            "löschen wir. %(days)s Tage nach der Veranstaltung entfernen wir Name, "
            "E-Mail-Adresse und Angaben; es bleiben nur die Zahlen (Kategorie, Organisation, "
            "Workshops, Teilnahme).",
            "days",
        ),
        models=("events.Registration",),
        enforced_by=(
            "events.services.CONFIRM_MAX_AGE",
            "events.tasks.purge_unconfirmed_registrations",
            "MIGLOBE_PERSONAL_DATA_RETENTION_DAYS",
            "core.tasks.forget_old_personal_data",
            "events.services.registrations_anonymise",
        ),
        note=_(
            "Angaben zu Barrierefreiheit können Gesundheitsdaten sein (Art. 9 DSGVO); das "
            "Formular fragt dafür keine ausdrückliche Einwilligung ab. Mit der oder dem "
            "Datenschutzbeauftragten klären."
        ),
    ),
]
