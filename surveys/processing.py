"""What surveys do with personal data (the record of processing, core.processing)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.processing import Activity, Entry

ENTRIES: list[Entry] = [
    Activity(
        key="surveys.answers",
        name=_("Befragungen der Organisationen"),
        purpose=_(
            "Die SKEW oder die Berater*innen eines Einsatzes befragen die Organisationen einer "
            "Kommune: Einladung, eine Erinnerung, Antworten und ihre Auswertung. Antworten, "
            "deren Organisation der Veröffentlichung zustimmt, kommen nach Prüfung durch die "
            "SKEW ins Verzeichnis; Antwortende können zu einer Veranstaltung eingeladen werden."
        ),
        legal_basis=_(
            "Art. 6 Abs. 1 lit. e DSGVO i. V. m. § 3 BDSG (Durchführung des Programms im "
            "Auftrag des BMZ); die Teilnahme ist freiwillig. Für die Veröffentlichung im "
            "Verzeichnis die Einwilligung der Organisation (Art. 6 Abs. 1 lit. a DSGVO)."
        ),
        data_subjects=_(
            "Personen, die für eine Organisation antworten; Inhaber*innen der Adressen, an die "
            "Einladungen gehen"
        ),
        data_categories=_(
            "E-Mail-Adresse und Sprache der Einladung, wann eingeladen und erinnert wurde; Name "
            "und E-Mail-Adresse der antwortenden Person, die Antworten zur Organisation und auf "
            "die Fragen der Befragung, die Einwilligung zur Veröffentlichung mit Zeitpunkt; "
            "Einladungen zu einer Veranstaltung."
        ),
        recipients=_(
            "Mitarbeitende der SKEW und die Berater*innen des Einsatzes, zu dem die Befragung "
            "gehört."
        ),
        retention=ngettext_lazy(
            "%(days)s Tag nach dem Ende der Befragung entfernen wir Name und E-Mail-Adresse der "
            "Antwortenden und die Adressen der Einladungen und löschen die Einladungen zu "
            "Veranstaltungen; die Antworten zur Organisation bleiben für die Auswertung.",
            "%(days)s Tage nach dem Ende der Befragung entfernen wir Name und E-Mail-Adresse "
            "der Antwortenden und die Adressen der Einladungen und löschen die Einladungen zu "
            "Veranstaltungen; die Antworten zur Organisation bleiben für die Auswertung.",
            "days",
        ),
        models=(
            "surveys.Survey",
            "surveys.Question",
            "surveys.Invitation",
            "surveys.Response",
            "surveys.MeetingInvitation",
        ),
        enforced_by=(
            "MIGLOBE_PERSONAL_DATA_RETENTION_DAYS",
            "core.tasks.forget_old_personal_data",
            "surveys.services.forget_old_respondents",
        ),
    ),
    Activity(
        key="surveys.opt_outs",
        name=_("Abmeldungen von Befragungen"),
        purpose=_(
            "Wer keine Befragungen mehr bekommen möchte, wird auch zu keiner späteren "
            "Befragung mehr eingeladen."
        ),
        legal_basis=_(
            "Art. 6 Abs. 1 lit. c DSGVO i. V. m. Art. 21 DSGVO: Der Widerspruch muss dauerhaft "
            "beachtet werden."
        ),
        data_subjects=_("Personen, die sich von Befragungen abgemeldet haben"),
        data_categories=_("E-Mail-Adresse und Zeitpunkt der Abmeldung."),
        recipients=_("Mitarbeitende der SKEW."),
        retention=_(
            "Ohne Frist: Nur so kann die Abmeldung bei jeder späteren Befragung beachtet werden."
        ),
        models=("surveys.OptOut",),
    ),
]
