from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from advisors.models import Advisor
from core.admin import CapabilityActions, ReadOnlyAdmin, RecentLoginToSave
from core.admin_export import export_csv
from core.money import euro
from core.permissions import Capability, may
from engagements.enums import HOURS_FEE, EngagementStatus, EntryStatus
from engagements.forms import CostCorrectionForm
from engagements.models import (
    ConsultationRequest,
    CostCorrection,
    Department,
    Engagement,
    EngagementAdvisor,
    Expense,
    FeeRate,
    Milestone,
    Municipality,
    MunicipalOfficer,
    ReimbursementReport,
    RequestMessage,
    RequestStatusChange,
    TimeEntry,
)
from engagements.selectors import engagement_costs
from engagements.services import EntryError, entry_approve, entry_return, officer_confirm

from .reports import ReportAdminMixin
from .review import ReviewMixin, start_review
from .steering import SteeringMixin, read_only_inline


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0


class MunicipalityForm(forms.ModelForm):
    def clean_community_countries(self):
        # An emptied JSON field arrives as None; the column holds a list.
        return self.cleaned_data["community_countries"] or []


@admin.register(Municipality)
class MunicipalityAdmin(CapabilityActions, admin.ModelAdmin):
    action_capability = Capability.REVIEW_REQUESTS  # the team checks who asks
    form = MunicipalityForm

    list_display = [
        "name",
        "federal_state",
        "confirmed",
        "ags",
        "latitude",
        "longitude",
        "population",
    ]
    list_filter = ["confirmed", "federal_state"]
    search_fields = ["name", "ags"]
    inlines = [DepartmentInline]
    actions = ["confirm", export_csv]

    @admin.action(
        description=_("Ausgewählte Kommunen bestätigen (erscheinen dann öffentlich)"),
        permissions=["capability"],
    )
    def confirm(self, request, queryset):
        done = queryset.filter(confirmed=False).update(confirmed=True)
        self.message_user(request, _("%(count)s Kommunen bestätigt.") % {"count": done})


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "municipality"]
    list_select_related = ["municipality"]
    list_filter = ["municipality__federal_state"]
    search_fields = ["number", "name", "municipality__name"]
    autocomplete_fields = ["municipality"]


@admin.register(MunicipalOfficer)
class MunicipalOfficerAdmin(CapabilityActions, admin.ModelAdmin):
    action_capability = Capability.REVIEW_REQUESTS

    list_display = ["user", "email", "municipality", "role", "confirmed_at"]
    list_select_related = ["user", "municipality"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter), "municipality__federal_state"]
    search_fields = ["user__email", "user__name", "municipality__name", "role"]
    autocomplete_fields = ["user", "municipality"]
    readonly_fields = ["confirmed_at", "confirmed_by"]
    actions = ["confirm", export_csv]

    @admin.action(description=_("Zugehörigkeit zur Kommune bestätigen"), permissions=["capability"])
    def confirm(self, request, queryset):
        confirmed = sum(officer_confirm(officer=o, by=request.user) for o in queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)s Ansprechperson bestätigt und per E-Mail informiert.",
                "%(count)s Ansprechpersonen bestätigt und per E-Mail informiert.",
                confirmed,
            )
            % {"count": confirmed},
        )

    @admin.display(description=_("E-Mail"), ordering="user__email")
    def email(self, obj):
        return obj.user.email


class StatusChangeInline(admin.TabularInline):
    model = RequestStatusChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "from_status", "to_status", "changed_by", "note"]
    readonly_fields = fields

    def get_queryset(self, request):
        # Who changed it, read with the rows: one query for any number of changes.
        return super().get_queryset(request).select_related("changed_by")

    def has_add_permission(self, request, obj=None):
        return False


class MessageInline(admin.TabularInline):
    model = RequestMessage
    extra = 0
    can_delete = False
    fields = ["created_at", "author", "from_skew", "body"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ConsultationRequest)
class ConsultationRequestAdmin(ReviewMixin, SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "municipality",
        "status",
        "contact_name",
        "submitted_at",
        "preferred_start",
        "preferred_end",
    ]
    list_select_related = ["municipality", "created_by"]
    list_filter = ["status", "municipality__federal_state", "topics"]
    search_fields = ["municipality__name", "contact_name", "contact_email", "goals", "need"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["municipality", "created_by"]
    # Plain widgets: the select2 and filter_horizontal widgets fail axe's label checks.
    raw_id_fields = ["departments"]
    formfield_overrides = {
        models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple},
    }
    readonly_fields = ["status", "decline_reason", "submitted_at", "created_at", "updated_at"]
    inlines = [StatusChangeInline, MessageInline]
    actions = [start_review, export_csv]
    csv_fields = [
        "municipality__name",
        "status",
        "contact_name",
        "contact_email",
        "submitted_at",
        "preferred_start",
        "preferred_end",
        "goals",
        "need",
    ]


