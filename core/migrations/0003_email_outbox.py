"""The email outbox; reminders point to the digest that carries them.

Reminders that an earlier sweep claimed but never sent (the broker or the
worker failed after the claim) are released, so the next sweep claims them
again, with their email, inside their window.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def release_unsent_reminders(apps, schema_editor):
    ReminderLog = apps.get_model("core", "ReminderLog")
    database = schema_editor.connection.alias
    ReminderLog.objects.using(database).filter(sent_at__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_user_history'),
    ]

    operations = [
        migrations.RunPython(release_unsent_reminders, migrations.RunPython.noop),
        migrations.CreateModel(
            name='OutboxEmail',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(blank=True, db_index=True, max_length=64, verbose_name='Art')),
                ('to', models.JSONField(default=list, verbose_name='an')),
                ('subject', models.CharField(max_length=998, verbose_name='Betreff')),
                ('text', models.TextField(verbose_name='Text')),
                ('html', models.TextField(blank=True, verbose_name='HTML')),
                ('attachments', models.JSONField(blank=True, default=list, verbose_name='Anhänge')),
                ('language', models.CharField(default='de', max_length=8, verbose_name='Sprache')),
                ('secret', models.BooleanField(default=False, help_text='Der Inhalt wird nie angezeigt und nach dem Versand gelöscht.', verbose_name='enthält Zugangslink')),
                ('status', models.CharField(choices=[('queued', 'in der Warteschlange'), ('sending', 'wird gesendet'), ('sent', 'versendet'), ('failed', 'fehlgeschlagen')], default='queued', max_length=8, verbose_name='Status')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='Versuche')),
                ('last_error', models.TextField(blank=True, verbose_name='letzter Fehler')),
                ('next_attempt_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='nächster Versuch')),
                ('claimed_at', models.DateTimeField(blank=True, null=True, verbose_name='Versand begonnen')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='versendet am')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='angelegt am')),
            ],
            options={
                'verbose_name': 'E-Mail',
                'verbose_name_plural': 'E-Mails (Postausgang)',
                'ordering': ['-created_at'],
            },
        ),
        migrations.RemoveIndex(
            model_name='reminderlog',
            name='core_remind_recipie_131e0d_idx',
        ),
        migrations.RemoveField(
            model_name='reminderlog',
            name='sent_at',
        ),
        migrations.AddIndex(
            model_name='outboxemail',
            index=models.Index(fields=['status', 'next_attempt_at'], name='core_outbox_status_b2f640_idx'),
        ),
        migrations.AddConstraint(
            model_name='outboxemail',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'sent'), _negated=True), ('sent_at__isnull', False), _connector='OR'), name='outbox_sent_has_date'),
        ),
        migrations.AddConstraint(
            model_name='outboxemail',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'sending'), _negated=True), ('claimed_at__isnull', False), _connector='OR'), name='outbox_sending_has_claim'),
        ),
        migrations.AddField(
            model_name='reminderlog',
            name='email',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='reminders', to='core.outboxemail', verbose_name='E-Mail'),
        ),
    ]
