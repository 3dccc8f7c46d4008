"""What the results of engagements do with personal data (the record of processing,
core.processing)."""

from django.utils.translation import gettext_lazy as _

from core.processing import PUBLIC_TASK, Activity, Entry

ENTRIES: list[Entry] = [
    Activity(
        key="outcomes.results",
        name=_("Ergebnisse der Einsätze"),
        purpose=_(
            "Die Berater*innen entwerfen Handlungsoptionen, die Kommune kommentiert und "
            "entscheidet; der Abschlussbericht fasst den Einsatz zusammen; 6 und 12 Monate nach "
            "dem Abschluss fragt das Portal die Kommune, was umgesetzt wurde. Daraus berichtet "
            "die SKEW dem BMZ die Kennzahlen des Programms."
        ),
        legal_basis=PUBLIC_TASK,
        data_subjects=_("Ansprechpersonen der Kommunen, Berater*innen, Mitarbeitende der SKEW"),
        data_categories=_(
            "Handlungsoptionen mit den beteiligten Organisationen, Kommentare mit ihren "
            "Verfasser*innen, Entscheidungen mit Begründung und wer wann entschieden hat; die "
            "Fassungen des Abschlussberichts (PDF) und wer sie erstellt und bestätigt hat; "
            "Nachfragen und Antworten zur Umsetzung; der Änderungsverlauf der "
            "Handlungsoptionen."
        ),
        recipients=_(
            "Die Beteiligten des Einsatzes (Ansprechpersonen der Kommune, Berater*innen) und "
            "Mitarbeitende der SKEW. Das BMZ bekommt nur Zahlen, keine Namen."
        ),
        retention=_(
            "Das Portal löscht diese Unterlagen nicht von selbst: Sie bleiben als Ergebnis des "
            "Einsatzes und für die Berichte an das BMZ."
        ),
        models=(
            "outcomes.ActionOption",
            "outcomes.ActionOptionComment",
            "outcomes.FinalReport",
            "outcomes.FollowUp",
            "outcomes.FollowUpAnswer",
        ),
        note=_("Keine Löschfrist im Code."),
    ),
]
