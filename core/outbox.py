"""The email outbox: every email is a row first, written with the change that causes it.

`enqueue()` writes the row inside the caller's transaction, so an email exists
exactly when its change does, and asks the worker to send it once that commits.
A broker that is down only delays it: the periodic `flush()` (every minute, see
miglobe/schedules.py) sends whatever is due, retries failures with growing
pauses and takes back rows a dead worker left in "sending".

Exactly once, but for one message: `deliver()` claims the row (status
"sending", committed) before it talks to the mail server and marks it sent
afterwards. A second delivery of the same task finds it claimed and does
nothing. Only a crash between the server's "250 OK" and the mark leaves a row
that `flush()` sends again, and every copy carries the same Message-ID, so mail
programs show it once.

Retries are not Celery countdowns: on Redis, a countdown longer than the
visibility timeout is delivered twice. The row's `next_attempt_at` is the
schedule, and `flush()` keeps it.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypedDict

from celery import shared_task
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import EmailStatus, OutboxEmail
from .todo import TodoItem

logger = logging.getLogger(__name__)

# Pauses after the 1st, 2nd, ... failure: 1, 2, 4, ... minutes, at most an hour; after
# MAX_ATTEMPTS the email is failed and waits for SKEW (admin: "Erneut senden").
MAX_ATTEMPTS = 8
FIRST_PAUSE = timedelta(minutes=1)
LONGEST_PAUSE = timedelta(hours=1)


class Attachment(TypedDict, total=False):
    """A text kept in the row (`content`), or a stored file (`path` and its `sha256`)."""

    name: str
    mimetype: str
    content: str
    path: str
    sha256: str


class AttachmentGone(Exception):
    """A stored attachment is missing or changed: sending again will not help."""


# The mail server itself is not there (as opposed to refusing one message): the next
# email would wait for the same timeout, so a flush stops and leaves them for later.
SERVER_DOWN = (OSError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)


# What SKEW sees first in the admin (core.todo): mail that needs a person.
TODO_ITEMS = [
    TodoItem.in_status(
        gettext_lazy("E-Mails, die nicht zugestellt werden konnten"),
        OutboxEmail,
        EmailStatus.FAILED,
    ),
    TodoItem(
        gettext_lazy("E-Mails, deren Versand liegengeblieben ist"),
        lambda: OutboxEmail.objects.stuck(timezone.now() - stuck_after()),
        {"stuck": "yes"},
    ),
]


def pause_after(attempts: int) -> timedelta:
    return min(FIRST_PAUSE * 2 ** max(attempts - 1, 0), LONGEST_PAUSE)


def stuck_after() -> timedelta:
    """How long a row may stay in "sending" before it counts as left behind."""
    return timedelta(minutes=settings.MIGLOBE_OUTBOX_STUCK_MINUTES)


# --- Writing ----------------------------------------------------------------------------


_muted: ContextVar[bool] = ContextVar("outbox_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """Write no email in this block: for replaying the past (the demo), never for real work."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


@dataclass(frozen=True)
class Message:
    """One email to write into the outbox (see `enqueue`)."""

    to: Iterable[str]
    subject: str
    text: str
    html: str = ""
    attachments: Sequence[Attachment] = ()
    kind: str = ""
    language: str = ""
    secret: bool = False


def enqueue(
    *,
    to: Iterable[str],
    subject: str,
    text: str,
    html: str = "",
    attachments: Sequence[Attachment] = (),
    kind: str = "",
    language: str = "",
    secret: bool = False,
) -> OutboxEmail | None:
    """Write one email into the outbox; the worker sends it once the transaction commits.

    `secret`: it carries a link that opens an account; nobody sees it in the admin,
    and its body is deleted once sent.
    """
    message = Message(to, subject, text, html, attachments, kind, language, secret)
    return enqueue_many([message])[0]


def enqueue_many(messages: Iterable[Message]) -> list[OutboxEmail | None]:
    """Write these emails into the outbox in one statement, in order; None for a message
    without a recipient (or while the outbox is muted). Sent once the transaction commits."""
    result: list[OutboxEmail | None] = []
    for message in messages:
        recipients = sorted({a.strip() for a in message.to if a and a.strip()})
        if not recipients or _muted.get():
            result.append(None)
            continue
        result.append(
            OutboxEmail(
                kind=message.kind[:64],
                to=recipients,
                subject=message.subject[:998],
                text=message.text,
                html=message.html,
                attachments=list(message.attachments),
                language=message.language or settings.LANGUAGE_CODE,
                secret=message.secret,
            )
        )
    rows = [row for row in result if row is not None]
    if rows:
        OutboxEmail.objects.bulk_create(rows)  # sets their ids (PostgreSQL and SQLite)
        dispatch([row.pk for row in rows])
    return result


def dispatch(email_ids: list[int]) -> None:
    """Ask the worker to send these rows after commit; a broker that is down only delays them."""
    for email_id in email_ids:
        # robust: a broker that is down is logged, not raised into the page; flush() sends later.
        def send(pk: int = email_id) -> None:
            deliver_email.delay(email_id=pk)  # the task as configured when this commits

        transaction.on_commit(send, robust=True)


