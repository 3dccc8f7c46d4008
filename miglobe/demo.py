"""The demo world of `manage.py load_demo`: data tables and the code that writes them.

The world follows the source texts (the NRW pool of 20, the BW pool of 18, the
Eschweiler engagement, the Duisburg network meeting and survey of 42 actors),
but every person in it is invented. Real municipalities keep their real AGS and
coordinates; organisations of migrants have invented names.

Everything is looked up by a natural key (email, AGS, slug, title, ...) and only
created when missing, so a second run changes nothing. All random choices come
from `random.Random(2013)` and a seeded Faker, and every draw is made whether or
not its object already exists, so the same names come out on every run.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from importlib import import_module

import holidays
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import translation
from django.utils.text import slugify
from django_countries import countries

from actors.models import (
    ConsentWording,
    ContactPerson,
    FieldOfAction,
    Organisation,
    PublicationConsent,
)
from advisors.models import (
    Advisor,
    Language,
    PartnerOrganisation,
    Pool,
    PoolMembership,
    Training,
    TrainingCompletion,
)
from core.models import User
from engagements.models import (
    FeeRate,
    Municipality,
    MunicipalOfficer,
)
from events.enums import RegistrationStatus
from events.models import Event, EventSession, Registration

from .demo_council import CouncilStories
from .demo_engagements import (
    BERLIN,
    WITTEN_OFFICER_EMAIL,
    EngagementStories,
    at,
)
from .demo_person import PersonStories
from .demo_recruitment import RecruitmentStories
from .demo_surveys import SurveyStories
from .staff_groups import GROUPS, sync_staff_groups

SEED = 2013
PASSWORD = "miglobe-demo"  # noqa: S105 (the documented password of the demo logins)

SKEW_EMAIL = "skew@example.org"
OFFICER_EMAIL = "officer@eschweiler.example.org"
ADVISOR_EMAIL = "advisor@example.org"

# (email, role shown by `demo_logins`)
DEMO_LOGINS = [
    (SKEW_EMAIL, "SKEW-Team, -Finanzen und -Administration (Verwaltung unter /admin/)"),
    (OFFICER_EMAIL, "Ansprechperson der Stadt Eschweiler (abgeschlossener Einsatz, Nachfragen)"),
    (WITTEN_OFFICER_EMAIL, "Ansprechperson der Stadt Witten (laufender Beratungseinsatz)"),
    (ADVISOR_EMAIL, "Berater*in im Pool NRW (berät jetzt in Witten, zuvor in Eschweiler)"),
]


# Real people named in the source texts. None of them may appear in the demo.
REAL_NAMES = [
    "Maaroufi",
    "Pfafferott",
    "van Ledden",
    "Kocalar",
    "Färber",
    "Organ",
    "Borchers",
    "Dijene",
    "NdemeMatuke",
    "Koc",
    "Flach",
]
_REAL_NAME_TOKENS = {n.lower() for n in REAL_NAMES} | {"ledden"}

NRW, BW = "NW", "BW"
FOA_SLUGS = {
    "S": "projekte-globaler-sueden",
    "B": "bildungsarbeit",
    "K": "klima-umwelt",
    "F": "fairer-handel",
    "P": "partnerschaften",
}

# name, federal state, AGS, latitude, longitude, community countries
MUNICIPALITIES = [
    ("Eschweiler", NRW, "05334012", "50.816700", "6.266700", ["TR", "MA", "SY", "PL", "GH", "NG"]),
    ("Duisburg", NRW, "05112000", "51.434400", "6.762300",
     ["TR", "PL", "BG", "RO", "SY", "MA", "GH", "NG", "GR", "IT"]),
    ("Aachen", NRW, "05334002", "50.775300", "6.083900", []),
    ("Bonn", NRW, "05314000", "50.737400", "7.098200", []),
    ("Bochum", NRW, "05911000", "51.481800", "7.216200", []),
    ("Düsseldorf", NRW, "05111000", "51.227700", "6.773500", []),
    ("Dortmund", NRW, "05913000", "51.513600", "7.465300", []),
    ("Hamm", NRW, "05915000", "51.673900", "7.815000", []),
    ("Köln", NRW, "05315000", "50.937500", "6.960300", []),
    ("Münster", NRW, "05515000", "51.960700", "7.626100", []),
    ("Mülheim an der Ruhr", NRW, "05117000", "51.418600", "6.884500", []),
    ("Wiehl", NRW, "05374048", "50.949600", "7.550600", []),
    ("Witten", NRW, "05954036", "51.443600", "7.352800", ["TR", "PL", "GH", "SY", "KE"]),
    ("Stuttgart", BW, "08111000", "48.775800", "9.182900", []),
    ("Karlsruhe", BW, "08212000", "49.006900", "8.403700", []),
    ("Mannheim", BW, "08222000", "49.487500", "8.466000", []),
    ("Freiburg im Breisgau", BW, "08311000", "47.999000", "7.842100", []),
    ("Heidelberg", BW, "08221000", "49.398800", "8.672400", []),
    ("Ulm", BW, "08421000", "48.401100", "9.987600", []),
    ("Tübingen", BW, "08416041", "48.521600", "9.057600", []),
    ("Reutlingen", BW, "08415061", "48.491400", "9.204300", []),
]  # fmt: skip

NRW_CITIES = [
    "Aachen", "Bonn", "Bochum", "Düsseldorf", "Duisburg", "Dortmund",
    "Hamm", "Köln", "Münster", "Mülheim an der Ruhr", "Wiehl", "Witten",
]  # fmt: skip
NRW_ORIGINS = {
    "ET", "BD", "CI", "GH", "GN", "GW", "IN", "CM", "KE", "CD", "MA", "NG", "RW", "SN", "ZA", "VN",
}  # fmt: skip

POOLS = {
    NRW: {
        "name": "MiGlobe NRW",
        "established": date(2013, 1, 1),
        "description": (
            "Pilotpool von MiGlobe in Nordrhein-Westfalen, aufgebaut 2013 bis 2015 von der "
            "SKEW gemeinsam mit dem FSI Forum für soziale Innovation und dem Eine Welt Netz "
            "NRW. Die Berater*innen haben überwiegend afrikanische Migrationshintergründe und "
            "breite Netzwerke in verschiedenen Regionen NRWs."
        ),
        "partners": [
            ("FSI Forum für soziale Innovation gGmbH", "Solingen"),
            ("Eine Welt Netz NRW", "Düsseldorf"),
        ],
        "fees": [(date(2013, 1, 1), "45.00"), (date(2020, 1, 1), "50.00")],
    },
    BW: {
        "name": "MiGlobe Baden-Württemberg",
        "established": date(2017, 1, 1),
        "description": (
            "Pool von 18 Berater*innen, 2017 über eine öffentliche Ausschreibung gewonnen und "
            "in sechs Fortbildungswochenenden qualifiziert. Seit 2018 stehen sie den Kommunen "
            "in Baden-Württemberg zur Verfügung."
        ),
        "partners": [
            ("Forum der Kulturen Stuttgart e. V.", "Stuttgart"),
            ("DEAB Dachverband Entwicklungspolitik Baden-Württemberg", "Stuttgart"),
        ],
        "fees": [(date(2018, 1, 1), "50.00")],
    },
}

# The NRW pool: name, gender, age this year, home city, countries of origin, languages.
# Index 4 is the demo login advisor@example.org, index 16 the second advisor in Eschweiler,
# index 9 the second in Witten.
NRW_ADVISORS = [
    ("Selam Tesfaye", "female", 41, "Bonn", ["ET"], ["de", "am", "en"]),
    ("Rahim Chowdhury", "male", 52, "Köln", ["BD"], ["de", "bn", "en"]),
    ("Aya Kouassi", "female", 34, "Düsseldorf", ["CI"], ["de", "fr"]),
    ("Kwame Asante-Boateng", "male", 47, "Duisburg", ["GH"], ["de", "tw", "en"]),
    ("Mamadou Sow", "male", 58, "Aachen", ["GN", "SN"], ["de", "fr", "ff", "wo"]),
    ("Fatumata Embaló", "female", 29, "Witten", ["GW"], ["de", "pt", "ff"]),
    ("Karthik Raghavan", "male", 38, "Münster", ["IN"], ["de", "ta", "hi", "en"]),
    ("Josiane Mbarga", "female", 45, "Bochum", ["CM"], ["de", "fr", "en"]),
    ("Peter Otieno Wanjala", "male", 65, "Hamm", ["KE"], ["de", "sw", "en"]),
    ("Ferdinand Mukendi", "male", 36, "Dortmund", ["CD"], ["de", "fr", "ln"]),
    ("Nadia El Idrissi", "female", 31, "Mülheim an der Ruhr", ["MA"], ["de", "ar", "fr"]),
    ("Chinedu Okafor", "male", 44, "Wiehl", ["NG"], ["de", "ig", "en"]),
    ("Jean-Paul Habimana", "male", 50, "Köln", ["RW", "CD"], ["de", "rw", "fr", "sw"]),
    ("Ousmane Ndiaye", "male", 27, "Bonn", ["SN"], ["de", "wo", "fr"]),
    ("Nomvula Dlamini", "female", 39, "Düsseldorf", ["ZA"], ["de", "zu", "en", "af"]),
    ("Lan Pham", "female", 55, "Bochum", ["VN"], ["de", "vi"]),
    ("Abebe Girma", "male", 63, "Aachen", ["ET"], ["de", "am", "om", "en"]),
    ("Folake Adeyemi", "female", 33, "Dortmund", ["NG", "GH"], ["de", "yo", "en"]),
    ("Youssef Benali", "male", 25, "Duisburg", ["MA"], ["de", "ar", "fr"]),
    ("Kofi Mensah-Bonsu", "male", 48, "Münster", ["GH", "CI"], ["de", "tw", "fr", "en"]),
]
NRW_LOGIN_INDEX = 4
NRW_SECOND_INDEX = 16
WITTEN_SECOND_INDEX = 9
# Seven left the pool in 2018/2019, so 13 are members today (a 2020 text speaks of 13).
NRW_LEFT = {1, 5, 8, 11, 14, 15, 19}

# The BW pool: name, gender, countries of origin, languages.
BW_ADVISORS = [
    ("Leyla Aydın", "female", ["TR"], ["de", "tr", "en"]),
    ("Hamid Rezaei", "male", ["IR"], ["de", "fa", "en"]),
    ("Mekdes Haile", "female", ["ER"], ["de", "ti", "en"]),
    ("Dilan Kaya", "female", ["TR"], ["de", "tr", "ku"]),
    ("Samuel Nkongho", "male", ["CM"], ["de", "en", "fr"]),
    ("Aïssatou Traoré", "female", ["ML"], ["de", "fr"]),
    ("Olena Kovalenko", "female", ["UA"], ["de", "ru", "en"]),
    ("Carlos Mendoza Rojas", "male", ["PE", "BO"], ["de", "es"]),
    ("Hoa Tran", "female", ["VN"], ["de", "vi", "en"]),
    ("Srinivas Kolli", "male", ["IN"], ["de", "te", "hi", "en"]),
    ("Imran Qureshi", "male", ["PK"], ["de", "ur", "en"]),
    ("Amadou Ouédraogo", "male", ["BF"], ["de", "fr"]),
    ("Grace Achieng", "female", ["KE"], ["de", "sw", "en"]),
    ("Tarek Haddad", "male", ["SY"], ["de", "ar", "en"]),
    ("Marta Kowalczyk", "female", ["PL"], ["de", "pl"]),
    ("Kemal Demirtaş", "male", ["TR"], ["de", "tr"]),
    ("Blessing Eze", "female", ["NG"], ["de", "ig", "en"]),
    ("Ana Luísa Ferreira", "female", ["BR"], ["de", "pt", "es"]),
]
BW_CITIES = [
    "Stuttgart", "Karlsruhe", "Mannheim", "Freiburg im Breisgau",
    "Heidelberg", "Ulm", "Tübingen", "Reutlingen",
]  # fmt: skip
BW_JOINED = date(2017, 3, 1)

# The six qualification weekends of the BW pool in 2017: title, contents, Saturday, place.
BW_TRAININGS = [
    ("Kommunale Entwicklungspolitik",
     "Akteure, Ziele und Förderinstrumente kommunaler Entwicklungspolitik; die Rolle der SKEW.",
     date(2017, 3, 18), "Stuttgart"),
    ("Kommunales Wissen",
     "Aufbau einer Kommunalverwaltung, Rat und Ausschüsse, Haushalt und Vorlagen.",
     date(2017, 4, 22), "Stuttgart"),
    ("Methodik Interkulturelle Öffnung",
     "Interkulturelle Öffnung als Prozess der Organisationsentwicklung; Methoden und Beispiele.",
     date(2017, 5, 20), "Karlsruhe"),
    ("Die Rolle als Berater*in",
     "Auftragsklärung, Haltung im dialogischen Verfahren, Grenzen der Beratung.",
     date(2017, 7, 8), "Stuttgart"),
    ("Akteurslandschaft",
     "Migrantenorganisationen, Eine-Welt-Gruppen und kommunale Strukturen: Recherche und "
     "Vernetzung.", date(2017, 9, 23), "Mannheim"),
    ("Praxis der Beratung und Abschluss",
     "Fallarbeit aus Kommunen, Planung der ersten Beratungseinsätze, Zertifikatsübergabe.",
     date(2017, 11, 11), "Stuttgart"),
]  # fmt: skip

# Organisations. Fields of action are letters of FOA_SLUGS; "" means none.
# name, kind, countries of origin, countries of activity, scope, fields, founded
DUISBURG_ORGS = [
    ("Volkshochschule Duisburg", "education", [], [], "local", "BK", None),
    ("Stadtbibliothek Duisburg", "municipal", [], [], "local", "B", None),
    ("Umweltamt der Stadt Duisburg", "municipal", [], [], "local", "KF", None),
    ("Bildungsbüro der Stadt Duisburg", "municipal", [], [], "local", "B", None),
    ("Stabsstelle für Wahlen, Europaangelegenheiten und Informationslogistik",
     "municipal", [], [], "local", "P", None),
    ("Kommunales Integrationszentrum Duisburg", "municipal", [], [], "local", "", None),
    ("Diakonie Duisburg – Fachdienst Migration", "church", [], [], "regional", "SB", None),
    ("Niederrheinische Industrie- und Handelskammer Duisburg-Wesel-Kleve",
     "chamber", [], [], "regional", "F", None),
    ("Eine-Welt-Initiative Duisburg-West e. V.", "association", [], [], "regional", "FB", 1991),
    ("Ghanaisch-Deutscher Freundeskreis Duisburg-Nord e. V.",
     "migrant_org", ["GH"], ["GH"], "international", "SB", 2004),
    ("Deutsch-Marokkanischer Kulturverein Rhein-Ruhr e. V.",
     "migrant_org", ["MA"], ["MA"], "regional", "B", 1998),
    ("Kamerunische Diaspora am Niederrhein e. V.",
     "migrant_org", ["CM"], ["CM"], "international", "SP", 2009),
    ("Afrika-Brücke Duisburg-Hochfeld e. V.",
     "migrant_org", ["NG", "GH", "CM"], ["NG", "GH"], "international", "SBF", 2011),
    ("Nigerianische Frauengemeinschaft Ruhr e. V.",
     "migrant_org", ["NG"], ["NG"], "regional", "S", 2006),
    ("Kongolesischer Kulturverein Mbote Duisburg e. V.",
     "migrant_org", ["CD"], [], "local", "", 2012),
    ("Togo-Solidarität Duisburg e. V.", "migrant_org", ["TG"], ["TG"], "international", "SK", 2001),
    ("Senegalesischer Verein Teranga Duisburg e. V.",
     "migrant_org", ["SN"], ["SN"], "international", "SF", 2010),
    ("Verein der Guineer*innen in Duisburg e. V.", "migrant_org", ["GN"], [], "local", "", 2015),
    ("Eritreisch-Äthiopisches Kulturforum Ruhr e. V.",
     "migrant_org", ["ER", "ET"], ["ET"], "regional", "B", 2008),
    ("Türkisch-Deutscher Umweltverein Marxloh e. V.",
     "migrant_org", ["TR"], [], "local", "K", 2013),
    ("Anatolischer Bildungs- und Kulturverein Hamborn e. V.",
     "migrant_org", ["TR"], [], "local", "", 1986),
    ("Kurdischer Elternverein Duisburg e. V.",
     "migrant_org", ["TR", "IQ", "SY"], [], "local", "", 2003),
    ("Syrischer Hilfsverein Jasmin e. V.",
     "migrant_org", ["SY"], ["SY", "LB"], "international", "S", 2014),
    ("Irakisch-Deutsche Akademikergesellschaft Rhein-Ruhr e. V.",
     "migrant_org", ["IQ"], ["IQ"], "national", "BP", 2005),
    ("Afghanischer Frauenverein Duisburg e. V.",
     "migrant_org", ["AF"], ["AF"], "international", "S", 2016),
    ("Bosnisch-Herzegowinischer Kulturverein Duisburg e. V.",
     "migrant_org", ["BA"], [], "regional", "", 1994),
    ("Griechisch-Deutscher Kulturkreis Rheinhausen e. V.",
     "migrant_org", ["GR"], ["GR"], "regional", "P", 1979),
    ("Circolo Italiano Duisburg-Meiderich e. V.", "migrant_org", ["IT"], [], "regional", "", 1972),
    ("Polnischer Kultur- und Bildungsverein Duisburg e. V.",
     "migrant_org", ["PL"], ["PL"], "regional", "BP", 1992),
    ("Rumänisch-Deutsche Initiative Duisburg e. V.",
     "migrant_org", ["RO"], ["RO"], "regional", "B", 2014),
    ("Bulgarischer Kulturverein Duisburg e. V.", "migrant_org", ["BG"], [], "regional", "", 2013),
    ("Vietnamesischer Kulturverein Duisburg e. V.",
     "migrant_org", ["VN"], ["VN"], "regional", "SB", 1990),
    ("Bangladeschischer Kulturverein Ruhr e. V.",
     "migrant_org", ["BD"], ["BD"], "regional", "SK", 2002),
    ("Kenianische Gemeinschaft Rhein-Ruhr e. V.",
     "migrant_org", ["KE"], ["KE"], "international", "SB", 2007),
    ("Ruandischer Verein Ubumwe Duisburg e. V.",
     "migrant_org", ["RW"], ["RW"], "international", "SB", 2000),
    ("Ivorischer Kulturverein Akwaba Duisburg e. V.",
     "migrant_org", ["CI"], ["CI"], "national", "F", 2011),
    ("Peruanischer Kulturverein Inti Duisburg e. V.",
     "migrant_org", ["PE"], ["PE"], "international", "SF", 1997),
    ("Brasilianisch-Deutscher Kulturverein Duisburg e. V.",
     "migrant_org", ["BR"], ["BR"], "regional", "K", 2003),
    ("Angolanisch-Deutscher Freundeskreis Duisburg e. V.",
     "migrant_org", ["AO"], ["AO"], "international", "SP", 2008),
    ("Tunesischer Kulturverein Duisburg e. V.", "migrant_org", ["TN"], [], "local", "", 2012),
    ("Afrikanischer Frauenverein Duisburg e. V.",
     "migrant_org", ["NG", "GH", "CM", "CD"], [], "local", "B", 2010),
    ("Jugendnetzwerk Afro-Ruhr e. V.", "migrant_org", ["NG", "GH", "SN"], [], "regional", "", 2017),
]  # fmt: skip
# Of the 42, these have no active consent (the last one withdrew it). They are
# chosen so that the 36 published ones still show the survey's shares on the
# statistics page: 9 of 36 international (25 %), 11 local (31 %), 27 in at
# least one field of action (75 %).
DUISBURG_WITHOUT_CONSENT = {
    "Peruanischer Kulturverein Inti Duisburg e. V.",
    "Angolanisch-Deutscher Freundeskreis Duisburg e. V.",
    "Tunesischer Kulturverein Duisburg e. V.",
    "Afrikanischer Frauenverein Duisburg e. V.",
    "Brasilianisch-Deutscher Kulturverein Duisburg e. V.",
    "Rumänisch-Deutsche Initiative Duisburg e. V.",
}
DUISBURG_WITHDRAWN = "Rumänisch-Deutsche Initiative Duisburg e. V."
# These have no contact person on record.
DUISBURG_WITHOUT_CONTACT = {
    "Circolo Italiano Duisburg-Meiderich e. V.",
    "Bulgarischer Kulturverein Duisburg e. V.",
    "Stabsstelle für Wahlen, Europaangelegenheiten und Informationslogistik",
    "Kongolesischer Kulturverein Mbote Duisburg e. V.",
}

DUISBURG_POSTCODES = [
    "47051", "47053", "47057", "47058", "47119", "47137", "47166", "47169",
    "47178", "47198", "47226", "47228", "47249", "47259", "47269", "47279",
]  # fmt: skip

DUISBURG_MEETING_TITLE = "Migration und Entwicklung auf kommunaler Ebene – Vernetzungstreffen"
DUISBURG_WORKSHOPS = [
    ("Projekte in den Herkunftsländern und Nord-Süd-Partnerschaften", "Ratssaal"),
    ("Entwicklungspolitische Bildungsarbeit in Duisburg", "Sitzungszimmer 1"),
    ("Klima, Umwelt und Fairer Handel vor Ort", "Sitzungszimmer 2"),
    ("Vernetzung und Förderung: Wege zur SKEW", "Sitzungszimmer 3"),
]
UPCOMING_MEETING_TITLE = "Zweites Duisburger Vernetzungstreffen Migration und Entwicklung"
STUTTGART_MEETING_TITLE = "MiGlobe Baden-Württemberg: Informationsveranstaltung für Kommunen"
PLANNING_MEETING_TITLE = "Planungstreffen Interkulturelle Woche Duisburg"

CONSENT_TEXT_DE = (
    "Wir sind damit einverstanden, dass die Servicestelle Kommunen in der Einen Welt (SKEW) "
    "der Engagement Global gGmbH Name, Beschreibung, Handlungsfelder, Herkunfts- und "
    "Aktivitätsländer sowie die allgemeinen Kontaktdaten unserer Organisation im öffentlichen "
    "Verzeichnis des MiGlobe-Portals veröffentlicht. Für eine Kontaktperson gilt dies nur, "
    "wenn sie selbst eingewilligt hat. Die Einwilligung ist freiwillig. Sie kann jederzeit "
    "ohne Angabe von Gründen mit Wirkung für die Zukunft widerrufen werden, zum Beispiel "
    "per E-Mail an die SKEW; die Angaben werden dann aus dem Verzeichnis entfernt."
)
CONSENT_TEXT_EN = (
    "We agree that the Service Agency Communities in One World (SKEW) of Engagement Global "
    "gGmbH publishes the name, description, fields of action, countries of origin and of "
    "activity and the general contact details of our organisation in the public directory of "
    "the MiGlobe portal. For a contact person this applies only with their own consent. The "
    "consent is voluntary and can be withdrawn at any time, without giving reasons, with "
    "effect for the future, for example by email to SKEW; the entry is then removed."
)

# Invented names for people of the communities in the demo, by country.
_NAMES = {
    "west_en": (["Kwabena", "Ama", "Akosua", "Yaw", "Efua", "Chiamaka", "Emeka", "Ngozi",
                 "Tunde", "Funmilayo", "Ifeoma", "Oluwaseun", "Abena", "Kojo"],
                ["Owusu", "Amoah", "Adjei", "Nwosu", "Okonkwo", "Adebayo", "Obi", "Ogunleye",
                 "Asamoah", "Appiah", "Anyanwu", "Oyelaran"]),
    "west_fr": (["Aminata", "Moussa", "Fatou", "Ibrahima", "Marie-Claire", "Serge", "Patrice",
                 "Clarisse", "Didier", "Awa", "Cheikh", "Odile", "Innocent", "Estelle"],
                ["Nkoulou", "Ngono", "Kabongo", "Ilunga", "Diop", "Fall", "Camara", "Bamba",
                 "Koné", "Uwimana", "Niyonzima", "Agbeko", "Sanogo", "Tshibanda"]),
    "east": (["Hiwot", "Meron", "Dawit", "Yonas", "Wanjiru", "Mwende", "Tsehay", "Kibet",
              "Senait", "Berhane"],
             ["Bekele", "Tadesse", "Gebremedhin", "Kahsay", "Kamau", "Njoroge", "Wekesa",
              "Alemu", "Woldemariam"]),
    "mena": (["Karim", "Samira", "Yasmina", "Omar", "Rachid", "Leila", "Hassan", "Nour",
              "Mariam", "Bilal", "Soraya", "Walid"],
             ["Bouzidi", "Amrani", "Khalil", "Saleh", "Nasser", "Rahimi", "Azizi", "Karimi",
              "Jaziri", "Tahiri", "Sabbagh"]),
    "tr": (["Ayşe", "Mehmet", "Elif", "Hüseyin", "Zeynep", "Murat", "Emine", "Serkan", "Gül",
            "Deniz", "Baran", "Rojda"],
           ["Yıldız", "Şahin", "Çelik", "Arslan", "Doğan", "Kılıç", "Öztürk", "Polat", "Ekinci",
            "Bozkurt"]),
    "GR": (["Dimitrios", "Eleni", "Georgios", "Katerina"], ["Nikolaidis", "Georgiou", "Papadakis"]),
    "IT": (["Giuseppe", "Francesca", "Marco", "Chiara"], ["Esposito", "Romano", "Ferri"]),
    "PL": (["Agnieszka", "Tomasz", "Katarzyna", "Piotr"], ["Nowak", "Mazur", "Kaczmarek"]),
    "RO": (["Andrei", "Ioana", "Mihai", "Elena"], ["Popescu", "Ionescu", "Dumitru"]),
    "BG": (["Petya", "Georgi", "Desislava"], ["Todorova", "Petrov", "Stoyanova"]),
    "BA": (["Amir", "Lejla", "Edin", "Selma"], ["Hodžić", "Begić", "Mehmedović"]),
    "VN": (["Mai", "Long", "Thu", "Hung"], ["Nguyen", "Le", "Vu", "Do"]),
    "BD": (["Farhana", "Rafiq", "Nasrin", "Tanvir"], ["Hossain", "Rahman", "Akter", "Islam"]),
    "latam": (["Lucía", "Jorge", "Rosa", "João", "Fernanda", "Paulo", "Domingos", "Luzia"],
              ["Quispe", "Huamán", "Vargas", "Oliveira", "Costa", "Kiala", "Santos"]),
}  # fmt: skip
_NAME_GROUP = {
    "GH": "west_en", "NG": "west_en", "CM": "west_fr", "CD": "west_fr", "SN": "west_fr",
    "GN": "west_fr", "TG": "west_fr", "CI": "west_fr", "RW": "west_fr", "ER": "east",
    "ET": "east", "KE": "east", "MA": "mena", "TN": "mena", "SY": "mena", "IQ": "mena",
    "AF": "mena", "TR": "tr", "PE": "latam", "BR": "latam", "AO": "latam",
}  # fmt: skip

_TRANSLIT = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss",
     "ı": "i", "ł": "l", "đ": "d", "ø": "o", "æ": "ae"}
)  # fmt: skip


def ascii_slug(text: str, sep: str = "-") -> str:
    text = unicodedata.normalize("NFKD", text.lower().translate(_TRANSLIT))
    text = text.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", sep, text).strip(sep)


def email_for(name: str, domain: str) -> str:
    return f"{ascii_slug(name, '.')}@{domain}"


def org_slug(name: str) -> str:
    return re.sub(r"-e-v$", "", slugify(name.translate(_TRANSLIT)))[:120]


def contains_real_name(text: str) -> bool:
    """True when a word of `text` is the surname of a real person of the source texts."""
    words = {w.lower() for w in re.findall(r"[\wÀ-ÿ]+", text)}
    return bool(words & _REAL_NAME_TOKENS) or "van ledden" in text.lower()


def next_weekday(start: date, weekday: int) -> date:
    """The first `weekday` (0 = Monday) on or after `start`, outside the Christmas holidays."""
    day = start + timedelta(days=(weekday - start.weekday()) % 7)
    while (day.month, day.day) >= (12, 20) or (day.month, day.day) <= (1, 6):
        day += timedelta(weeks=1)
    return day


def first_eid_al_fitr(start: date) -> date:
    """The first day of Eid al-Fitr in Morocco on or after `start`, from the `holidays` package."""
    # The feast moves about eleven days a year, so it falls within `start`'s year or the next.
    morocco = holidays.country_holidays("MA", years=[start.year, start.year + 1], language="en_US")
    return min(day for day in morocco.get_named("Eid al-Fitr") if day >= start)


def country_names_de(codes: list[str]) -> str:
    with translation.override("de"):
        names = [str(countries.name(c)) for c in codes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " und " + names[-1]


FIELD_SENTENCES = {
    "S": "Der Verein unterstützt Projekte in den Herkunftsländern, etwa in Bildung und "
    "Gesundheitsversorgung.",
    "B": "Er leistet entwicklungspolitische Bildungsarbeit an Schulen und in Jugendgruppen.",
    "K": "Ein Schwerpunkt sind Klimaschutz und Umweltbildung vor Ort.",
    "F": "Er wirbt für fairen Handel und faire Beschaffung.",
    "P": "Er engagiert sich für Städte- und Schulpartnerschaften mit den Herkunftsregionen.",
}
SCOPE_SENTENCES = {
    "local": "Aktiv ist er vor allem im eigenen Stadtteil.",
    "regional": "Er ist in der Region gut vernetzt.",
    "national": "Er arbeitet bundesweit mit Vereinen der Community zusammen.",
    "international": "Er unterhält Partnerschaften und Projekte im Ausland.",
}
INSTITUTION_DESCRIPTIONS = {
    "education": "Weiterbildungseinrichtung der Stadt mit Kursen zu globalen Themen, Sprachen "
    "und Integration.",
    "municipal": "Städtische Einrichtung; Partnerin für Veranstaltungen und Projekte mit "
    "Migrantenorganisationen.",
    "church": "Beratung für Zugewanderte und Unterstützung von Vereinen, auch bei "
    "entwicklungspolitischen Projekten.",
    "chamber": "Berät Unternehmen, auch zu fairen Lieferketten und Kontakten in Herkunftsländer.",
    "association": "Eine-Welt-Gruppe mit Weltladen, Bildungsangeboten und Kampagnen.",
}


def describe(name, kind, origins, fields, scope, founded, city="Duisburg") -> str:
    if kind != "migrant_org":
        parts = [INSTITUTION_DESCRIPTIONS[kind]]
    else:
        first = f"Verein von Menschen mit Wurzeln in {country_names_de(origins)} in {city}"
        parts = [first + (f", gegründet {founded}." if founded else ".")]
    parts += [FIELD_SENTENCES[f] for f in fields]
    if not fields:
        parts.append(
            "Im Mittelpunkt stehen bislang Kultur, Sprache und Begegnung; "
            "entwicklungspolitische Themen sollen hinzukommen."
        )
    if kind == "migrant_org":
        parts.append(SCOPE_SENTENCES[scope])
    return " ".join(parts)


def ensure_reference_data() -> None:
    """Write the migrations' reference rows again (idempotent).

    A flushed database (`manage.py flush`, transactional tests) has the schema
    but not the rows the data migrations wrote.
    """
    import_module("actors.migrations.0003_fields_of_action").add_fields_of_action(apps, None)
    import_module("advisors.migrations.0003_languages").add_languages(apps, None)
    site_and_schedules = import_module("miglobe.migrations.0001_site_and_schedules")
    site_and_schedules.name_site(apps, None)  # allauth's emails and pages need the site
    site_and_schedules.write_schedules(apps, None)


class DemoWorld(
    EngagementStories, RecruitmentStories, SurveyStories, CouncilStories, PersonStories
):
    """Draws the demo world (the same on every run) and writes what is missing."""

    def __init__(self, *, today: date):
        from faker import Faker  # a dev dependency: only `make run` and the tests load the demo

        self.today = today
        self.rng = random.Random(SEED)
        self.fake = Faker("de_DE")
        self.fake.seed_instance(SEED)
        self.used_names: set[str] = set()
        self.created: Counter[str] = Counter()

    # -- helpers ---------------------------------------------------------------

    def _get_or_create(self, model, defaults=None, **lookup):
        obj, created = model.objects.get_or_create(defaults=defaults or {}, **lookup)
        if created:
            self.created[str(model._meta.verbose_name_plural)] += 1
        return obj, created

    email_for = staticmethod(email_for)

    def german_name(self) -> str:
        while True:
            name = f"{self.fake.first_name()} {self.fake.last_name()}"
            if name not in self.used_names and not contains_real_name(name):
                self.used_names.add(name)
                return name

    def community_name(self, country: str | None) -> str:
        group = _NAME_GROUP.get(country or "", country)
        if group not in _NAMES:
            return self.german_name()
        first, last = _NAMES[group]
        while True:
            name = f"{self.rng.choice(first)} {self.rng.choice(last)}"
            if name not in self.used_names and not contains_real_name(name):
                self.used_names.add(name)
                return name

    # -- the world -------------------------------------------------------------

    def build(self) -> None:
        self.used_names.update(a[0] for a in NRW_ADVISORS)
        self.used_names.update(a[0] for a in BW_ADVISORS)
        self.reference_data()
        self.municipalities()
        self.pools()
        self.users()
        self.nrw_advisors()
        self.bw_advisors()
        self.eschweiler()
        self.duisburg_organisations()
        self.duisburg_meeting()
        self.upcoming_events()
        # Last, so that the draws above stay what they were before these were added.
        self.eschweiler_outcome()
        self.witten()
        self.recruitment()
        self.surveys()
        self.council()
        self.one_person_everywhere()  # last: it finds the others' objects

    def reference_data(self):
        ensure_reference_data()
        self.fields = {k: FieldOfAction.objects.get(slug=s) for k, s in FOA_SLUGS.items()}
        self.languages = {lang.code: lang for lang in Language.objects.all()}
        self.wording_2018, _ = self._get_or_create(
            ConsentWording,
            version="2018-1",
            defaults={"text_de": CONSENT_TEXT_DE, "valid_from": date(2018, 1, 1)},
        )
        self.wording, _ = self._get_or_create(
            ConsentWording,
            version="2024-1",
            defaults={
                "text_de": CONSENT_TEXT_DE,
                "text_en": CONSENT_TEXT_EN,
                "valid_from": date(2024, 1, 1),
            },
        )

    def municipalities(self):
        self.towns = {}
        for name, state, ags, lat, lon, communities in MUNICIPALITIES:
            town = (
                Municipality.objects.filter(ags=ags).first()
                or Municipality.objects.filter(name=name, federal_state=state).first()
            )
            if town is None:
                town = Municipality.objects.create(
                    name=name,
                    federal_state=state,
                    ags=ags,
                    latitude=Decimal(lat),
                    longitude=Decimal(lon),
                    community_countries=communities,
                )
                self.created["Kommunen"] += 1
            self.towns[name] = town

    def pools(self):
        self.pool = {}
        for state, spec in POOLS.items():
            pool, _ = self._get_or_create(
                Pool,
                federal_state=state,
                defaults={
                    "name": spec["name"],
                    "established": spec["established"],
                    "description": spec["description"],
                },
            )
            self.pool[state] = pool
            for name, city in spec["partners"]:
                self._get_or_create(
                    PartnerOrganisation, pool=pool, name=name, defaults={"city": city}
                )
            for valid_from, rate in spec["fees"]:
                self._get_or_create(
                    FeeRate,
                    pool=pool,
                    valid_from=valid_from,
                    defaults={"hourly_rate": Decimal(rate)},
                )

    def _user(self, email: str, name: str, *, login: bool = False, **extra):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(email=email, name=name, **extra)
            if login:
                user.password = self.password_hash
            else:
                user.set_unusable_password()
            user.save()
            self.created["Benutzer*innen"] += 1
        if login:
            self._get_or_create(
                EmailAddress,
                user=user,
                email=user.email,
                defaults={"verified": True, "primary": True},
            )
        return user

    def users(self):
        self.password_hash = make_password(PASSWORD)  # hashed once: keeps the command fast
        # One person does everything in the demo: every staff group (miglobe/staff_groups.py).
        sync_staff_groups()
        self.skew = self._user(SKEW_EMAIL, "Lena Hoffmeister", login=True, is_staff=True)
        missing = Group.objects.filter(name__in=GROUPS).exclude(user=self.skew)
        if missing:  # adding none would still write a line into the account's history
            self.skew.groups.add(*missing)
        self.officer_user = self._user(OFFICER_EMAIL, "Claudia Wegener", login=True)

        self.officer, _ = self._get_or_create(
            MunicipalOfficer,
            user=self.officer_user,
            defaults={
                "municipality": self.towns["Eschweiler"],
                "role": "Integrationsbeauftragte",
                "confirmed_at": at(date(2019, 5, 20), 10),
                "confirmed_by": self.skew,
            },
        )

    def _advisor(self, *, email, name, gender, birth_year, city, origins, languages,
                 fields, availability, notes, login=False):  # fmt: skip
        user = self._user(email, name, login=login)
        advisor, created = self._get_or_create(
            Advisor,
            user=user,
            defaults={
                "gender": gender,
                "birth_year": birth_year,
                "home_municipality": self.towns[city],
                "countries_of_origin": origins,
                "availability": availability,
                "available_from": (
                    date(self.today.year + 1, 1, 1) if availability == "unavailable" else None
                ),
                "expertise_notes": notes,
            },
        )
        if created:
            advisor.languages.set([self.languages[c] for c in languages if c in self.languages])
            advisor.expertise.set([self.fields[f] for f in fields])
        return advisor

    EXPERTISE_NOTES = [
        "Moderation von Vernetzungstreffen mit Migrantenorganisationen.",
        "Interkulturelle Trainings für Verwaltungen.",
        "Diaspora-Projekte in Bildung und Gesundheit.",
        "Schul- und Städtepartnerschaften.",
        "Fairer Handel und faire Beschaffung in Kommunen.",
        "Klimaschutzprojekte mit Partnerorganisationen im Globalen Süden.",
        "Vereinsberatung und Fördermittel.",
        "Öffentlichkeitsarbeit und Veranstaltungsorganisation.",
    ]

    def _plan_expertise(self):
        fields = self.rng.sample(list(FOA_SLUGS), self.rng.randint(1, 3))
        notes = " ".join(self.rng.sample(self.EXPERTISE_NOTES, 2))
        return "".join(sorted(fields)), notes

    def nrw_advisors(self):
        pool = self.pool[NRW]
        self.nrw = []
        for i, (name, gender, age, city, origins, langs) in enumerate(NRW_ADVISORS):
            fields, notes = self._plan_expertise()
            joined = date(2013, 3, 1) + timedelta(days=self.rng.randint(0, 2 * 365 + 270))
            left = date(2018, 1, 15) + timedelta(days=self.rng.randint(0, 700))
            availability = self.rng.choice(["available"] * 3 + ["limited"] * 2 + ["unavailable"])
            if i in NRW_LEFT:
                availability = "unavailable"
            elif i in (NRW_LOGIN_INDEX, NRW_SECOND_INDEX):
                availability = "limited"
            email = ADVISOR_EMAIL if i == NRW_LOGIN_INDEX else email_for(name, "example.org")
            advisor = self._advisor(
                email=email,
                name=name,
                gender=gender,
                birth_year=self.today.year - age,
                city=city,
                origins=origins,
                languages=langs,
                fields=fields,
                availability=availability,
                notes=notes,
                login=i == NRW_LOGIN_INDEX,
            )
            self._get_or_create(
                PoolMembership,
                advisor=advisor,
                pool=pool,
                defaults={"joined_on": joined, "left_on": left if i in NRW_LEFT else None},
            )
            self.nrw.append(advisor)
        self.login_advisor = self.nrw[NRW_LOGIN_INDEX]
        self.eschweiler_second = self.nrw[NRW_SECOND_INDEX]
        self.witten_second = self.nrw[WITTEN_SECOND_INDEX]

    def bw_advisors(self):
        pool = self.pool[BW]
        trainings = []
        for title, topic, saturday, place in BW_TRAININGS:
            training, _ = self._get_or_create(
                Training,
                pool=pool,
                title=title,
                defaults={
                    "topic": topic,
                    "starts_on": saturday,
                    "ends_on": saturday + timedelta(days=1),
                    "location": place,
                },
            )
            trainings.append(training)
        for i, (name, gender, origins, langs) in enumerate(BW_ADVISORS):
            fields, notes = self._plan_expertise()
            age = self.rng.randint(27, 62)
            availability = self.rng.choice(["available"] * 3 + ["limited"])
            advisor = self._advisor(
                email=email_for(name, "bw.example.org"),
                name=name,
                gender=gender,
                birth_year=self.today.year - age,
                city=BW_CITIES[i % len(BW_CITIES)],
                origins=origins,
                languages=langs,
                fields=fields,
                availability=availability,
                notes=notes,
            )
            self._get_or_create(
                PoolMembership, advisor=advisor, pool=pool, defaults={"joined_on": BW_JOINED}
            )
            for training in trainings:
                self._get_or_create(
                    TrainingCompletion,
                    advisor=advisor,
                    training=training,
                    defaults={"completed_on": training.ends_on},
                )

    # -- organisations ---------------------------------------------------------

    def _organisation(self, row, town, postcodes, *, with_contact=True):
        name, kind, origins, activity, scope, fields, founded = row
        slug = org_slug(name)
        domain = f"{slug[:50].strip('-')}.example.org"
        street = f"{self.fake.street_name()} {self.rng.randint(1, 120)}"
        postcode = self.rng.choice(postcodes)
        contact_name = (
            self.community_name(origins[0]) if origins else self.german_name()
        ) if with_contact else None  # fmt: skip
        role = {
            "migrant_org": self.rng.choice(["Vorsitzende*r", "Vorstand", "Projektkoordination"]),
            "association": "Vorstand",
        }.get(kind, "Ansprechperson Migration und Entwicklung")
        org, created = self._get_or_create(
            Organisation,
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "municipality": town,
                "street": street,
                "postcode": postcode,
                "website": f"https://{domain}/",
                "email": f"info@{domain}",
                "countries_of_origin": origins,
                "countries_of_activity": activity,
                "scope": scope,
                "description": describe(name, kind, origins, fields, scope, founded, town.name),
                "founded_year": founded,
            },
        )
        if created:
            org.fields_of_action.set([self.fields[f] for f in fields])
        contact = None
        if contact_name:
            contact, _ = self._get_or_create(
                ContactPerson,
                organisation=org,
                name=contact_name,
                defaults={"role": role, "email": email_for(contact_name, domain)},
            )
        return org, contact

    def _consent(self, org, *, given_by, given_at, wording, contact=None, withdrawn_at=None):
        channel = self.rng.choice(["paper", "paper", "in_person", "email", "web_form", "phone"])
        self._get_or_create(
            PublicationConsent,
            organisation=org,
            contact_person=contact,
            wording=wording,
            defaults={
                "given_by": given_by,
                "given_at": given_at,
                "channel": channel,
                "recorded_by": self.skew,
                "withdrawn_at": withdrawn_at,
            },
        )

    def duisburg_organisations(self):
        town = self.towns["Duisburg"]
        self.duisburg_orgs = {}
        for row in DUISBURG_ORGS:
            name = row[0]
            org, contact = self._organisation(
                row, town, DUISBURG_POSTCODES, with_contact=name not in DUISBURG_WITHOUT_CONTACT
            )
            self.duisburg_orgs[name] = (org, contact)
            given_by = contact.name if contact else self.german_name()
            given_at = at(date(2018, 2, 2), 17) + timedelta(days=self.rng.randint(0, 300))
            if name not in DUISBURG_WITHOUT_CONSENT:
                self._consent(org, given_by=given_by, given_at=given_at, wording=self.wording_2018)
            elif name == DUISBURG_WITHDRAWN:
                self._consent(
                    org,
                    given_by=given_by,
                    given_at=given_at,
                    wording=self.wording_2018,
                    withdrawn_at=at(date(2021, 4, 14), 9, 30),
                )
        # Some contact persons agreed to be listed by name as well (under the current wording).
        with_contact = [
            (org, c) for org, c in self.duisburg_orgs.values() if c and org.kind == "migrant_org"
        ]
        for org, contact in with_contact[::5]:
            given_at = at(date(2024, 3, 1), 11) + timedelta(days=self.rng.randint(0, 200))
            self._consent(
                org, contact=contact, given_by=contact.name, given_at=given_at, wording=self.wording
            )

    # -- events ----------------------------------------------------------------

    def duisburg_meeting(self):
        day = date(2018, 2, 2)
        event, _ = self._get_or_create(
            Event,
            title=DUISBURG_MEETING_TITLE,
            defaults={
                "kind": "network_meeting",
                "description": (
                    "Das entwicklungspolitische Engagement von Organisationen von Zugewanderten "
                    "steht im Mittelpunkt dieses Vernetzungstreffens. Vorgestellt werden die "
                    "Ergebnisse einer Befragung von 42 Duisburger Akteuren aus dem Jahr 2017; in "
                    "vier Workshops lernen sich die Teilnehmenden kennen."
                ),
                "municipality": self.towns["Duisburg"],
                "organiser": "Kommunales Integrationszentrum Duisburg und SKEW",
                "venue": "Rathaus Duisburg",
                "venue_address": "Burgplatz 19, 47051 Duisburg",
                "accessibility": (
                    "Bitte teilen Sie uns bei der Anmeldung mit, welche Unterstützung Sie "
                    "benötigen (z. B. Zugang ohne Stufen, Verdolmetschung)."
                ),
                "starts_at": at(day, 14),
                "ends_at": at(day, 18),
                "capacity": 60,
                "registration_deadline": at(date(2018, 1, 26), 23, 59),
                "is_public": True,
            },
        )
        programme = [
            ("welcome", "Begrüßung",
             "Bürgermeister der Stadt Duisburg; stellvertretende Leitung des Kommunalen "
             "Integrationszentrums", "Ratssaal", (14, 0), (14, 20)),
            ("talk", "Rückblick auf den Empowerment Day 2016",
             "Kommunales Integrationszentrum Duisburg", "Ratssaal", (14, 20), (14, 35)),
            ("talk", "Das Spektrum der entwicklungspolitischen Arbeit von Migrantenorganisationen",
             "Jonas Albrecht (SKEW)", "Ratssaal", (14, 35), (15, 5)),
            ("talk", "Ergebnisse der Duisburger Befragung 2017",
             "Serge Mbida und Emmanuel Tchoumi (Projektberater der SKEW)", "Ratssaal",
             (15, 5), (15, 35)),
            ("break", "Kaffeepause", "", "Foyer", (15, 35), (16, 0)),
        ]  # fmt: skip
        for kind, title, speakers, room, start, end in programme:
            self._get_or_create(
                EventSession,
                event=event,
                title=title,
                defaults={
                    "kind": kind,
                    "speakers": speakers,
                    "room": room,
                    "starts_at": at(day, *start),
                    "ends_at": at(day, *end),
                },
            )
        workshops = [
            self._get_or_create(
                EventSession,
                event=event,
                title=title,
                defaults={
                    "kind": "workshop",
                    "room": room,
                    "starts_at": at(day, 16),
                    "ends_at": at(day, 17, 30),
                    "capacity": 15,
                },
            )[0]
            for title, room in DUISBURG_WORKSHOPS
        ]
        self._get_or_create(
            EventSession,
            event=event,
            title="Abschluss im Plenum und Ausblick",
            defaults={
                "kind": "panel",
                "room": "Ratssaal",
                "starts_at": at(day, 17, 30),
                "ends_at": at(day, 18),
            },
        )

        # About 50 participants: one or two people from most organisations, plus guests.
        people = []  # (name, email, organisation or None, free-text organisation, category)
        orgs = list(self.duisburg_orgs.values())
        migrant = [(o, c) for o, c in orgs if o.kind == "migrant_org"]
        for i, (org, contact) in enumerate(migrant[:30]):
            name = contact.name if contact else self.community_name(org.countries_of_origin[0])
            people.append((name, org, "", "migrant_org"))
            if i < 5:
                people.append(
                    (self.community_name(org.countries_of_origin[0]), org, "", "migrant_org")
                )
        institutions = {o.name: o for o, _ in orgs if o.kind != "migrant_org"}
        for org_name, n in [
            ("Volkshochschule Duisburg", 2),
            ("Stadtbibliothek Duisburg", 1),
            ("Umweltamt der Stadt Duisburg", 1),
            ("Bildungsbüro der Stadt Duisburg", 1),
            ("Stabsstelle für Wahlen, Europaangelegenheiten und Informationslogistik", 1),
            ("Diakonie Duisburg – Fachdienst Migration", 2),
            ("Niederrheinische Industrie- und Handelskammer Duisburg-Wesel-Kleve", 1),
            ("Eine-Welt-Initiative Duisburg-West e. V.", 1),
        ]:
            org = institutions[org_name]
            category = "municipal" if org.kind in ("municipal", "education") else "institution"
            people += [(self.german_name(), org, "", category) for _ in range(n)]
        people += [(self.german_name(), None, "Integrationsrat der Stadt Duisburg", "municipal")
                   for _ in range(2)]  # fmt: skip
        people += [(self.german_name(), None, "", "private") for _ in range(3)]

        no_shows = set(self.rng.sample(range(len(people)), 4))
        for i, (name, org, org_text, category) in enumerate(people):
            if org is not None:
                domain = org.email.split("@", 1)[1]
            elif category == "private":
                domain = "example.com"
            else:
                domain = "stadt-duisburg.example.org"
            workshop = workshops[i % len(workshops)]  # keeps every workshop under capacity
            listed = self.rng.random() < 0.6
            registration, created = self._get_or_create(
                Registration,
                event=event,
                email=email_for(name, domain),
                defaults={
                    "name": name,
                    "organisation": org,
                    "organisation_name": org_text,
                    "category": category,
                    "status": RegistrationStatus.CONFIRMED,
                    "attended": i not in no_shows,
                    "listed": listed,
                    "needs": "Verdolmetschung ins Französische" if i == 7 else "",
                },
            )
            if created:
                registration.sessions.set([workshop])

    def upcoming_events(self):
        day = next_weekday(self.today + timedelta(weeks=5), 4)  # a Friday afternoon
        event, created = self._get_or_create(
            Event,
            title=UPCOMING_MEETING_TITLE,
            defaults={
                "kind": "network_meeting",
                "description": (
                    "Folgetreffen der Duisburger Akteure aus Migration und Entwicklung: Was ist "
                    "seit dem ersten Treffen entstanden, welche Projekte suchen Partner? Mit "
                    "zwei Workshops. Die Teilnahme ist kostenlos; bitte melden Sie sich an."
                ),
                "municipality": self.towns["Duisburg"],
                "organiser": "Kommunales Integrationszentrum Duisburg und SKEW",
                "venue": "Rathaus Duisburg",
                "venue_address": "Burgplatz 19, 47051 Duisburg",
                "accessibility": (
                    "Bitte teilen Sie uns bei der Anmeldung mit, welche Unterstützung Sie "
                    "benötigen."
                ),
                "starts_at": at(day, 15),
                "ends_at": at(day, 18, 30),
                "capacity": 40,
                "registration_deadline": at(day - timedelta(days=5), 23, 59),
                "is_public": True,
            },
        )
        if created:
            # The programme hangs off the event's own date, so it stays right on later runs.
            day = event.starts_at.astimezone(BERLIN).date()
            EventSession.objects.create(
                event=event, kind="welcome", title="Begrüßung und Rückblick", room="Ratssaal",
                starts_at=at(day, 15), ends_at=at(day, 15, 30),
            )  # fmt: skip
            for title, room in [
                ("Gemeinsame Projekte in den Herkunftsländern", "Sitzungszimmer 1"),
                ("Entwicklungspolitische Bildung an Duisburger Schulen", "Sitzungszimmer 2"),
            ]:
                EventSession.objects.create(
                    event=event, kind="workshop", title=title, room=room, capacity=20,
                    starts_at=at(day, 15, 45), ends_at=at(day, 17, 15),
                )  # fmt: skip
            self.created["Programmpunkte"] += 3

        day = next_weekday(self.today + timedelta(weeks=8), 3)  # a Thursday morning
        event, created = self._get_or_create(
            Event,
            title=STUTTGART_MEETING_TITLE,
            defaults={
                "kind": "information_meeting",
                "description": (
                    "Wie kann eine Kommune ihre Entwicklungspolitik interkulturell öffnen? "
                    "Berater*innen des Pools stellen das kostenlose Angebot von MiGlobe vor und "
                    "berichten aus Beratungseinsätzen."
                ),
                "municipality": self.towns["Stuttgart"],
                "organiser": "SKEW, Forum der Kulturen Stuttgart e. V. und DEAB",
                "venue": "Rathaus Stuttgart, Großer Sitzungssaal",
                "venue_address": "Marktplatz 1, 70173 Stuttgart",
                "starts_at": at(day, 10),
                "ends_at": at(day, 13),
                "capacity": 60,
                "registration_deadline": at(day - timedelta(days=7), 23, 59),
                "is_public": True,
            },
        )
        if created:
            day = event.starts_at.astimezone(BERLIN).date()
            EventSession.objects.create(
                event=event, kind="talk", title="Das Angebot von MiGlobe für Kommunen",
                speakers=f"{BW_ADVISORS[0][0]} und {BW_ADVISORS[4][0]} (MiGlobe-Pool BW)",
                starts_at=at(day, 10, 15), ends_at=at(day, 11),
            )  # fmt: skip
            self.created["Programmpunkte"] += 1

        # An internal planning date on Eid al-Fitr: whoever opens it in the admin is warned
        # that the Moroccan community (and others) celebrate that day.
        day = first_eid_al_fitr(self.today + timedelta(weeks=4))
        self._get_or_create(
            Event,
            title=PLANNING_MEETING_TITLE,
            defaults={
                "kind": "network_meeting",
                "description": (
                    "Interner Termin: Kommunales Integrationszentrum, Migrantenorganisationen und "
                    "MiGlobe-Berater*innen planen gemeinsam Beiträge zur Interkulturellen Woche. "
                    "Der Termin ist noch nicht abgestimmt."
                ),
                "municipality": self.towns["Duisburg"],
                "organiser": "Kommunales Integrationszentrum Duisburg",
                "venue": "Rathaus Duisburg, Sitzungszimmer 1",
                "venue_address": "Burgplatz 19, 47051 Duisburg",
                "starts_at": at(day, 17),
                "ends_at": at(day, 19),
                "capacity": 15,
                "is_public": False,
            },
        )


def load_demo(*, today: date) -> DemoWorld:
    """Write the demo world (call inside a transaction). Returns it, with counts of what was new."""
    world = DemoWorld(today=today)
    world.build()
    return world
