"""Where the base holds data about a person (core.personal_data): the account, the
emails sent to them, the reminders, and the texts that may name them."""

from __future__ import annotations

from datetime import datetime

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.hashers import make_password
from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from .models import OutboxEmail, ReminderLog, User
from .personal_data import REMOVED, Action, Holding, Mentions, Person, anonymise

# An address no mail server accepts (RFC 2606), unique per row.
ERASED_EMAIL = Concat(Value("geloescht-"), Cast("id", CharField()), Value("@example.invalid"))


def _account(person: Person) -> QuerySet[User]:
    return User.objects.filter(pk=person.user.pk) if person.user else User.objects.none()


def _erase_account(accounts: QuerySet, person: Person, now: datetime) -> None:
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
        find=lambda person: (
            OutboxEmail.objects.filter(to__icontains=person.email)
            if person.email
            else OutboxEmail.objects.none()
        ),
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
