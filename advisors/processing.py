"""What the advisor pool does with personal data (the record of processing, core.processing)."""

from django.utils.translation import gettext_lazy as _

from core.processing import Activity, Entry, NoPersonalData

ENTRIES: list[Entry] = [
    Activity(
        key="advisors.pool",
        name=_("Berater*innen-Pool"),
        purpose=_(
            "Die Pools der Bundesländer: wer Mitglied ist, was sie oder er mitbringt und wann "
            "sie oder er verfügbar ist, damit die SKEW für eine Anfrage passende Berater*innen "
            "vorschlagen und die Zusammensetzung eines Pools beschreiben kann; Nachweis der "
            "Qualifizierung (besuchte Fortbildungen, Befreiungen)."
        ),
        legal_basis=_(
            "Art. 6 Abs. 1 lit. b DSGVO (Zusammenarbeit als Berater*in) und Art. 6 Abs. 1 "
            "lit. e DSGVO i. V. m. § 3 BDSG (Durchführung des Programms im Auftrag des BMZ)"
        ),
        data_subjects=_("Berater*innen"),
        data_categories=_(
            "Name und E-Mail-Adresse (über das Konto), Telefon, Geschlecht, Geburtsjahr, "
            "Wohnort, Herkunftsländer, Sprachen, Expertise, Verfügbarkeit, interne Notizen der "
            "SKEW, Mitgliedschaften in Pools mit Eintritt und Austritt, besuchte Fortbildungen, "
            "Befreiungen mit Begründung."
        ),
        recipients=_(
            "Mitarbeitende der SKEW; die Ansprechpersonen einer Kommune sehen Name und "
            "E-Mail-Adresse der Berater*innen ihres Einsatzes. Öffentlich sind nur Zahlen: wie "
            "viele Berater*innen ein Pool hat, aus wie vielen Orten und mit Wurzeln in wie "
            "vielen Ländern."
        ),
        retention=_(
            "Solange die Person dem Pool angehört und ihre Einsätze nachzuweisen sind. Das "
            "Portal löscht diese Angaben nicht von selbst, auch nicht nach dem Austritt."
        ),
        models=(
            "advisors.Advisor",
            "advisors.PoolMembership",
            "advisors.TrainingCompletion",
            "advisors.TrainingWaiver",
        ),
        note=_(
            "Keine Löschfrist im Code für ausgeschiedene Berater*innen (ihre Zeiten und "
            "Ausgaben verweisen auf sie). Herkunftsländer können Rückschlüsse auf die ethnische "
            "Herkunft zulassen (Art. 9 DSGVO): Rechtsgrundlage mit der oder dem "
            "Datenschutzbeauftragten klären."
        ),
    ),
    NoPersonalData(
        models=(
            "advisors.Language",
            "advisors.Pool",
            "advisors.PartnerOrganisation",
            "advisors.Training",
        ),
        reason=_(
            "Sprachen, Pools, Kooperationspartner (Organisationen) und die Termine der "
            "Fortbildungen: keine personenbezogenen Daten."
        ),
    ),
]
