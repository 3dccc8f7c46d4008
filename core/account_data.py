"""Where the base holds data about a person (core.personal_data): the account, the
emails sent to them, the reminders, and the texts that may name them."""

from __future__ import annotations

from datetime import datetime

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from .models import OutboxEmail, ReminderLog, User
from .personal_data import REMOVED, Action, Holding, Mentions, Person, anonymise

# An address no mail server accepts (RFC 2606), unique per row.
ERASED_EMAIL = Concat(Value("geloescht-"), Cast("id", CharField()), Value("@example.invalid"))


def _account(person: Person) -> QuerySet[User]:
    return User.objects.filter(pk=person.user.pk) if person.user else User.objects.none()


def _end_sessions(user_ids: set[str]) -> None:
    """Delete the account's sessions: allauth keeps the address in them (encoded)."""
    for session in Session.objects.iterator():
        if session.get_decoded().get(SESSION_KEY) in user_ids:
            session.delete()


def _erase_account(accounts: QuerySet, person: Person, now: datetime) -> None:
    _end_sessions({str(pk) for pk in accounts.values_list("pk", flat=True)})
    EmailAddress.objects.filter(user__in=accounts).delete()
    Authenticator.objects.filter(user__in=accounts).delete()
    for user in accounts:
        user.groups.clear()
        user.user_permissions.clear()
    # A new unusable password also ends every session: Django checks a hash of it.
    anonymise(
        accounts,
        email=ERASED_EMAIL,
        name=REMOVED,  # what reports and lists show where the name was
        password=make_password(None),
        is_active=False,
        is_staff=False,
        is_superuser=False,
    )


def _emails(person: Person) -> QuerySet[OutboxEmail]:
    """Emails with the address among their recipients: the whole address, not a part of
    another (anna@ is not hanna@); the JSON list is narrowed in SQL and checked here."""
    if not person.email:
        return OutboxEmail.objects.none()
    ids = [
        pk
        for pk, recipients in OutboxEmail.objects.filter(to__icontains=person.email)
        .values_list("pk", "to")
        .iterator()
        if person.email in {str(address).lower() for address in recipients}
    ]
    return OutboxEmail.objects.filter(pk__in=ids)


HOLDINGS = [
    Holding(
        key="core.account",
        label=_("Benutzerkonto"),
        action=Action.ANONYMISE,
        rule=_(
            "Das Konto wird gesperrt: Name, E-Mail-Adresse, Passwort, bestätigte Adressen, "
            "zweite Faktoren und Rechte gehen, jede Anmeldung endet. Eine leere Zeile bleibt, "
            "damit Einträge, die auf das Konto verweisen (etwa freigegebene Kosten), ihren "
            "Bezug behalten; sie nennen danach niemanden mehr."
        ),
        find=_account,
        fields=("email", "name", "language", "date_joined", "last_login", "is_staff"),
        erase=_erase_account,
        search=("name", "email"),
        order=90,
    ),
    Holding(
        key="core.emails",
        label=_("E-Mails an die Person"),
        action=Action.DELETE,
        rule=_("E-Mails an die Person, versendete und wartende, werden gelöscht."),
        find=_emails,
        fields=("created_at", "subject", "status", "sent_at"),
    ),
    Holding(
        key="core.reminders",
        label=_("Erinnerungen"),
        action=Action.DELETE,
        rule=_("Der Nachweis, woran die Person erinnert wurde, wird gelöscht."),
        find=lambda person: ReminderLog.objects.filter(person.matches(email="recipient")),
        fields=("kind", "item", "due_on", "created_at"),
    ),
]

MENTIONS = [
    Mentions(
        key="core.admin_log",
        label=_("Protokoll der Verwaltung"),
        model="admin.LogEntry",
        fields=("object_repr", "change_message"),
    ),
    Mentions(
        key="core.email_texts",
        label=_("E-Mails an andere, die die Person nennen"),
        model="core.OutboxEmail",
        fields=("subject", "text", "html"),
    ),
]
