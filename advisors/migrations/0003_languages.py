"""Languages of the advisors' countries of origin and of Germany (ISO 639-1 codes).

Reference data that every installation needs; more can be added in the admin.
Running it again only refreshes the names.
"""

from django.db import migrations

LANGUAGES = [
    ("de", "Deutsch", "German"),
    ("en", "Englisch", "English"),
    ("fr", "Französisch", "French"),
    ("pt", "Portugiesisch", "Portuguese"),
    ("es", "Spanisch", "Spanish"),
    ("it", "Italienisch", "Italian"),
    ("pl", "Polnisch", "Polish"),
    ("ru", "Russisch", "Russian"),
    ("tr", "Türkisch", "Turkish"),
    ("ku", "Kurdisch", "Kurdish"),
    ("ar", "Arabisch", "Arabic"),
    ("fa", "Persisch (Farsi)", "Persian (Farsi)"),
    ("am", "Amharisch", "Amharic"),
    ("ti", "Tigrinya", "Tigrinya"),
    ("om", "Oromo", "Oromo"),
    ("bn", "Bengalisch", "Bengali"),
    ("hi", "Hindi", "Hindi"),
    ("ta", "Tamil", "Tamil"),
    ("te", "Telugu", "Telugu"),
    ("ur", "Urdu", "Urdu"),
    ("vi", "Vietnamesisch", "Vietnamese"),
    ("ln", "Lingala", "Lingala"),
    ("sw", "Swahili", "Swahili"),
    ("rw", "Kinyarwanda", "Kinyarwanda"),
    ("wo", "Wolof", "Wolof"),
    ("ff", "Fulfulde", "Fula"),
    ("ha", "Hausa", "Hausa"),
    ("yo", "Yoruba", "Yoruba"),
    ("ig", "Igbo", "Igbo"),
    ("tw", "Twi", "Twi"),
    ("zu", "isiZulu", "Zulu"),
    ("xh", "isiXhosa", "Xhosa"),
    ("af", "Afrikaans", "Afrikaans"),
]


def add_languages(apps, schema_editor):
    Language = apps.get_model("advisors", "Language")
    for code, name_de, name_en in LANGUAGES:
        Language.objects.update_or_create(
            code=code, defaults={"name_de": name_de, "name_en": name_en}
        )


class Migration(migrations.Migration):
    dependencies = [("advisors", "0002_initial")]

    operations = [
        # Reversing keeps the rows: advisors may point at them.
        migrations.RunPython(add_languages, migrations.RunPython.noop),
    ]
