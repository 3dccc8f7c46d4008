"""The directory's publication state as a column, and a version token for its caches.

`Organisation.published` is set by the database, never by Django: a trigger computes it
from the organisation's own active consents whenever the row is written, and the
consents' triggers rewrite the rows whose consents changed. So `.update()`, a bulk insert
or a raw statement cannot leave it wrong, and the directory filters one indexed column
instead of a consent subquery per row.

`DirectoryVersion` holds one row whose token changes, at commit, with every change the
directory shows (organisations, their fields of action, the fields themselves; consents
reach it through the organisation rows they rewrite). The directory files cached figures
under the token (actors.directory_cache); renaming a town or a field of action changes it too. The new token is written by a deferred trigger,
so it becomes visible together with the change, and the row is locked only for the
moment of the commit (an immediate trigger would hold it through the transaction, and
two transactions could deadlock on it). An immediate statement trigger marks the
transaction itself, which then reads the directory uncached: its own changes are not
committed yet, so the token has not moved for it.
"""

from django.db import migrations, models

# What the directory's cached pages show: organisations, their fields of action, the
# fields' names and the towns' names.
WATCHED = [
    "actors_organisation",
    "actors_organisation_fields_of_action",
    "actors_fieldofaction",
    "engagements_municipality",
]

ACTIVE_CONSENT = (
    "SELECT 1 FROM actors_publicationconsent c WHERE c.organisation_id = {org} "
    "AND c.contact_person_id IS NULL AND c.withdrawn_at IS NULL"
)

POSTGRES_FORWARD = [
    f"""
    CREATE OR REPLACE FUNCTION actors_organisation_published() RETURNS trigger AS $$
    BEGIN
      NEW.published := EXISTS ({ACTIVE_CONSENT.format(org="NEW.id")});
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER actors_organisation_published_trigger
    BEFORE INSERT OR UPDATE ON actors_organisation
    FOR EACH ROW EXECUTE FUNCTION actors_organisation_published()
    """,
    # The organisations whose consents changed are rewritten (only where the state
    # changes); the trigger above computes the new state.
    f"""
    CREATE OR REPLACE FUNCTION actors_consent_changed() RETURNS trigger AS $$
    BEGIN
      IF TG_OP <> 'DELETE' THEN
        UPDATE actors_organisation o SET published = o.published
        WHERE o.id IN (SELECT organisation_id FROM new_consents)
          AND o.published IS DISTINCT FROM EXISTS ({ACTIVE_CONSENT.format(org="o.id")});
      END IF;
      IF TG_OP <> 'INSERT' THEN
        UPDATE actors_organisation o SET published = o.published
        WHERE o.id IN (SELECT organisation_id FROM old_consents)
          AND o.published IS DISTINCT FROM EXISTS ({ACTIVE_CONSENT.format(org="o.id")});
      END IF;
      RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER actors_consent_inserted AFTER INSERT ON actors_publicationconsent
    REFERENCING NEW TABLE AS new_consents
    FOR EACH STATEMENT EXECUTE FUNCTION actors_consent_changed()
    """,
    """
    CREATE TRIGGER actors_consent_updated AFTER UPDATE ON actors_publicationconsent
    REFERENCING OLD TABLE AS old_consents NEW TABLE AS new_consents
    FOR EACH STATEMENT EXECUTE FUNCTION actors_consent_changed()
    """,
    """
    CREATE TRIGGER actors_consent_deleted AFTER DELETE ON actors_publicationconsent
    REFERENCING OLD TABLE AS old_consents
    FOR EACH STATEMENT EXECUTE FUNCTION actors_consent_changed()
    """,
    """
    CREATE OR REPLACE FUNCTION actors_directory_touched() RETURNS trigger AS $$
    BEGIN
      PERFORM set_config('miglobe.directory_changed', 'yes', true);
      RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    # Once per transaction (the first deferred call writes its transaction id; the
    # others find it and change nothing).
    """
    CREATE OR REPLACE FUNCTION actors_directory_committed() RETURNS trigger AS $$
    BEGIN
      INSERT INTO actors_directoryversion (id, token, xact)
      VALUES (1, gen_random_uuid()::text, txid_current())
      ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token, xact = EXCLUDED.xact
      WHERE actors_directoryversion.xact IS DISTINCT FROM EXCLUDED.xact;
      RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    *[
        statement
        for table in WATCHED
        for statement in (
            f"""
            CREATE TRIGGER {table}_directory_touched
            AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION actors_directory_touched()
            """,
            f"""
            CREATE CONSTRAINT TRIGGER {table}_directory_committed
            AFTER INSERT OR UPDATE OR DELETE ON {table}
            DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW EXECUTE FUNCTION actors_directory_committed()
            """,
        )
    ],
]

