"""Give existing organisations a public id and their search columns; on PostgreSQL
add the search trigger and the indexes the public directory's search uses."""

import re
import unicodedata
import uuid

from django.db import migrations

UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}


def _normalize(text):
    # A frozen copy of actors.search.normalize_text: migrations must not follow code changes.
    text = (text or "").casefold()
    for umlaut, spelled in UMLAUTS.items():
        text = text.replace(umlaut, spelled)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def fill(apps, schema_editor):
    Organisation = apps.get_model("actors", "Organisation")
    for org in Organisation.objects.select_related("municipality"):
        org.public_id = uuid.uuid4()
        org.search_name = _normalize(org.name)[:250]
        org.search_document = _normalize(
            " ".join([org.name, org.municipality.name, org.description or ""])
        )
        org.save(update_fields=["public_id", "search_name", "search_document"])


POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    CREATE OR REPLACE FUNCTION actors_organisation_search_vector() RETURNS trigger AS $$
    BEGIN
      NEW.search_vector := to_tsvector('german', coalesce(NEW.search_document, ''));
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER actors_organisation_search_vector_trigger
    BEFORE INSERT OR UPDATE OF search_document ON actors_organisation
    FOR EACH ROW EXECUTE FUNCTION actors_organisation_search_vector()
    """,
    "UPDATE actors_organisation SET search_vector = to_tsvector('german', search_document)",
    "CREATE INDEX actors_org_search_vector_gin ON actors_organisation USING gin (search_vector)",
    "CREATE INDEX actors_org_search_name_trgm ON actors_organisation "
    "USING gin (search_name gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS actors_org_search_name_trgm",
    "DROP INDEX IF EXISTS actors_org_search_vector_gin",
    "DROP TRIGGER IF EXISTS actors_organisation_search_vector_trigger ON actors_organisation",
    "DROP FUNCTION IF EXISTS actors_organisation_search_vector()",
]


def postgres_forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_FORWARD:
            schema_editor.execute(statement)


def postgres_backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("actors", "0005_public_directory")]

    operations = [
        migrations.RunPython(postgres_forward, postgres_backward),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
