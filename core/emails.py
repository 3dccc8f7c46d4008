"""Emails from the portal: rendered from templates in the recipient's language.

Each email has three templates under templates/emails/: NAME_subject.txt,
NAME.txt and NAME.html. Rendering happens now and the result is a row in the
outbox (core/outbox.py), written in the caller's transaction: nothing is
announced that was rolled back, nothing is lost when the broker or the mail
server is down, and the worker sends it once.
"""

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .outbox import Attachment, enqueue

if TYPE_CHECKING:
    from .models import OutboxEmail, User


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
    attachments: Sequence[Attachment] = (),
    secret: bool = False,
) -> "OutboxEmail | None":
    """Render one email for these recipients and put it into the outbox.

    `secret`: it carries a personal link (see core.outbox.enqueue)."""
    if not any(to):
        return None
    subject, text, html = render_email(template, context, language)
    return enqueue(
        to=to,
        subject=subject,
        text=text,
        html=html,
        attachments=attachments,
        kind=template,
        language=language,
        secret=secret,
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
