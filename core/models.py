from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .formats import short_date
from .reminder_kinds import kind_choices


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in: SKEW staff, a municipal officer or an advisor.

    People log in with their email address; there is no user name.
    """

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    name = models.CharField(_("Name"), max_length=150, blank=True)
    language = models.CharField(
        _("Sprache"),
        max_length=8,
        choices=[("de", _("Deutsch")), ("en", _("Englisch"))],
        default="de",
        help_text=_("Sprache der E-Mails an diese Person."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()
    # Who changed whose rights, and when: the audit trail of the accounts.
    history = HistoricalRecords(
        excluded_fields=["password", "last_login"], m2m_fields=["groups", "user_permissions"]
    )

    class Meta:
        verbose_name = _("Benutzer*in")
        verbose_name_plural = _("Benutzer*innen")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email


class ReminderLog(models.Model):
    """One reminder to one person: claimed by a sweep, then marked sent by the digest email.

    The unique rule makes "never twice" a database fact: two sweeps at the same
    moment cannot both claim a reminder, and a retried sweep finds what it
    already claimed. A row without `sent_at` was claimed but not (yet) sent.
    """

    kind = models.CharField(_("Art"), max_length=24, choices=kind_choices)
    item = models.CharField(_("Gegenstand"), max_length=64, help_text=_("z. B. milestone:12"))
    recipient = models.EmailField(_("Empfänger*in"))
    due_on = models.DateField(_("Stichtag"))
    language = models.CharField(_("Sprache"), max_length=8, default="de")
    payload = models.JSONField(_("Inhalt"), default=dict)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    sent_at = models.DateTimeField(_("versendet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Erinnerung")
        verbose_name_plural = _("Erinnerungen")
        ordering = ["-created_at", "recipient"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "kind", "recipient", "due_on"], name="reminder_once"
            ),
        ]
        indexes = [models.Index(fields=["recipient", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.recipient} ({short_date(self.due_on)})"
