"""Reimbursement reports in the admin: ask for one, follow its state, download its files.

The add page is the form that asks for a report; the work runs in the worker
(engagements.tasks). Reports are never edited here: what they hold is final,
and a correction goes into the next period's report as an adjustment line.
The files are in the private media folder and reach staff only through the
download view here.
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from advisors.models import Pool
from core.files import stored_download
from core.formats import short_datetime
from core.forms import DateInput
from core.permissions import Capability, may, require_recent_login
from core.validators import sensible_date
from engagements.enums import ReportStatus
from engagements.models import ReimbursementReport
from engagements.reports import CONTENT_TYPES, ReportError, report_send
from engagements.tasks import report_request


def previous_month(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    end = today.replace(day=1) - datetime.timedelta(days=1)
    return end.replace(day=1), end


class ReportRequestForm(forms.Form):
    pool = forms.ModelChoiceField(label=gettext_lazy("Pool"), queryset=Pool.objects.all())
    period_start = forms.DateField(
        label=gettext_lazy("Zeitraum von"), widget=DateInput(), validators=[sensible_date]
    )
    period_end = forms.DateField(
        label=gettext_lazy("Zeitraum bis"), widget=DateInput(), validators=[sensible_date]
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Das Ende liegt vor dem Beginn."))
        elif end and end > timezone.localdate():
            # A period that is not over yet would be reported without its last days.
            self.add_error("period_end", _("Der Zeitraum ist noch nicht vorbei."))
        return data


class ReportAdminMixin:
    """The request form as the add page, downloads, sending again, and read-only reports."""

    change_list_template = "admin/engagements/reimbursementreport/change_list.html"

    def get_urls(self):
        own = [
            path(
                "<int:pk>/download/<str:kind>/",
                self.admin_site.admin_view(self.download_view),
                name="engagements_reimbursementreport_download",
            ),
        ]
        return own + super().get_urls()

    def has_add_permission(self, request):
        return may(request.user, Capability.MAKE_REPORTS)

    def has_change_permission(self, request, obj=None):
        return False  # a report is final once made; the admin only shows it

    def has_delete_permission(self, request, obj=None):
        # Only a report that holds nothing yet: pending or failed.
        return (
            obj is not None
            and obj.status in (ReportStatus.PENDING, ReportStatus.FAILED)
            and super().has_delete_permission(request, obj)
        )

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            require_recent_login(request)
            form = ReportRequestForm(request.POST)
            if form.is_valid():
                try:
                    report = report_request(**form.cleaned_data, requested_by=request.user)
                except ReportError as error:
                    form.add_error(None, str(error))
                else:
                    self._announce(request, report)
                    return redirect(reverse("admin:engagements_reimbursementreport_changelist"))
        else:
            start, end = previous_month(timezone.localdate())
            form = ReportRequestForm(initial={"period_start": start, "period_end": end})
        return TemplateResponse(
            request,
            "admin/engagements/reimbursementreport/request.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "form": form,
                "title": _("Erstattungsbericht erstellen"),
                "report_email": settings.SKEW_REPORT_EMAIL,
            },
        )

    def _announce(self, request, report: ReimbursementReport) -> None:
        if report.status == ReportStatus.SENT:
            self.message_user(
                request,
                _(
                    "Der Bericht %(report)s wurde bereits am %(date)s versendet. Spätere "
                    "Korrekturen erscheinen als Nachträge im Bericht des nächsten Zeitraums."
                )
                % {
                    "report": report,
                    "date": short_datetime(report.sent_at),
                },
                messages.WARNING,
            )
            return
        self.message_user(
            request,
            _(
                "Der Bericht %(report)s wird im Hintergrund erstellt und an %(email)s "
                "gesendet. Sein Stand steht in der Liste."
            )
            % {"report": report, "email": settings.SKEW_REPORT_EMAIL},
            messages.SUCCESS,
        )

    def download_view(self, request, pk: int, kind: str):
        report = get_object_or_404(ReimbursementReport, pk=pk)
        if not self.has_view_permission(request, report):
            raise PermissionDenied
        if kind not in CONTENT_TYPES or not getattr(report, kind):
            raise Http404
        return stored_download(request, getattr(report, kind), content_type=CONTENT_TYPES[kind])

    @admin.display(description=gettext_lazy("Dateien"))
    def downloads(self, obj):
        return self._download_links(obj, full=False)

    @admin.display(description=gettext_lazy("Dateien und Prüfsummen (SHA-256)"))
    def files_with_checksums(self, obj):
        return self._download_links(obj, full=True)

    @admin.action(
        description=gettext_lazy("Erstellte, noch nicht versendete Berichte senden"),
        permissions=["capability"],
    )
    def send_again(self, request, queryset):
        sent, refused = 0, []
        for report in queryset.filter(status=ReportStatus.GENERATED, sent_at__isnull=True):
            try:
                sent += report_send(report=report)
            except ReportError as error:
                refused.append(f"{report}: {error}")
        self.message_user(
            request,
            ngettext(
                "%(count)s Bericht wird versendet.",
                "%(count)s Berichte werden versendet.",
                sent,
            )
            % {"count": sent},
            messages.SUCCESS if sent else messages.WARNING,
        )
        for reason in refused:
            self.message_user(request, reason, messages.ERROR)

    @admin.action(
        description=gettext_lazy("Fehlgeschlagene Berichte erneut erstellen"),
        permissions=["capability"],
    )
    def try_again(self, request, queryset):
        failed = list(queryset.filter(status=ReportStatus.FAILED).select_related("pool"))
        for report in failed:
            report_request(
                pool=report.pool,
                period_start=report.period_start,
                period_end=report.period_end,
                requested_by=request.user,
            )
        self.message_user(
            request,
            ngettext(
                "%(count)s Bericht wird im Hintergrund neu erstellt.",
                "%(count)s Berichte werden im Hintergrund neu erstellt.",
                len(failed),
            )
            % {"count": len(failed)},
            messages.SUCCESS if failed else messages.WARNING,
        )

    @admin.display(description=gettext_lazy("E-Mail"))
    def email_status(self, obj):
        if obj.email is None:
            return "–"
        email = obj.email
        link = reverse("admin:core_outboxemail_change", args=[email.pk])
        return format_html('<a href="{}">{}</a>', link, email.get_status_display())

    def _download_links(self, obj, *, full: bool):
        """Links to the files with their SHA-256 checksums (in the list, their beginning)."""
        if not obj.files:
            return "–"
        rows = [
            (
                reverse("admin:engagements_reimbursementreport_download", args=[obj.pk, kind]),
                kind.upper(),
                checksum if full else f"{checksum[:12]}…",
            )
            for kind, _stored, checksum in obj.files
        ]
        if full:
            return format_html(
                "<ul>{}</ul>",
                format_html_join("", '<li><a href="{}">{}</a> SHA-256: <code>{}</code></li>', rows),
            )
        return format_html_join(" ", '<a href="{}">{}</a>&nbsp;<code>{}</code>', rows)