@transaction.atomic
def resend(emails: Iterable[OutboxEmail], *, now: datetime | None = None) -> int:
    """SKEW sends failed mail, or mail stuck in "sending", again; returns how many."""
    now = now or timezone.now()
    ids = [email.pk for email in emails]
    again = OutboxEmail.objects.select_for_update().filter(pk__in=ids)
    again = again.filter(status=EmailStatus.FAILED) | again.stuck(now - stuck_after())
    picked = list(again.values_list("pk", flat=True))
    OutboxEmail.objects.filter(pk__in=picked).update(
        status=EmailStatus.QUEUED, next_attempt_at=now, attempts=0, claimed_at=None
    )
    dispatch(picked)
    return len(picked)


# --- Sending ----------------------------------------------------------------------------


def _claim(email_id: int, now: datetime) -> OutboxEmail | None:
    with transaction.atomic():
        email = (
            OutboxEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id)
            .due(now)
            .first()
        )
        if email is None:
            return None
        email.status = EmailStatus.SENDING
        email.claimed_at = now
        email.attempts += 1
        email.save(update_fields=["status", "claimed_at", "attempts"])
    return email


def _stored(attachment: Attachment) -> bytes:
    path = attachment["path"]
    try:
        with default_storage.open(path, "rb") as handle:
            payload = handle.read()
    except FileNotFoundError as error:
        raise AttachmentGone(
            _("Die Datei %(name)s fehlt im Speicher.") % {"name": attachment["name"]}
        ) from error
    if hashlib.sha256(payload).hexdigest() != attachment.get("sha256"):
        raise AttachmentGone(
            _("Die Datei %(name)s stimmt nicht mehr mit ihrer Prüfsumme überein.")
            % {"name": attachment["name"]}
        )
    return payload


def message_of(email: OutboxEmail) -> EmailMultiAlternatives:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ")
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=email.to,
        # The same id on every copy: a repeat after a crash shows once in mail programs.
        headers={"Message-ID": f"<outbox-{email.pk}-{email.created_at:%Y%m%d%H%M%S}@{domain}>"},
        connection=get_connection(timeout=settings.EMAIL_TIMEOUT),
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    for attachment in email.attachments:
        payload = attachment["content"] if "content" in attachment else _stored(attachment)
        message.attach(attachment["name"], payload, attachment["mimetype"])
    return message


def _unclaim(email: OutboxEmail, error: BaseException, *, final: bool) -> None:
    claimed_at = email.claimed_at or timezone.now()  # always set by _claim()
    final = final or email.attempts >= MAX_ATTEMPTS
    OutboxEmail.objects.filter(
        pk=email.pk, status=EmailStatus.SENDING, claimed_at=email.claimed_at
    ).update(
        status=EmailStatus.FAILED if final else EmailStatus.QUEUED,
        next_attempt_at=claimed_at + pause_after(email.attempts),
        last_error=f"{error.__class__.__name__}: {error}"[:2000],
    )
    logger.warning(
        "Email %s not sent (attempt %s%s): %s",
        email.pk,
        email.attempts,
        ", given up" if final else "",
        error,
    )


class ServerDown(Exception):
    """The mail server did not answer; the email is back in the queue."""


def deliver(email_id: int, *, now: datetime | None = None) -> bool:
    """Send one email if it is due and nobody else has it; True when this call sent it.

    Raises ServerDown (after putting the email back) when the mail server is not there.
    """
    email = _claim(email_id, now or timezone.now())
    if email is None:
        return False
    try:
        message = message_of(email)
    except AttachmentGone as error:
        _unclaim(email, error, final=True)
        return False
    try:
        message.send()
    except SERVER_DOWN as error:
        _unclaim(email, error, final=False)
        raise ServerDown(str(error)) from error
    except Exception as error:  # a refused recipient, a TLS quirk: tried again later
        _unclaim(email, error, final=False)
        return False
    sent = {"status": EmailStatus.SENT, "sent_at": timezone.now(), "last_error": ""}
    if email.secret:
        sent |= {"text": "", "html": ""}  # the link has done its work; nobody needs it again
    OutboxEmail.objects.filter(pk=email.pk, status=EmailStatus.SENDING).update(**sent)
    return True


# The one task that lives here and not in tasks.py: enqueue() queues it, and tasks.py
# (the periodic flush) needs this module, so it cannot be the other way round.
@shared_task
def deliver_email(*, email_id: int) -> bool:
    """Send one outbox email; run twice, it sends once."""
    try:
        return deliver(email_id)
    except ServerDown:
        return False  # noted on the email; the minute task tries again after the pause


def flush(*, now: datetime | None = None, limit: int = 500) -> int:
    """Take back rows a dead worker left in "sending", then send what is due; how many sent."""
    now = now or timezone.now()
    taken_back = OutboxEmail.objects.stuck(now - stuck_after()).update(
        status=EmailStatus.QUEUED,
        next_attempt_at=now,
        claimed_at=None,
        last_error=_("Der Versand wurde unterbrochen; die E-Mail wird erneut gesendet."),
    )
    if taken_back:
        logger.warning("%s emails were left in sending and are sent again", taken_back)
    due = OutboxEmail.objects.due(now).order_by("next_attempt_at", "pk")
    sent = 0
    for email_id in list(due.values_list("pk", flat=True)[:limit]):
        try:
            sent += deliver(email_id, now=now)
        except ServerDown:
            logger.warning("Mail server down; the outbox tries again in a minute")
            break
    return sent


def forget_sent(cutoff: datetime) -> int:
    """Sent and failed mail older than the retention cut-off goes; queued mail stays."""
    deleted, _rows = (
        OutboxEmail.objects.filter(created_at__lt=cutoff)
        .filter(status__in=[EmailStatus.SENT, EmailStatus.FAILED])
        .delete()
    )
    return deleted