class EngagementAdvisorInline(admin.TabularInline):
    model = EngagementAdvisor
    fields = ["advisor", "slot", "assigned_at", "left_on"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["kind", "title", "due_on", "done_on", "note"]


@admin.register(Engagement)
class EngagementAdmin(SteeringMixin, SimpleHistoryAdmin):
    list_display = [
        "title",
        "municipality",
        "pool",
        "status",
        "starts_on",
        "ends_on",
        "advisor_names",
        "council_submission",
    ]
    list_select_related = ["municipality", "pool"]
    list_filter = ["status", "pool", "municipality__federal_state"]
    search_fields = ["title", "municipality__name", "council_submission", "goals"]
    date_hierarchy = "starts_on"
    autocomplete_fields = ["municipality", "consultation_request", "departments"]
    # Status, advisors and milestones change on "Einsatz steuern" (admin/steering.py),
    # through the lifecycle services: with who, why, and an email to those concerned.
    inlines = [read_only_inline(EngagementAdvisorInline), read_only_inline(MilestoneInline)]
    readonly_fields = ["status", "created_at", "costs"]
    change_form_template = "admin/engagements/engagement/change_form.html"
    actions = [export_csv]
    csv_fields = [
        "title",
        "municipality__name",
        "pool__name",
        "status",
        "starts_on",
        "ends_on",
        "advisor_names",
        "council_submission",
        "budget",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("advisors", queryset=Advisor.objects.select_related("user")),
            )
        )

    @admin.display(description=_("Berater*innen"))
    def advisor_names(self, obj):
        return ", ".join(str(a) for a in obj.advisors.all())

    @admin.display(description=_("Kosten"))
    def costs(self, obj):
        """Fees and expenses by state, corrections, and the budget left, with links to them."""
        if obj is None or obj.pk is None:
            return "–"
        costs = engagement_costs(obj)
        zero = Decimal("0.00")

        def listed(model: str, **filters) -> str:
            query = urlencode({"engagement__id__exact": obj.pk, **filters})
            return reverse(f"admin:engagements_{model}_changelist") + "?" + query

        rows = [
            (
                listed("timeentry", status=status.value),
                status.label,
                euro(costs.fees.get(status.value, zero)),
                euro(costs.expenses.get(status.value, zero)),
                listed("expense", status=status.value),
            )
            for status in EntryStatus
        ]
        body = format_html_join(
            "",
            '<tr><th scope="row">{1}</th><td><a href="{0}">{2}</a></td>'
            '<td><a href="{4}">{3}</a></td></tr>',
            rows,
        )
        budget = "–" if costs.budget is None else euro(costs.budget)
        remaining = "–" if costs.remaining is None else euro(costs.remaining)
        return format_html(
            '<table><thead><tr><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>'
            '<p><a href="{}">{}</a>: {} · {}: {} · {}: {} · {}: {}</p>',
            _("Status"),
            _("Honorare (EUR)"),
            _("Ausgaben (EUR)"),
            body,
            listed("costcorrection"),
            _("Korrekturen durch SKEW"),
            euro(costs.corrections),
            _("eingereicht, freigegeben oder erstattet"),
            euro(costs.committed),
            _("bewilligtes Budget"),
            budget,
            _("verbleibend"),
            remaining,
        )


