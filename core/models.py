from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
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
        # Data protection (core.permissions, "data protection"): the record of processing.
        permissions = [
            (
                "view_processing_record",
                _("Kann das Verzeichnis der Verarbeitungstätigkeiten ansehen"),
            )
        ]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("in der Warteschlange")
    SENDING = "sending", _("wird gesendet")
    SENT = "sent", _("versendet")
    FAILED = "failed", _("fehlgeschlagen")

    @classmethod
    def resendable(cls) -> list["EmailStatus"]:
        """What SKEW may send again by hand: failed mail, and mail stuck in sending."""
        return [cls.FAILED, cls.SENDING]


class OutboxEmailQuerySet(models.QuerySet["OutboxEmail"]):
    def due(self, now) -> "OutboxEmailQuerySet":
        return self.filter(status=EmailStatus.QUEUED, next_attempt_at__lte=now)

    def stuck(self, since) -> "OutboxEmailQuerySet":
        """Rows a worker took before `since` and never marked: it died on the way."""
        return self.filter(status=EmailStatus.SENDING, claimed_at__lt=since)


class OutboxEmail(models.Model):
    """One email, written in the transaction of the change that causes it; the worker sends it.

    Rendered when it is written, in the recipient's language. The worker claims the
    row (status "sending", committed) before it talks to the mail server and marks
    it sent afterwards, so a task delivered twice sends once; only a crash between
    the server's "250 OK" and the mark can repeat a message, and only that one.
    Attachments are small texts kept in the row, or files in the storage named by
    path, with their checksum.
    """

    kind = models.CharField(_("Art"), max_length=64, blank=True, db_index=True)
    to = models.JSONField(_("an"), default=list)
    subject = models.CharField(_("Betreff"), max_length=998)
    text = models.TextField(_("Text"))
    html = models.TextField(_("HTML"), blank=True)
    attachments = models.JSONField(_("Anhänge"), default=list, blank=True)
    language = models.CharField(_("Sprache"), max_length=8, default="de")
    # A sign-in, confirmation or password link: whoever reads it could take the account.
    secret = models.BooleanField(
        _("enthält Zugangslink"),
        default=False,
        help_text=_("Der Inhalt wird nie angezeigt und nach dem Versand gelöscht."),
    )
    status = models.CharField(
        _("Status"), max_length=8, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    last_error = models.TextField(_("letzter Fehler"), blank=True)
    next_attempt_at = models.DateTimeField(_("nächster Versuch"), default=timezone.now)
    claimed_at = models.DateTimeField(_("Versand begonnen"), null=True, blank=True)
    sent_at = models.DateTimeField(_("versendet am"), null=True, blank=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True, db_index=True)

    objects = OutboxEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("E-Mail")
        verbose_name_plural = _("E-Mails (Postausgang)")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=EmailStatus.SENT) | models.Q(sent_at__isnull=False),
                name="outbox_sent_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=EmailStatus.SENDING)
                | models.Q(claimed_at__isnull=False),
                name="outbox_sending_has_claim",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"


class ReminderLog(models.Model):
    """One reminder to one person, claimed by a sweep together with the digest that carries it.

    The unique rule makes "never twice" a database fact: two sweeps at the same
    moment cannot both claim a reminder, and a retried sweep finds what it
    already claimed. The claim and the digest's outbox row are written in one
    transaction, so a claimed reminder always has its email.
    """

    kind = models.CharField(_("Art"), max_length=24, choices=kind_choices)
    item = models.CharField(_("Gegenstand"), max_length=64, help_text=_("z. B. milestone:12"))
    recipient = models.EmailField(_("Empfänger*in"))
    due_on = models.DateField(_("Stichtag"))
    language = models.CharField(_("Sprache"), max_length=8, default="de")
    payload = models.JSONField(_("Inhalt"), default=dict)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    email = models.ForeignKey(
        OutboxEmail,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("E-Mail"),
    )
    # The sweep that claimed the row (core.reminders): its rows, among those it inserted.
    sweep = models.UUIDField(null=True, blank=True, editable=False, db_index=True)

    class Meta:
        verbose_name = _("Erinnerung")
        verbose_name_plural = _("Erinnerungen")
        ordering = ["-created_at", "recipient"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "kind", "recipient", "due_on"], name="reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.recipient} ({short_date(self.due_on)})"


class ErasureLog(models.Model):
    """That a person's data was erased (core.personal_data), and by which rules.

    It holds the counts per kind of record and who did it, never whom it was about: the
    log of an erasure must not keep what was erased.
    """

    created_at = models.DateTimeField(_("gelöscht am"), auto_now_add=True)
    done_by = models.ForeignKey(
        "core.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ausgeführt von"),
    )
    self_service = models.BooleanField(_("von der Person selbst"), default=False)
    # {holding key: {"action": "delete" | "anonymise" | "keep", "count": n}}
    counts = models.JSONField(_("Datensätze"), default=dict)

    class Meta:
        verbose_name = _("Löschprotokoll")
        verbose_name_plural = _("Löschprotokolle")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return _("Löschung Nr. %(number)s") % {"number": self.pk}


class ErasureRequestStatus(models.TextChoices):
    OPEN = "open", _("offen")
    DONE = "done", _("ausgeführt")
    WITHDRAWN = "withdrawn", _("zurückgezogen")


class ErasureRequest(models.Model):
    """A person asked to have their account and data deleted (/accounts/data/).

    Where records must be kept, SKEW confirms before the erasure runs; the person is then
    told what stays and why. After the erasure the account it points to is anonymised.
    """

    user = models.ForeignKey(
        "core.User",
        on_delete=models.CASCADE,
        related_name="erasure_requests",
        verbose_name=_("Benutzerkonto"),
    )
    status = models.CharField(
        _("Status"),
        max_length=12,
        choices=ErasureRequestStatus.choices,
        default=ErasureRequestStatus.OPEN,
    )
    requested_at = models.DateTimeField(_("gestellt am"), auto_now_add=True)
    decided_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    log = models.OneToOneField(
        ErasureLog,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="request",
        verbose_name=_("Löschprotokoll"),
    )

    class Meta:
        verbose_name = _("Löschantrag")
        verbose_name_plural = _("Löschanträge")
        ordering = ["-requested_at"]
        constraints = [
            # A double submit, or a second tab, makes one request.
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status="open"), name="one_open_erasure_request"
            ),
        ]

    def __str__(self) -> str:
        return _("Löschantrag Nr. %(number)s") % {"number": self.pk}
