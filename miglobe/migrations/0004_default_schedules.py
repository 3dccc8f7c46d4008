from django.db import migrations

from miglobe.schedules import creating


class Migration(migrations.Migration):
    dependencies = [
        ("miglobe", "0003_reminder_log"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(creating(), migrations.RunPython.noop)]
