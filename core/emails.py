"""Emails from the portal: rendered from templates in the recipient's language.

Each email has three templates under templates/emails/: NAME_subject.txt,
NAME.txt and NAME.html. Rendering happens now, sending happens in a Celery
task once the surrounding transaction has committed, so nothing is announced
that was rolled back, and an SMTP failure is retried without redoing the work.
"""

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from .mail import send_email

if TYPE_CHECKING:
    from .models import User


def render_email(template: str, context: dict, language: str) -> tuple[str, str, str]:
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject: str = render_to_string(f"emails/{template}_subject.txt", context)
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    return subject, text, html


def send_templated_email(
    *,
    to: list[str],
    template: str,
    context: dict,
    language: str = "de",
    attachments: Sequence[tuple[str, str, str]] = (),
) -> None:
    """Queue one email per recipient list; sent after the current transaction commits.

    `attachments` are (filename, text, mimetype): text, so the task's JSON carries them.
    """
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    subject, text, html = render_email(template, context, language)
    files = [list(attachment) for attachment in attachments]
    transaction.on_commit(
        lambda: send_email.delay(
            to=recipients, subject=subject, text=text, html=html, attachments=files
        )
    )


def notify_users(users: Iterable["User"], *, template: str, context: dict) -> None:
    """Email each user in their own language (one message each: languages differ)."""
    for user in users:
        send_templated_email(
            to=[user.email],
            template=template,
            context={**context, "recipient": user},
            language=getattr(user, "language", "") or settings.LANGUAGE_CODE,
        )
