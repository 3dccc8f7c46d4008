"""Deadline reminders: one digest email per person a day, never a reminder twice.

The apps say what is due: each registers a collector (a function of the day
that returns Reminder objects) and the kinds of reminder it makes, in its
AppConfig.ready(). A daily sweep (core.tasks.send_deadline_reminders) calls
every collector, then claims the reminders in the ReminderLog and writes one
digest per recipient into the email outbox, in one transaction and a few
statements however many there are (the unique rule on item, kind, recipient and
date refuses what another or an earlier sweep claimed). The outbox sends it
once, whenever the broker, the worker and the mail server let it
(core/outbox.py).

Collectors use windows, not single days, so a sweep that did not run one day
catches up the next without sending anything twice.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import TextChoices
from django.utils import timezone, translation

from .emails import render_email
from .models import ReminderLog, User
from .outbox import Message, enqueue_many
from .reminder_kinds import kind_choices, register_kinds


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str = ""
    language: str = "de"

    @classmethod
    def of_user(cls, user: User) -> Recipient:
        return cls(
            email=user.email.lower(),
            name=user.get_full_name(),
            language=getattr(user, "language", "") or settings.LANGUAGE_CODE,
        )


@dataclass
class Reminder:
    kind: str
    item: str
    recipient: Recipient
    due_on: date
    payload: dict = field(default_factory=dict)

    @property
    def key(self) -> tuple:
        return (self.item, self.kind, self.recipient.email, self.due_on)


Collector = Callable[[date], Iterable[Reminder]]

# Filled by the apps' AppConfig.ready().
_collectors: list[Collector] = []


def register(*, kinds: type[TextChoices], collectors: Iterable[Collector]) -> None:
    """An app's kinds of reminder (labels for the digest and the admin) and its collectors."""
    register_kinds(kinds)
    for collector in collectors:
        if collector not in _collectors:
            _collectors.append(collector)


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def due_reminders(today: date) -> list[Reminder]:
    return [reminder for collect in _collectors for reminder in collect(today)]


# --- Claiming and sending ---------------------------------------------------------------


def _claim(reminders: list[Reminder], sweep_id: uuid.UUID) -> list[ReminderLog]:
    """Insert every reminder's row in one statement; those another sweep holds or sent are
    skipped (the unique rule), and the rows marked with this sweep's id are the ones claimed.

    Rows go in a fixed order, so two sweeps meet on the same first row: the second waits
    for the first to commit, then finds every row taken.
    """
    ReminderLog.objects.bulk_create(
        [
            ReminderLog(
                kind=reminder.kind,
                item=reminder.item,
                recipient=reminder.recipient.email,
                due_on=reminder.due_on,
                language=reminder.recipient.language,
                payload={**reminder.payload, "name": reminder.recipient.name},
                sweep=sweep_id,
            )
            for reminder in sorted(reminders, key=lambda r: r.key)
        ],
        ignore_conflicts=True,
    )
    return list(ReminderLog.objects.filter(sweep=sweep_id).order_by("recipient", "pk"))


def sweep(*, today: date | None = None) -> int:
    """Claim today's reminders and write one digest per recipient; returns the digests written.

    The claims and the digests are one transaction: a reminder is claimed exactly when its
    email is in the outbox, whatever happens to the broker, the worker or the mail server
    afterwards. The same few statements for any number of reminders and recipients.
    """
    today = today or timezone.localdate()
    reminders = due_reminders(today)
    if not reminders:
        return 0
    with transaction.atomic():
        by_recipient: dict[str, list[ReminderLog]] = defaultdict(list)
        for log in _claim(reminders, uuid.uuid4()):
            by_recipient[log.recipient].append(log)
        recipients = sorted(by_recipient)
        emails = enqueue_many([_digest(by_recipient[email]) for email in recipients])
        logs = []
        for email, outbox_row in zip(recipients, emails, strict=True):
            for log in by_recipient[email]:
                log.email = outbox_row
                logs.append(log)
        ReminderLog.objects.bulk_update(logs, ["email"])
    return sum(1 for email in emails if email is not None)


def _items_for_email(logs: list[ReminderLog]) -> list[dict]:
    items = []
    for log in logs:
        payload = dict(log.payload)
        payload["date"] = datetime.fromisoformat(payload["date"])  # every collector sets one
        payload["kind"] = log.kind
        payload["kind_label"] = log.get_kind_display()
        items.append(payload)
    order = {kind: position for position, (kind, _label) in enumerate(kind_choices())}
    return sorted(items, key=lambda i: (order.get(i["kind"], len(order)), str(i["date"])))


def _digest(logs: list[ReminderLog]) -> Message:
    """One recipient's claimed reminders as one email, in their language."""
    language = logs[0].language or settings.LANGUAGE_CODE
    with translation.override(language):  # the kinds' labels, in the recipient's language
        items = _items_for_email(logs)
    subject, text, html = render_email(
        "reminder_digest", {"items": items, "name": logs[0].payload.get("name", "")}, language
    )
    return Message(
        to=[logs[0].recipient],
        subject=subject,
        text=text,
        html=html,
        kind="reminder_digest",
        language=language,
    )
