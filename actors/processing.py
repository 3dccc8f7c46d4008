"""What the actors and the public directory do with personal data (the record of
processing, core.processing)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.processing import PUBLIC_TASK, Activity, Entry, NoPersonalData

ENTRIES: list[Entry] = [
    Activity(
        key="actors.organisations",
        name=_("Organisationen und ihre Kontaktpersonen"),
        purpose=_(
            "Welche Organisationen, vor allem Migrantenorganisationen, in einer Kommune "
            "entwicklungspolitisch aktiv sind und wen man dort ansprechen kann: um sie zu "
            "vernetzen und zu Veranstaltungen und Befragungen einzuladen. Die Angaben stammen "
            "aus der Recherche der Berater*innen, aus Befragungen und aus Vorschlägen der "
            "Organisationen."
        ),
        legal_basis=PUBLIC_TASK,
        data_subjects=_("Kontaktpersonen von Organisationen"),
        data_categories=_(
            "Name, Anschrift, Website, E-Mail-Adresse, Telefon und Sprache der Organisation, "
            "ihre Handlungsfelder, Herkunfts- und Tätigkeitsländer; Name, Funktion, "
            "E-Mail-Adresse und Telefon ihrer Kontaktpersonen; der Änderungsverlauf."
        ),
        recipients=_(
            "Mitarbeitende der SKEW; Berater*innen die Organisationen der Kommune ihres "
            "Einsatzes. Öffentlich nur, wozu eingewilligt wurde (siehe „Öffentliches "
            "Verzeichnis“)."
        ),
        retention=_(
            "Solange die Organisation für das Programm ansprechbar sein soll. Das Portal "
            "löscht Organisationen und Kontaktpersonen nicht von selbst."
        ),
        models=("actors.Organisation", "actors.ContactPerson"),
        note=_(
            "Keine Löschfrist im Code, auch nicht für Kontaktpersonen, die nie eingewilligt haben."
        ),
    ),
    Activity(
        key="actors.directory",
        name=_("Öffentliches Verzeichnis und Einwilligungen"),
        purpose=_(
            "Engagierte Organisationen werden im Verzeichnis, auf der Karte, in der Statistik "
            "und in den offenen Daten (Downloads) sichtbar, aber nur mit Einwilligung; der "
            "Nachweis dieser Einwilligungen."
        ),
        legal_basis=_(
            "Einwilligung (Art. 6 Abs. 1 lit. a DSGVO), für eine Kontaktperson ihre eigene; "
            "der Nachweis der Einwilligung: Art. 6 Abs. 1 lit. c DSGVO i. V. m. Art. 7 Abs. 1 "
            "DSGVO"
        ),
        data_subjects=_(
            "Kontaktpersonen von Organisationen und die Personen, die eingewilligt haben"
        ),
        data_categories=_(
            "Was veröffentlicht wird; wer wann auf welchem Weg zu welchem Wortlaut eingewilligt "
            "hat, wer die Einwilligung erfasst hat und wann sie widerrufen wurde."
        ),
        recipients=_("Die Öffentlichkeit: nur die veröffentlichten Angaben."),
        retention=_(
            "Ein Widerruf nimmt den Eintrag sofort von allen Seiten und aus allen Downloads. "
            "Die Einwilligung und ihr Widerruf bleiben als Nachweis gespeichert; das Portal "
            "löscht sie nicht von selbst."
        ),
        models=("actors.PublicationConsent",),
        note=_("Keine Löschfrist im Code für Nachweise widerrufener Einwilligungen."),
    ),
    Activity(
        key="actors.suggestions",
        name=_("Vorschläge für das Verzeichnis"),
        purpose=_(
            "Eine Organisation schlägt ihren Eintrag oder eine Korrektur vor; die SKEW prüft "
            "den Vorschlag, bevor etwas veröffentlicht wird."
        ),
        legal_basis=_("Einwilligung (Art. 6 Abs. 1 lit. a DSGVO), im Formular erteilt"),
        data_subjects=_("Personen, die einen Vorschlag einreichen"),
        data_categories=_(
            "Name, E-Mail-Adresse und Funktion der einreichenden Person, die Angaben zur "
            "Organisation, eine Nachricht an die SKEW, Wortlaut und Zeitpunkt der "
            "Einwilligung, wer wann entschieden hat."
        ),
        recipients=_("Mitarbeitende der SKEW."),
        retention=ngettext_lazy(
            "Abgelehnte Vorschläge werden %(days)s Tag nach der Entscheidung gelöscht. "
            "Angenommene Vorschläge bleiben als Nachweis der Einwilligung.",
            "Abgelehnte Vorschläge werden %(days)s Tage nach der Entscheidung gelöscht. "
            "Angenommene Vorschläge bleiben als Nachweis der Einwilligung.",
            "days",
        ),
        models=("actors.OrganisationSuggestion",),
        enforced_by=(
            "MIGLOBE_PERSONAL_DATA_RETENTION_DAYS",
            "core.tasks.forget_old_personal_data",
            "actors.services.forget_rejected_suggestions",
        ),
        note=_(
            "Angenommene und unentschiedene Vorschläge haben keine Löschfrist im Code; nach "
            "der Übernahme hält auch die Einwilligung zur Veröffentlichung den Nachweis."
        ),
    ),
    Activity(
        key="actors.findings",
        name=_("Rechercheergebnisse der Einsätze"),
        purpose=_(
            "Die Berater*innen halten fest, welche Organisationen sie in der Kommune gefunden "
            "haben, woher sie davon wissen und was sie tun: die Grundlage der "
            "Handlungsoptionen und des Abschlussberichts."
        ),
        legal_basis=PUBLIC_TASK,
        data_subjects=_("Berater*innen; in den Notizen genannte Personen"),
        data_categories=_("Organisation, Quelle, Datum und Notizen, und wer es gefunden hat."),
        recipients=_(
            "Die Berater*innen des Einsatzes und Mitarbeitende der SKEW; nie öffentlich. Der "
            "Abschlussbericht zählt die gefundenen Organisationen und nennt nur die "
            "veröffentlichten beim Namen."
        ),
        retention=_(
            "Das Portal löscht Rechercheergebnisse nicht von selbst: Sie gehören zur Akte des "
            "Einsatzes."
        ),
        models=("actors.ResearchFinding",),
        note=_("Keine Löschfrist im Code."),
    ),
    NoPersonalData(
        models=("actors.FieldOfAction", "actors.ConsentWording", "actors.DirectoryVersion"),
        reason=_(
            "Handlungsfelder, die Wortlaute der Einwilligung und der Stand des öffentlichen "
            "Verzeichnisses (für den Zwischenspeicher): keine personenbezogenen Daten."
        ),
    ),
]
