from django.db import migrations

from miglobe.schedules import RETENTION, creating


class Migration(migrations.Migration):
    dependencies = [
        ("miglobe", "0004_default_schedules"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(creating(RETENTION), migrations.RunPython.noop)]
