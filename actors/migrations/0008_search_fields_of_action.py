"""The search document holds the fields of action too (in both languages)."""

from django.db import migrations

from core.text import normalize_text


def fill(apps, schema_editor):
    Organisation = apps.get_model("actors", "Organisation")
    alias = schema_editor.connection.alias
    organisations = (
        Organisation.objects.using(alias)
        .select_related("municipality")
        .prefetch_related("fields_of_action")
        .order_by("pk")
    )
    for organisation in organisations.iterator(chunk_size=2000):
        town = organisation.municipality.name if organisation.municipality_id else ""
        fields = " ".join(
            f"{field.name_de} {field.name_en}" for field in organisation.fields_of_action.all()
        )
        document = normalize_text(
            " ".join([organisation.name, town, organisation.description or "", fields])
        )
        if document != organisation.search_document:
            Organisation.objects.using(alias).filter(pk=organisation.pk).update(
                search_document=document
            )


class Migration(migrations.Migration):
    dependencies = [("actors", "0007_consent_source_and_language")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
