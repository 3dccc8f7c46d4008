"""On PostgreSQL: the search trigger and the indexes the public directory's search uses.

The trigger keeps `search_vector` (German stemming) in step with
`search_document`, which actors.search fills on every save.
"""

from django.db import migrations

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
    dependencies = [("actors", "0003_fields_of_action")]

    operations = [migrations.RunPython(postgres_forward, postgres_backward)]