POSTGRES_BACKWARD = [
    *[
        statement
        for table in WATCHED
        for statement in (
            f"DROP TRIGGER IF EXISTS {table}_directory_committed ON {table}",
            f"DROP TRIGGER IF EXISTS {table}_directory_touched ON {table}",
        )
    ],
    "DROP FUNCTION IF EXISTS actors_directory_committed()",
    "DROP FUNCTION IF EXISTS actors_directory_touched()",
    "DROP TRIGGER IF EXISTS actors_consent_deleted ON actors_publicationconsent",
    "DROP TRIGGER IF EXISTS actors_consent_updated ON actors_publicationconsent",
    "DROP TRIGGER IF EXISTS actors_consent_inserted ON actors_publicationconsent",
    "DROP FUNCTION IF EXISTS actors_consent_changed()",
    "DROP TRIGGER IF EXISTS actors_organisation_published_trigger ON actors_organisation",
    "DROP FUNCTION IF EXISTS actors_organisation_published()",
]

# SQLite (laptops): row triggers; one writer at a time, so the token changes at once.
_SQLITE_PUBLISHED = (
    "UPDATE actors_organisation SET published = EXISTS ("
    + ACTIVE_CONSENT.format(org="actors_organisation.id")
    + ") WHERE id = {row}.{column};"
)
_SQLITE_TOKEN = (
    "INSERT OR REPLACE INTO actors_directoryversion (id, token, xact) "
    "VALUES (1, lower(hex(randomblob(16))), NULL);"
)
SQLITE_FORWARD = [
    *[
        f"CREATE TRIGGER actors_organisation_published_{event.lower()} AFTER {event} "
        f"ON actors_organisation BEGIN {_SQLITE_PUBLISHED.format(row='NEW', column='id')} END"
        for event in ("INSERT", "UPDATE")
    ],
    *[
        f"CREATE TRIGGER actors_consent_{event.lower()} AFTER {event} "
        f"ON actors_publicationconsent BEGIN "
        + "".join(_SQLITE_PUBLISHED.format(row=row, column="organisation_id") for row in rows)
        + " END"
        for event, rows in (("INSERT", ["NEW"]), ("UPDATE", ["OLD", "NEW"]), ("DELETE", ["OLD"]))
    ],
    *[
        f"CREATE TRIGGER {table}_directory_{event.lower()} AFTER {event} ON {table} "
        f"BEGIN {_SQLITE_TOKEN} END"
        for table in WATCHED
        for event in ("INSERT", "UPDATE", "DELETE")
    ],
]
SQLITE_BACKWARD = [
    *[f"DROP TRIGGER IF EXISTS actors_organisation_published_{e}" for e in ("insert", "update")],
    *[f"DROP TRIGGER IF EXISTS actors_consent_{e}" for e in ("insert", "update", "delete")],
    *[
        f"DROP TRIGGER IF EXISTS {table}_directory_{event}"
        for table in WATCHED
        for event in ("insert", "update", "delete")
    ],
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)
    # Every row once through its trigger: the state as the consents say.
    schema_editor.execute("UPDATE actors_organisation SET published = published")


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("actors", "0008_search_fields_of_action")]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="published",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="veröffentlicht"
            ),
        ),
        migrations.CreateModel(
            name="DirectoryVersion",
            fields=[
                ("id", models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ("token", models.CharField(max_length=36)),
                ("xact", models.BigIntegerField(null=True)),
            ],
        ),
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(
                fields=["name", "id"],
                condition=models.Q(published=True),
                name="actors_org_published_name",
            ),
        ),
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(
                fields=["scope", "kind", "municipality"],
                include=["id", "countries_of_origin", "countries_of_activity"],
                condition=models.Q(published=True),
                name="actors_org_published_facets",
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
