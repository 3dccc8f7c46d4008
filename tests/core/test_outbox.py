"""The email outbox: written with the change, sent once, retried, failed, resent by SKEW."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core import outbox
from core.models import EmailStatus, OutboxEmail
from core.retention import forget_old_personal_data
from tests.core.factories import OutboxEmailFactory, StaffMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


class DownSMTP(EmailBackend):
    """A mail server that is not there."""

    def send_messages(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")


def queued(**fields) -> OutboxEmail:
    return outbox.enqueue(
        to=fields.pop("to", ["officer@eschweiler.example.org"]),
        subject=fields.pop("subject", "[MiGlobe] Ihre Anfrage"),
        text=fields.pop("text", "Guten Tag"),
        **fields,
    )


def test_an_email_exists_exactly_when_its_change_does(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            queued(subject="[MiGlobe] Zurückgenommen")
            raise RuntimeError("the change failed")
        email = queued(subject="[MiGlobe] Gespeichert")

    assert list(OutboxEmail.objects.values_list("subject", flat=True)) == ["[MiGlobe] Gespeichert"]
    [sent] = mail.outbox
    assert sent.subject == "[MiGlobe] Gespeichert"
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 1)
    # The same Message-ID on every copy: a repeat after a crash shows once in mail programs.
    assert re.fullmatch(
        rf"<outbox-{email.pk}-\d{{14}}@example\.org>", sent.extra_headers["Message-ID"]
    )


def test_a_replayed_past_writes_no_mail_and_the_present_does(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with outbox.muted():
            assert queued(subject="[MiGlobe] Damals") is None
        queued(subject="[MiGlobe] Heute")

    assert list(OutboxEmail.objects.values_list("subject", flat=True)) == ["[MiGlobe] Heute"]
    assert [sent.subject for sent in mail.outbox] == ["[MiGlobe] Heute"]


def test_delivering_twice_sends_once():
    email = queued()

    assert outbox.deliver(email.pk) is True
    assert outbox.deliver(email.pk) is False

    assert len(mail.outbox) == 1


def test_a_mail_server_that_is_down_means_retries_with_growing_pauses_then_failed(settings):
    settings.EMAIL_BACKEND = f"{__name__}.DownSMTP"
    email = queued()
    now = timezone.now()
    pauses = []
    for _attempt in range(outbox.MAX_ATTEMPTS):
        email.refresh_from_db()
        now = max(now, email.next_attempt_at)
        assert outbox.flush(now=now) == 0
        email.refresh_from_db()
        pauses.append(email.next_attempt_at - now)

    assert email.status == EmailStatus.FAILED
    assert email.attempts == outbox.MAX_ATTEMPTS
    assert "Connection refused" in email.last_error
    assert [round(p.total_seconds() / 60) for p in pauses[:7]] == [1, 2, 4, 8, 16, 32, 60]
    # Failed mail waits for SKEW: the minute task leaves it alone.
    assert outbox.flush(now=now + timedelta(days=1)) == 0
    assert mail.outbox == []


def test_a_row_a_dead_worker_left_in_sending_is_taken_back_and_sent(settings):
    email = queued()
    started = timezone.now()
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENDING, claimed_at=started, attempts=1
    )

    # Not while its worker may still be at it.
    assert outbox.flush(now=started + timedelta(minutes=5)) == 0
    assert mail.outbox == []
    later = started + timedelta(minutes=settings.MIGLOBE_OUTBOX_STUCK_MINUTES, seconds=1)
    assert outbox.flush(now=later) == 1

    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 2)
    assert len(mail.outbox) == 1


def test_an_attachment_gone_from_storage_fails_at_once_with_the_reason(tmp_path):
    email = queued(attachments=[{"name": "bericht.pdf", "path": "reports/2020/weg.pdf",
                                 "sha256": "0" * 64, "mimetype": "application/pdf"}])  # fmt: skip

    assert outbox.deliver(email.pk) is False

    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
    assert "bericht.pdf fehlt im Speicher" in email.last_error
    assert mail.outbox == []


def test_a_sign_in_link_is_never_shown_and_deleted_once_sent(client, settings):
    settings.MIGLOBE_STAFF_MFA_REQUIRED = False
    email = queued(
        text="Ihr Link: https://miglobe.example.org/accounts/password/reset/key/x", secret=True
    )
    operations = StaffMemberFactory(groups=["SKEW-Administration"])
    client.force_login(operations)
    page = client.get(reverse("admin:core_outboxemail_change", args=[email.pk])).content.decode()
    assert "password/reset/key" not in page
    assert "Enthält einen Zugangslink" in page

    outbox.deliver(email.pk)

    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.text == "" and email.html == ""
    assert "password/reset/key" in mail.outbox[0].body


def test_allauths_mails_go_through_the_outbox_as_secret(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="amara.diallo@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302

    email = OutboxEmail.objects.get(to=[user.email])
    assert email.kind == "account:password_reset_key"
    assert email.secret and email.status == EmailStatus.SENT and email.text == ""
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_skew_resends_failed_and_stuck_mail_but_not_what_is_on_its_way(client, settings):
    settings.MIGLOBE_STAFF_MFA_REQUIRED = False
    failed = OutboxEmailFactory(status=EmailStatus.FAILED, attempts=8, last_error="refused")
    stuck = OutboxEmailFactory(
        status=EmailStatus.SENDING, attempts=1, claimed_at=timezone.now() - timedelta(hours=1)
    )
    on_its_way = OutboxEmailFactory(
        status=EmailStatus.SENDING, attempts=1, claimed_at=timezone.now()
    )
    sent = OutboxEmailFactory(status=EmailStatus.SENT, attempts=1, sent_at=timezone.now())
    operations = StaffMemberFactory(groups=["SKEW-Administration"])
    client.force_login(operations)

    response = client.post(
        reverse("admin:core_outboxemail_changelist"),
        {"action": "send_again", "_selected_action": [failed.pk, stuck.pk, on_its_way.pk, sent.pk]},
        follow=True,
    )

    messages = [str(m) for m in response.context["messages"]]
    assert "2 E-Mails werden erneut gesendet." in messages
    assert any(m.startswith("2 E-Mails wurden übergangen") for m in messages)
    statuses = dict(OutboxEmail.objects.values_list("pk", "status"))
    assert statuses[failed.pk] == statuses[stuck.pk] == EmailStatus.QUEUED
    assert statuses[on_its_way.pk] == EmailStatus.SENDING
    assert statuses[sent.pk] == EmailStatus.SENT
    assert outbox.flush() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(failed.to + stuck.to)


def test_staff_who_may_only_read_mail_are_not_offered_to_resend(client, settings):
    settings.MIGLOBE_STAFF_MFA_REQUIRED = False
    failed = OutboxEmailFactory(status=EmailStatus.FAILED, attempts=8)
    client.force_login(StaffMemberFactory(groups=["SKEW-Team"]))

    page = client.get(reverse("admin:core_outboxemail_changelist"))
    assert page.status_code == 200
    assert 'value="send_again"' not in page.content.decode()
    client.post(
        reverse("admin:core_outboxemail_changelist"),
        {"action": "send_again", "_selected_action": [failed.pk]},
    )
    failed.refresh_from_db()
    assert failed.status == EmailStatus.FAILED


def test_sent_and_failed_mail_is_forgotten_after_the_retention_period(settings):
    old = timezone.now() - timedelta(days=settings.MIGLOBE_PERSONAL_DATA_RETENTION_DAYS + 1)
    for status in (EmailStatus.SENT, EmailStatus.FAILED, EmailStatus.QUEUED):
        email = OutboxEmailFactory(status=status, sent_at=old)
        OutboxEmail.objects.filter(pk=email.pk).update(created_at=old)
    recent = OutboxEmailFactory(status=EmailStatus.SENT, sent_at=timezone.now())

    assert forget_old_personal_data()["emails"] == 2

    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {
        EmailStatus.QUEUED,
        EmailStatus.SENT,
    }
    assert OutboxEmail.objects.filter(pk=recent.pk).exists()


def test_a_flush_stops_at_a_mail_server_that_is_not_there(settings):
    settings.EMAIL_BACKEND = f"{__name__}.DownSMTP"
    first, second, third = (queued(subject=f"[MiGlobe] {n}") for n in range(3))

    assert outbox.flush() == 0

    # The first tried and put back; the others not even tried: each would wait the timeout.
    attempts = dict(OutboxEmail.objects.values_list("pk", "attempts"))
    assert attempts == {first.pk: 1, second.pk: 0, third.pk: 0}
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {EmailStatus.QUEUED}
