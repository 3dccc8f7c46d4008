"""What the council watch does with personal data (the record of processing, core.processing)."""

from django.utils.translation import gettext_lazy as _

from core.processing import PUBLIC_TASK, Activity, Entry, NoPersonalData

ENTRIES: list[Entry] = [
    Activity(
        key="council.watch",
        name=_("Ratsbeobachtung"),
        purpose=_(
            "Die SKEW liest die öffentlichen Ratsinformationssysteme der Kommunen (OParl), "
            "verknüpft Ratsvorlagen mit Einsätzen und findet Vorlagen zu den Stichwörtern des "
            "Programms: Hinweise, welche Kommune sie ansprechen könnte."
        ),
        legal_basis=PUBLIC_TASK,
        data_subjects=_(
            "Personen, die in öffentlichen Ratsvorlagen genannt sind (etwa im Titel); "
            "Mitarbeitende der SKEW, die Hinweise einschätzen"
        ),
        data_categories=_(
            "Titel, Aktenzeichen, Art, Datum und Link öffentlicher Ratsvorlagen, Namen und "
            "Links ihrer Dateien, ihre Beratungen in Gremien und Sitzungen; zu Hinweisen die "
            "gefundenen Stichwörter, Einschätzung, Notiz und wer eingeschätzt hat. Den Inhalt "
            "der Dateien speichert das Portal nicht."
        ),
        recipients=_(
            "Mitarbeitende der SKEW; die Vorlagen eines Einsatzes auch seine Berater*innen "
            "und die Ansprechpersonen der Kommune."
        ),
        retention=_(
            "Das Portal löscht Vorlagen nicht von selbst. Eine im Ratsinformationssystem "
            "gelöschte Vorlage wird als gelöscht vermerkt und nicht mehr angezeigt."
        ),
        models=(
            "council.CouncilPaper",
            "council.Consultation",
            "council.PaperFile",
            "council.Lead",
        ),
        enforced_by=("council.tasks.watch_councils",),
        note=_(
            "Keine Löschfrist im Code, auch nicht für Hinweise, die nicht weiterverfolgt werden."
        ),
    ),
    NoPersonalData(
        models=("council.CouncilSystem", "council.WatchKeyword"),
        reason=_(
            "Adressen der Ratsinformationssysteme und die Stichwörter der Beobachtung: keine "
            "personenbezogenen Daten."
        ),
    ),
]
