from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from . import personal_data, processing
from .admin_export import export_csv
from .models import ErasureLog, ErasureRequest, ErasureRequestStatus, OutboxEmail, ReminderLog, User
from .outbox import resend, stuck_after
from .permissions import Capability, may, require_recent_login

RIGHTS = ("is_staff", "is_superuser", "groups", "user_permissions")


class CapabilityActions:
    """A ModelAdmin mixin: actions marked `permissions=["capability"]` need `capability`.

    The admin shows an action to anyone who may view the list unless it names a
    permission; naming this one lets core.permissions decide. Set `action_capability`.
    """

    action_capability: Capability

    def has_capability_permission(self, request) -> bool:
        return may(request.user, self.action_capability)


class ReadOnlyAdmin:
    """A ModelAdmin mixin for records the portal writes itself: shown, never typed in.

    Logs, outboxes, answers and assignments change through their services, where the
    rules hold; the admin lists, filters and exports them.
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecentLoginToSave:
    """A ModelAdmin mixin: saving asks for the password again after a while.

    For the sensitive pages (accounts, cost corrections); the time is
    ACCOUNT_REAUTHENTICATION_TIMEOUT, and the form is sent on after the password.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST":
            require_recent_login(request)
        return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc]


@admin.register(User)
class UserAdmin(RecentLoginToSave, SimpleHistoryAdmin, DjangoUserAdmin):
    """Accounts. Nobody climbs: rights are given by superusers only, never to oneself.

    Staff accounts (and their passwords) are changed by superusers only too: whoever may
    change an account's email address may take it over with a password reset. Every
    change is in the account's history with who made it. Saving asks for the password
    again when the login is older than ACCOUNT_REAUTHENTICATION_TIMEOUT.
    """

    ordering = ["email"]
    list_display = ["email", "name", "language", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "language"]
    search_fields = ["email", "name"]
    date_hierarchy = "date_joined"
    actions = [export_csv]
    csv_fields = ["email", "name", "language", "is_staff", "is_active", "date_joined"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("name", "language")}),
        (
            _("Rechte"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Daten"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "name", "password1", "password2")}),
    )

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj)]
        if not request.user.is_superuser or (obj is not None and obj.pk == request.user.pk):
            fields += [name for name in RIGHTS if name not in fields]
        return fields

    def _may_touch(self, request, obj) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        return not (obj.is_staff or obj.is_superuser)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_touch(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.pk == request.user.pk:
            return False
        return super().has_delete_permission(request, obj) and self._may_touch(request, obj)

    def user_change_password(self, request, id, form_url=""):
        if request.method == "POST":
            require_recent_login(request)
        return super().user_change_password(request, id, form_url)


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    """What the reminder sweeps sent: read-only, it is the record of "never twice"."""

    list_display = ["recipient", "kind", "item", "due_on", "created_at", "email_status"]
    list_select_related = ["email"]
    list_filter = ["kind", "email__status", "due_on"]
    search_fields = ["recipient", "item"]
    date_hierarchy = "created_at"
    actions = [export_csv]
    csv_fields = ["recipient", "kind", "item", "due_on", "created_at", "email__status"]

    @admin.display(description=_("E-Mail"), ordering="email__status")
    def email_status(self, obj):
        return obj.email.get_status_display() if obj.email else "–"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StuckFilter(admin.SimpleListFilter):
    title = _("liegengeblieben")
    parameter_name = "stuck"

    def lookups(self, request, model_admin):
        return [
            (
                "yes",
                _("seit über %(minutes)s Minuten „wird gesendet“")
                % {"minutes": int(stuck_after().total_seconds() // 60)},
            )
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.stuck(timezone.now() - stuck_after())
        return queryset


@admin.register(OutboxEmail)
class OutboxEmailAdmin(CapabilityActions, ReadOnlyAdmin, admin.ModelAdmin):
    """The email outbox: what was sent, what waits, what failed, and sending it again.

    What was written stays as it was ("Erneut senden" is the action); the retention
    task removes old mail.
    """

    action_capability = Capability.RESEND_MAIL
    list_display = [
        "created_at",
        "kind",
        "recipients",
        "subject",
        "status",
        "attempts",
        "sent_at",
        "error",
    ]
    list_filter = ["status", StuckFilter, "kind"]
    search_fields = ["subject", "to"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    fields = [
        "kind",
        "recipients",
        "subject",
        "language",
        "status",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "created_at",
        "last_error",
        "attachment_names",
        "body",
    ]
    readonly_fields = fields
    show_facets = admin.ShowFacets.NEVER  # counting every status over a long log is slow

    @admin.display(description=_("an"))
    def recipients(self, obj):
        return ", ".join(obj.to)

    @admin.display(description=_("letzter Fehler"))
    def error(self, obj):
        return Truncator(obj.last_error).chars(80) if obj.last_error else ""

    @admin.display(description=_("Anhänge"))
    def attachment_names(self, obj):
        return ", ".join(attachment["name"] for attachment in obj.attachments) or "–"

    @admin.display(description=_("Text"))
    def body(self, obj):
        if obj.secret:
            return _("Enthält einen Zugangslink und wird daher nicht angezeigt.")
        return format_html('<pre class="outbox-text">{}</pre>', obj.text)

    @admin.action(description=_("Erneut senden"), permissions=["capability"])
    def send_again(self, request, queryset):
        count = resend(queryset)
        skipped = queryset.count() - count
        self.message_user(
            request,
            ngettext(
                "%(count)s E-Mail wird erneut gesendet.",
                "%(count)s E-Mails werden erneut gesendet.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)s E-Mail wurde übergangen: nur fehlgeschlagene und "
                    "liegengebliebene E-Mails werden erneut gesendet.",
                    "%(count)s E-Mails wurden übergangen: nur fehlgeschlagene und "
                    "liegengebliebene E-Mails werden erneut gesendet.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )


# --- Data protection ---------------------------------------------------------------------


def processing_record_view(request: HttpRequest) -> HttpResponse:
    """The record of processing activities (DSGVO Art. 30), by app, as core.processing has it.

    An admin page of the site (miglobe/urls.py wraps it in admin_view, so only staff get
    here); staff without the capability get 404, as for every page they may not see.
    """
    if not may(request.user, Capability.DATA_PROTECTION):
        raise Http404
    return TemplateResponse(
        request,
        "admin/processing_record.html",
        {
            **admin.site.each_context(request),
            "title": _("Verzeichnis der Verarbeitungstätigkeiten"),
            "record": processing.record(),
            "contact_email": settings.SKEW_TEAM_EMAIL,
        },
    )


class DataProtectionAdmin(ReadOnlyAdmin):
    """Only staff who hold the data-protection capability see these records."""

    def has_module_permission(self, request):
        return may(request.user, Capability.DATA_PROTECTION)

    def has_view_permission(self, request, obj=None):
        return may(request.user, Capability.DATA_PROTECTION)


@admin.register(ErasureLog)
class ErasureLogAdmin(DataProtectionAdmin, admin.ModelAdmin):
    """What erasures did: counts per kind of record, never whom they were about."""

    list_display = ("__str__", "created_at", "done_by", "self_service", "records")
    actions = [export_csv]
    list_filter = ("self_service",)
    fields = ("created_at", "done_by", "self_service", "counts_table")
    readonly_fields = fields

    @admin.display(description=_("Datensätze"))
    def records(self, log: ErasureLog) -> int:
        return sum(item["count"] for item in log.counts.values())

    @admin.display(description=_("Was geschah"))
    def counts_table(self, log: ErasureLog) -> str:
        labels = personal_data.labels()
        actions = dict(personal_data.Action.choices)
        return format_html_join(
            "",
            "<p>{}: {} ({})</p>",
            (
                (labels.get(key, key), item["count"], actions.get(item["action"], ""))
                for key, item in log.counts.items()
            ),
        )


@admin.register(ErasureRequest)
class ErasureRequestAdmin(DataProtectionAdmin, admin.ModelAdmin):
    """Requests from /accounts/data/ that wait for SKEW: each opens the person's page."""

    list_display = ("__str__", "requested_at", "status", "decided_at", "review")
    actions = [export_csv]
    list_filter = ("status",)
    fields = ("requested_at", "status", "decided_at", "log")
    readonly_fields = fields

    @admin.display(description=_("Prüfen"))
    def review(self, request: ErasureRequest) -> str:
        if request.status != ErasureRequestStatus.OPEN:
            return ""
        return format_html(
            '<a href="{}?request={}">{}</a>',
            reverse("personal_data_person"),
            request.pk,
            _("Daten ansehen und Löschung bestätigen"),
        )
