"""What requests, engagements and their costs do with personal data (the record of
processing, core.processing)."""

from django.utils.translation import gettext_lazy as _

from core.processing import PUBLIC_TASK, Activity, Entry, NoPersonalData

ENTRIES: list[Entry] = [
    Activity(
        key="engagements.officers",
        name=_("Ansprechpersonen der Kommunen"),
        purpose=_(
            "Wer für welche Kommune Beratungsanfragen stellt und Einsätze begleitet; die SKEW "
            "bestätigt, dass die Person für die Kommune spricht."
        ),
        legal_basis=PUBLIC_TASK,
        data_subjects=_("Ansprechpersonen der Kommunen"),
        data_categories=_(
            "Kommune, Funktion und Telefon; wann und von wem die SKEW die Zugehörigkeit "
            "bestätigt hat."
        ),
        recipients=_("Mitarbeitende der SKEW."),
        retention=_(
            "Solange das Konto besteht; mit dem Konto wird auch diese Angabe gelöscht. Das "
            "Portal löscht sie nicht von selbst."
        ),
        models=("engagements.MunicipalOfficer",),
        note=_("Keine Löschfrist im Code (siehe Benutzerkonten)."),
    ),
    Activity(
        key="engagements.requests",
        name=_("Beratungsanfragen"),
        purpose=_(
            "Eine Kommune beantragt einen Beratungseinsatz; die SKEW prüft die Anfrage, fragt "
            "nach, nimmt sie an oder lehnt sie mit Begründung ab und wählt passende "
            "Berater*innen aus."
        ),
        legal_basis=PUBLIC_TASK,
        data_subjects=_(
            "Ansprechpersonen der Kommunen, die in einer Anfrage genannten Kontaktpersonen, "
            "Mitarbeitende der SKEW, die sie bearbeiten"
        ),
        data_categories=_(
            "Inhalt der Anfrage (Ziele, Bedarf, Themen, beteiligte Fachabteilungen, "
            "gewünschter Zeitraum), Name, E-Mail-Adresse und Telefon der Kontaktperson, "
            "Nachrichten zwischen Kommune und SKEW, jeder Statuswechsel mit Person, Zeitpunkt "
            "und Notiz, die Begründung einer Ablehnung, der Änderungsverlauf der Anfrage."
        ),
        recipients=_(
            "Mitarbeitende der SKEW, die Anfragen prüfen (neue Anfragen und Nachrichten "
            "erreichen auch das gemeinsame Postfach des SKEW-Teams); die von der SKEW "
            "bestätigten Ansprechpersonen derselben Kommune."
        ),
        retention=_(
            "Solange die Anfrage oder der aus ihr entstandene Einsatz nachzuweisen ist. Das "
            "Portal löscht Anfragen nicht von selbst."
        ),
        models=(
            "engagements.ConsultationRequest",
            "engagements.RequestStatusChange",
            "engagements.RequestMessage",
        ),
        note=_(
            "Keine Löschfrist im Code, auch nicht für Entwürfe und für abgelehnte oder "
            "zurückgezogene Anfragen."
        ),
    ),
    Activity(
        key="engagements.engagements",
        name=_("Beratungseinsätze"),
        purpose=_(
            "Steuerung der Einsätze: welche Berater*innen in welcher Kommune beraten, von wann "
            "bis wann, mit welchen Meilensteinen und Fristen, und wie der Rat informiert wurde."
        ),
        legal_basis=_(
            "Art. 6 Abs. 1 lit. b DSGVO (Einsatz der Berater*innen) und Art. 6 Abs. 1 lit. e "
            "DSGVO i. V. m. § 3 BDSG (Durchführung des Programms im Auftrag des BMZ)"
        ),
        data_subjects=_("Berater*innen, Ansprechpersonen der Kommunen, Mitarbeitende der SKEW"),
        data_categories=_(
            "Titel, Kommune, Pool, Ziele, Zeitraum, Status, Budget und Ratsvorlage des "
            "Einsatzes; die zugeordneten Berater*innen mit Datum von Zuordnung und Ausscheiden; "
            "Meilensteine mit Fristen und Notizen; der Änderungsverlauf des Einsatzes."
        ),
        recipients=_(
            "Mitarbeitende der SKEW, die Berater*innen des Einsatzes und die Ansprechpersonen "
            "der Kommune."
        ),
        retention=_(
            "Das Portal löscht Einsätze nicht von selbst: Sie bleiben als Akte des Programms "
            "und für seine Kennzahlen."
        ),
        models=(
            "engagements.Engagement",
            "engagements.EngagementAdvisor",
            "engagements.Milestone",
        ),
        note=_("Keine Löschfrist im Code."),
    ),
    Activity(
        key="engagements.costs",
        name=_("Zeiten, Ausgaben und Kostenerstattung"),
        purpose=_(
            "Die Berater*innen erfassen Arbeitszeiten und Ausgaben mit Belegen; die SKEW prüft "
            "und gibt sie frei, erstattet die Kosten (Honorar nach Stundensatz, Reise- und "
            "Sachkosten), korrigiert sie, wenn nötig, und weist sie in monatlichen "
            "Erstattungsberichten je Pool nach."
        ),
        legal_basis=_(
            "Art. 6 Abs. 1 lit. b DSGVO (Honorar und Erstattung) und Art. 6 Abs. 1 lit. c "
            "DSGVO (Nachweis- und Aufbewahrungspflichten nach Haushaltsrecht, BHO und VV-BHO, "
            "sowie nach Handels- und Steuerrecht)"
        ),
        data_subjects=_("Berater*innen; Mitarbeitende der SKEW, die freigeben und korrigieren"),
        data_categories=_(
            "Datum, Stunden, Tätigkeit und Beschreibung; Ausgaben mit Kategorie, Betrag und "
            "Beleg (ein Beleg kann Bankverbindung, Anschrift und Einkäufe zeigen); wer wann "
            "freigegeben hat; Korrekturen mit Begründung; Erstattungsberichte (PDF, XLSX, CSV) "
            "mit Honoraren und Ausgaben je Berater*in; der Änderungsverlauf der Einträge."
        ),
        recipients=_(
            "Die Finanzen der SKEW; Stunden und Beträge ohne Belege auch das SKEW-Team. Belege "
            "sehen nur die Finanzen der SKEW und die Berater*innen des Einsatzes. Die "
            "Erstattungsberichte gehen per E-Mail an die Finanzen der SKEW."
        ),
        retention=_(
            "Zehn Jahre nach Ablauf des Jahres, in dem der Erstattungsbericht erstellt wurde "
            "(haushalts- und handelsrechtliche Aufbewahrung). Das Portal löscht diese "
            "Unterlagen nicht von selbst; die SKEW löscht sie nach Ablauf der Frist."
        ),
        models=(
            "engagements.TimeEntry",
            "engagements.Expense",
            "engagements.CostCorrection",
            "engagements.ReimbursementReport",
        ),
        note=_(
            "Die Frist ist nicht im Code umgesetzt, und Einträge, Korrekturen und Berichte "
            "verweisen geschützt aufeinander (PROTECT): Löschen nach zehn Jahren braucht einen "
            "eigenen Schritt. Maßgebliche Vorschrift und Dauer mit den Finanzen prüfen "
            "(VV-BHO; ANBest-P Nr. 6.5: fünf Jahre nach Vorlage des Verwendungsnachweises; "
            "§ 257 HGB und § 147 AO: Buchungsbelege seit 2025 acht Jahre)."
        ),
    ),
    NoPersonalData(
        models=("engagements.Municipality", "engagements.Department", "engagements.FeeRate"),
        reason=_(
            "Kommunen, ihre Fachabteilungen und die Honorarsätze der Pools: Angaben über "
            "Behörden und Beträge, keine personenbezogenen Daten."
        ),
    ),
]
