from django.db import migrations

from miglobe.schedules import create_in_migration


class Migration(migrations.Migration):
    dependencies = [
        ("miglobe", "0003_reminder_log"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_in_migration, migrations.RunPython.noop)]
