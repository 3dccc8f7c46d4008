"""The Celery task that hands one rendered email to the mail server."""

import smtplib
from typing import TypedDict

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives


class RetryOptions(TypedDict):
    """The retry options of `shared_task`, typed so that `**SMTP_RETRY` is checked."""

    autoretry_for: tuple[type[BaseException], ...]
    retry_backoff: int
    retry_backoff_max: int
    retry_jitter: bool
    max_retries: int


# Tasks that talk to the mail server retry with growing pauses (30 s up to 30 min).
SMTP_RETRY: RetryOptions = {
    "autoretry_for": (smtplib.SMTPException, ConnectionError, TimeoutError, OSError),
    "retry_backoff": 30,
    "retry_backoff_max": 30 * 60,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(**SMTP_RETRY)
def send_email(
    *, to: list[str], subject: str, text: str, html: str = "", attachments: list | tuple = ()
) -> None:
    """Send one rendered email; an SMTP failure is retried with growing pauses."""
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()
