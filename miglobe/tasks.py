import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

# Tasks that talk to the mail server retry with growing pauses (30 s up to 30 min).
SMTP_RETRY = {
    "autoretry_for": (smtplib.SMTPException, ConnectionError, TimeoutError, OSError),
    "retry_backoff": 30,
    "retry_backoff_max": 30 * 60,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(**SMTP_RETRY)
def send_email(*, to: list[str], subject: str, text: str, html: str = "", attachments=()) -> None:
    """Send one rendered email; an SMTP failure is retried with growing pauses."""
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()


@shared_task
def send_deadline_reminders() -> int:
    """Daily: claim the reminders due today and queue one digest per person."""
    from .reminders import sweep

    return sweep()


@shared_task
def forget_old_personal_data() -> dict[str, int]:
    """Daily: remove the personal data whose retention period has run out."""
    from .retention import forget_old_personal_data as forget

    return forget()


@shared_task(**SMTP_RETRY)
def send_reminder_digest(*, log_ids: list[int]) -> int:
    """One person's digest; rows are marked sent only once the mail server took it."""
    from .reminders import send_digest

    return send_digest(log_ids)
