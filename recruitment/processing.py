"""What calls and applications do with personal data (the record of processing,
core.processing)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.processing import Activity, Entry, NoPersonalData

ENTRIES: list[Entry] = [
    Activity(
        key="recruitment.applications",
        name=_("Bewerbungen für einen Pool"),
        purpose=_(
            "Auswahl neuer Berater*innen: Bewerbung auf eine Ausschreibung, Bewertung durch die "
            "SKEW und die von ihr benannten Gutachter*innen der Kooperationspartner, Gespräch "
            "und Entscheidung. Wer aufgenommen wird, wird Berater*in im Pool."
        ),
        legal_basis=_(
            "Einwilligung der Bewerber*innen (Art. 6 Abs. 1 lit. a DSGVO); ihr Wortlaut und "
            "Zeitpunkt werden mit der Bewerbung gespeichert. Eine Bewerbung kann bis zur "
            "Entscheidung jederzeit über den Link in der E-Mail zurückgezogen werden."
        ),
        data_subjects=_("Bewerber*innen; Gutachter*innen"),
        data_categories=_(
            "Die Angaben im Bewerbungsformular (Name, E-Mail-Adresse, Sprache, Wohnort, "
            "Herkunftsländer, Länder mit Erfahrung, Sprachen, Fachgebiete, Erfahrung, "
            "Motivation, Verfügbarkeit) und der Lebenslauf; freiwillig Geschlecht und "
            "Geburtsjahr, die helfen, den Pool ausgewogen zusammenzusetzen; Termin und Ort "
            "eines Gesprächs; die Bewertungen (Punkte und Kommentar) mit dem Namen der "
            "Gutachter*in; die Entscheidung."
        ),
        recipients=_(
            "Mitarbeitende der SKEW und die von ihr für diese Ausschreibung benannten "
            "Gutachter*innen der Kooperationspartner."
        ),
        retention=ngettext_lazy(
            "Wer nicht aufgenommen wird, dessen Angaben, Lebenslauf und die Kommentare der "
            "Gutachter*innen löschen wir %(months)s Monat nach dem Bewerbungsschluss; es "
            "bleiben ohne Namen nur Status, Zeitpunkte und Punkte für die Zahlen der "
            "Ausschreibung. Die Bewerbung "
            "einer Person, die aufgenommen wird, bleibt bei ihren Angaben als Berater*in.",
            "Wer nicht aufgenommen wird, dessen Angaben, Lebenslauf und die Kommentare der "
            "Gutachter*innen löschen wir %(months)s Monate nach dem Bewerbungsschluss; es "
            "bleiben ohne Namen nur Status, Zeitpunkte und Punkte für die Zahlen der "
            "Ausschreibung. Die Bewerbung "
            "einer Person, die aufgenommen wird, bleibt bei ihren Angaben als Berater*in.",
            "months",
        ),
        models=(
            "recruitment.Call",
            "recruitment.Application",
            "recruitment.Review",
            "recruitment.Score",
        ),
        enforced_by=(
            "MIGLOBE_APPLICATION_RETENTION_MONTHS",
            "core.tasks.forget_old_personal_data",
            "recruitment.services.forget_old_applications",
        ),
        note=_(
            "Herkunftsländer können Rückschlüsse auf die ethnische Herkunft zulassen "
            "(Art. 9 DSGVO): Der Wortlaut der Einwilligung sollte das ausdrücklich umfassen."
        ),
    ),
    NoPersonalData(
        models=("recruitment.Criterion",),
        reason=_("Die Bewertungskriterien einer Ausschreibung: keine personenbezogenen Daten."),
    ),
]
