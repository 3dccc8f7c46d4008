import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils.text import slugify


def fill_slugs(apps, schema_editor):
    Pool = apps.get_model("advisors", "Pool")
    taken = set()
    for pool in Pool.objects.using(schema_editor.connection.alias).order_by("pk"):
        base = slugify(pool.name)[:55] or f"pool-{pool.pk}"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        pool.slug = slug
        pool.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("advisors", "0004_sensible_dates"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="pool",
            name="slug",
            field=models.SlugField(
                max_length=60, null=True, db_index=False, verbose_name="Kurzname für die Adresse"
            ),
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="pool",
            name="slug",
            field=models.SlugField(max_length=60, unique=True, verbose_name="Kurzname für die Adresse"),
        ),
        migrations.AddField(
            model_name="training",
            name="mandatory",
            field=models.BooleanField(
                default=True,
                help_text="Qualifiziert ist, wer jede Pflicht-Fortbildung besucht hat oder befreit ist.",
                verbose_name="Pflicht",
            ),
        ),
        migrations.CreateModel(
            name="TrainingWaiver",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("reason", models.TextField(verbose_name="Grund")),
                ("waived_at", models.DateTimeField(auto_now_add=True, verbose_name="befreit am")),
                ("advisor", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="training_waivers", to="advisors.advisor", verbose_name="Berater*in")),
                ("training", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="waivers", to="advisors.training", verbose_name="Fortbildung")),
                ("waived_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="befreit von")),
            ],
            options={
                "verbose_name": "Befreiung von einer Fortbildung",
                "verbose_name_plural": "Befreiungen von Fortbildungen",
                "ordering": ["-waived_at"],
                "constraints": [
                    models.UniqueConstraint(fields=("advisor", "training"), name="training_waived_once"),
                    models.CheckConstraint(condition=models.Q(("reason", ""), _negated=True), name="training_waiver_has_reason"),
                ],
            },
        ),
    ]