@admin.register(EngagementAdvisor)
class EngagementAdvisorAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Who advised where, and until when: changed only on "Einsatz steuern"."""

    list_display = ["advisor", "engagement", "slot", "assigned_at", "left_on"]
    list_select_related = ["advisor__user", "engagement"]
    list_filter = ["engagement__pool", ("left_on", admin.EmptyFieldListFilter)]
    search_fields = ["advisor__user__name", "engagement__title"]
    actions = [export_csv]


class OverdueFilter(admin.SimpleListFilter):
    title = _("Fälligkeit")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("overdue", _("überfällig")), ("open", _("offen")), ("done", _("erledigt"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            # Of engagements still running: a finished one's open milestones wait for nobody.
            return queryset.filter(
                done_on__isnull=True,
                due_on__lt=today,
                engagement__status__in=[EngagementStatus.PLANNED, EngagementStatus.ACTIVE],
            )
        if self.value() == "open":
            return queryset.filter(done_on__isnull=True)
        if self.value() == "done":
            return queryset.filter(done_on__isnull=False)
        return queryset


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    """Milestones are added, moved and completed on "Einsatz steuern"; here the title
    and the note can be corrected."""

    list_display = ["title", "engagement", "kind", "due_on", "done_on"]
    list_select_related = ["engagement"]
    list_filter = [OverdueFilter, "kind", "engagement__pool"]
    search_fields = ["title", "engagement__title", "engagement__municipality__name"]
    date_hierarchy = "due_on"
    readonly_fields = ["engagement", "kind", "due_on", "done_on"]
    actions = [export_csv]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EntryAdmin(SimpleHistoryAdmin):
    """What the time-entry and the expense lists share."""

    list_select_related = ["engagement", "advisor__user", "report"]
    list_filter = ["status", "engagement__pool", "engagement"]
    search_fields = ["advisor__user__name", "engagement__title", "description"]
    date_hierarchy = "date"
    autocomplete_fields = ["engagement", "advisor"]
    readonly_fields = [
        "status",
        "submitted_at",
        "approved_at",
        "approved_by",
        "report",
        "created_at",
    ]
    actions = ["approve", "send_back", export_csv]

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj)]
        if may(request.user, Capability.MAKE_REPORTS):
            fields.append("correct")  # the link to record a correction
        return fields

    @admin.display(description=_("Korrektur"))
    def correct(self, obj):
        """On a reimbursed entry: record a correction, with the entry filled in."""
        if obj is None or obj.status != EntryStatus.REIMBURSED:
            return "–"
        is_time = isinstance(obj, TimeEntry)
        initial = {
            "engagement": obj.engagement_id,
            "corrects_time_entry" if is_time else "corrects_expense": obj.pk,
            "category": HOURS_FEE if is_time else obj.category,
        }
        url = reverse("admin:engagements_costcorrection_add") + "?" + urlencode(initial)
        return format_html(
            '<a href="{}">{}</a>', url, _("Korrektur für den nächsten Bericht erfassen")
        )

    def get_search_results(self, request, queryset, search_term):
        # A correction picks its entry among the reimbursed ones only.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("model_name") == "costcorrection":
            queryset = queryset.filter(status=EntryStatus.REIMBURSED)
        return queryset, may_have_duplicates

    # A reimbursed entry is part of a filed report: it stays as it was reported, and a
    # correction is a new entry that goes into the next report as an adjustment.
    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status == EntryStatus.REIMBURSED:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status == EntryStatus.REIMBURSED:
            return False
        return super().has_delete_permission(request, obj)

    def _apply(self, request, queryset, service, done_message):
        done = 0
        for entry in queryset:
            try:
                service(entry=entry, by=request.user)
            except EntryError as error:
                self.message_user(request, f"{entry}: {error}", messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    def has_approve_permission(self, request) -> bool:
        return may(request.user, Capability.APPROVE_COSTS)

    @admin.action(description=_("Ausgewählte freigeben"), permissions=["approve"])
    def approve(self, request, queryset):
        self._apply(request, queryset, entry_approve, _("%(count)s Einträge freigegeben."))

    @admin.action(
        description=_("Ausgewählte zur Überarbeitung zurückgeben"), permissions=["approve"]
    )
    def send_back(self, request, queryset):
        self._apply(request, queryset, entry_return, _("%(count)s Einträge zurückgegeben."))


@admin.register(TimeEntry)
class TimeEntryAdmin(EntryAdmin):
    list_display = ["date", "advisor", "engagement", "hours", "activity", "status"]
    csv_fields = [
        "date",
        "advisor__user__name",
        "engagement__title",
        "hours",
        "activity",
        "status",
    ]


@admin.register(Expense)
class ExpenseAdmin(EntryAdmin):
    list_display = ["date", "advisor", "engagement", "category", "amount", "status", "receipt_link"]
    readonly_fields = [*EntryAdmin.readonly_fields, "receipt_link"]
    exclude = ["receipt"]

    # The link only for those who may see receipts; the view asks again.
    def _receipts_for(self, request, names):
        if may(request.user, Capability.SEE_RECEIPTS):
            return names
        return [name for name in names if name != "receipt_link"]

    def get_list_display(self, request):
        return self._receipts_for(request, super().get_list_display(request))

    def get_readonly_fields(self, request, obj=None):
        return self._receipts_for(request, super().get_readonly_fields(request, obj))

    def get_fields(self, request, obj=None):
        return self._receipts_for(request, super().get_fields(request, obj))

    @admin.display(description=_("Beleg"))
    def receipt_link(self, obj):
        # Receipts have no public URL: link to the view that checks who may see them.
        if not obj.receipt:
            return "–"
        return format_html(
            '<a href="{}">{}</a>', reverse("workspace:expense_receipt", args=[obj.pk]), _("Beleg")
        )

    list_filter = ["status", "category", "engagement__pool", "engagement"]
    csv_fields = [
        "date",
        "advisor__user__name",
        "engagement__title",
        "category",
        "amount",
        "status",
    ]


@admin.register(CostCorrection)
class CostCorrectionAdmin(RecentLoginToSave, SimpleHistoryAdmin):
    """SKEW's corrections of reimbursed costs; fixed once a report has taken them."""

    form = CostCorrectionForm
    list_display = ["date", "engagement", "category", "amount", "report", "created_by"]
    list_select_related = ["engagement", "report__pool", "created_by"]
    list_filter = [
        ("report", admin.EmptyFieldListFilter),
        "category",
        "engagement__pool",
    ]
    search_fields = ["engagement__title", "engagement__municipality__name", "reason"]
    date_hierarchy = "date"
    autocomplete_fields = ["engagement", "corrects_time_entry", "corrects_expense"]
    fields = [
        "engagement",
        "date",
        "category",
        "amount",
        "reason",
        "corrects_time_entry",
        "corrects_expense",
        "report",
        "created_by",
        "created_at",
    ]
    readonly_fields = ["report", "created_by", "created_at"]
    actions = [export_csv]
    csv_fields = [
        "date",
        "engagement__title",
        "category",
        "amount",
        "reason",
        "report__period_start",
        "report__period_end",
    ]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.report_id:
            return False  # it is part of a filed report
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.report_id:
            return False
        return super().has_delete_permission(request, obj)

    @staticmethod
    def _unreported_or_403(obj) -> None:
        # The row is locked whatever its state, so a report cannot take it between this
        # check and the save; one that a report took while the form was open stays as
        # it was reported.
        if CostCorrection.objects.select_for_update().get(pk=obj.pk).report_id:
            raise PermissionDenied(_("Diese Korrektur ist inzwischen Teil eines Berichts."))

    def save_model(self, request, obj, form, change):
        if change:
            self._unreported_or_403(obj)
        else:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._unreported_or_403(obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            if any(queryset.select_for_update().values_list("report_id", flat=True)):
                raise PermissionDenied(
                    _("Korrekturen, die Teil eines Berichts sind, bleiben, wie sie sind.")
                )
            super().delete_queryset(request, queryset)


@admin.register(FeeRate)
class FeeRateAdmin(admin.ModelAdmin):
    list_display = ["pool", "valid_from", "hourly_rate"]
    list_select_related = ["pool"]
    list_filter = ["pool"]
    date_hierarchy = "valid_from"


@admin.register(ReimbursementReport)
class ReimbursementReportAdmin(CapabilityActions, ReportAdminMixin, admin.ModelAdmin):
    action_capability = Capability.MAKE_REPORTS

    list_display = [
        "__str__",
        "pool",
        "period_start",
        "period_end",
        "status",
        "total_fees",
        "total_expenses",
        "total",
        "generated_at",
        "sent_at",
        "email_status",
        "downloads",
    ]
    list_select_related = ["pool", "email"]
    list_filter = ["status", "pool"]
    date_hierarchy = "period_start"
    view_on_site = False  # its URL is this admin page
    # The files are shown only as links to the staff-only download view, never by their path.
    fields = [
        "pool",
        "period_start",
        "period_end",
        "status",
        "error",
        "total_fees",
        "total_expenses",
        "total",
        "generated_at",
        "sent_at",
        "email_status",
        "requested_by",
        "created_at",
        "files_with_checksums",
    ]
    readonly_fields = fields
    actions = ["send_again", "try_again", export_csv]
    csv_fields = [
        "pool__name",
        *(name for name in list_display if name not in {"__str__", "pool", "downloads"}),
        "pdf_sha256",
        "xlsx_sha256",
        "csv_sha256",
    ]


@admin.register(RequestStatusChange)
class RequestStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["consultation_request", "from_status", "to_status", "changed_by", "changed_at"]
    list_select_related = ["consultation_request__municipality", "changed_by"]
    list_filter = ["to_status"]
    search_fields = ["consultation_request__municipality__name", "note"]
    date_hierarchy = "changed_at"
    readonly_fields = [
        "consultation_request",
        "from_status",
        "to_status",
        "changed_by",
        "changed_at",
        "note",
    ]

    def has_add_permission(self, request):
        return False  # the log is written by the services, never by hand


@admin.register(RequestMessage)
class RequestMessageAdmin(admin.ModelAdmin):
    list_display = ["consultation_request", "author", "from_skew", "created_at"]
    list_select_related = ["consultation_request__municipality", "author"]
    list_filter = ["from_skew"]
    search_fields = ["consultation_request__municipality__name", "body", "author__email"]
    date_hierarchy = "created_at"
    readonly_fields = ["consultation_request", "author", "from_skew", "body", "created_at"]

    def has_add_permission(self, request):
        return False  # messages are written in the portal, which emails the other side


from . import pools  # noqa: E402, F401  registers the pool and advisor admins
