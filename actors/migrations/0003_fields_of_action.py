"""The five fields of action (Handlungsfelder) of municipal development policy.

Reference data that every installation needs, so it lives in a migration and not
in the demo loader. Running it again only refreshes the names.
"""

from django.db import migrations

FIELDS_OF_ACTION = [
    (
        "projekte-globaler-sueden",
        "Projekte in Herkunftsländern und im Globalen Süden",
        "Projects in countries of origin and the Global South",
    ),
    (
        "bildungsarbeit",
        "Entwicklungspolitische Bildungsarbeit in Deutschland",
        "Development education in Germany",
    ),
    (
        "klima-umwelt",
        "Klimawandel und Umwelt",
        "Climate change and environment",
    ),
    (
        "fairer-handel",
        "Fairer Handel und faire Beschaffung",
        "Fair trade and fair procurement",
    ),
    (
        "partnerschaften",
        "Städtepartnerschaften und kommunale Partnerschaften",
        "Town twinning and municipal partnerships",
    ),
]


def add_fields_of_action(apps, schema_editor):
    FieldOfAction = apps.get_model("actors", "FieldOfAction")
    for position, (slug, name_de, name_en) in enumerate(FIELDS_OF_ACTION, start=1):
        FieldOfAction.objects.update_or_create(
            slug=slug,
            defaults={"name_de": name_de, "name_en": name_en, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("actors", "0002_initial")]

    operations = [
        # Reversing keeps the rows: organisations and advisors may point at them.
        migrations.RunPython(add_fields_of_action, migrations.RunPython.noop),
    ]
