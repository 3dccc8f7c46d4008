from itertools import groupby
from zoneinfo import ZoneInfo

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin_export import export_csv

from .enums import RegistrationStatus
from .holidays import holiday_conflicts
from .models import Event, EventSession, Registration
from .services import places_added

BERLIN = ZoneInfo("Europe/Berlin")


def describe_conflicts(conflicts) -> str:
    """E.g. "Fronleichnam (gesetzlicher Feiertag in Nordrhein-Westfalen); Id in Marokko, Türkei".

    `conflicts` as `holiday_conflicts` orders them: equal names stand together.
    """
    parts = []
    for (holiday, german), group in groupby(
        conflicts, key=lambda c: (c.holiday, c.german_public_holiday)
    ):
        places = ", ".join(c.country_name for c in group)
        if german:
            parts.append(
                gettext("%(holiday)s (gesetzlicher Feiertag in %(place)s)")
                % {"holiday": holiday, "place": places}
            )
        else:
            parts.append(
                gettext("%(holiday)s in %(countries)s") % {"holiday": holiday, "countries": places}
            )
    return "; ".join(parts)


class EventSessionInline(admin.StackedInline):
    model = EventSession
    extra = 0
    fields = [
        ("kind", "title"),
        ("starts_at", "ends_at"),
        ("speakers", "room", "capacity"),
        "description",
    ]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "municipality",
        "starts_at",
        "capacity",
        "registered",
        "attendance",
        "is_public",
        "organiser_pages",
    ]
    list_select_related = ["municipality"]
    list_filter = ["kind", "is_public", "municipality__federal_state", "municipality"]
    search_fields = ["title", "venue", "municipality__name", "organiser"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["municipality", "engagement"]
    inlines = [EventSessionInline]
    actions = [export_csv]
    readonly_fields = ["holidays_on_start_day"]

    # Holidays on the start day warn the planner; they never block saving.
    def _holiday_conflicts(self, obj):
        day = timezone.localtime(obj.starts_at, BERLIN).date()
        return day, holiday_conflicts(day=day, municipality=obj.municipality)

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != "holidays_on_start_day"]
        if obj is None:
            return fields
        # Beside the dates it is about, not at the bottom of the form.
        at = fields.index("ends_at") + 1 if "ends_at" in fields else len(fields)
        return [*fields[:at], "holidays_on_start_day", *fields[at:]]

    @admin.display(description=_("Feiertage an diesem Tag"))
    def holidays_on_start_day(self, obj):
        conflicts = self._holiday_conflicts(obj)[1]
        if not conflicts:
            return gettext("keine")
        return format_html("<strong>{}</strong>", describe_conflicts(conflicts))

    def _report_promoted(self, request, promoted) -> None:
        if not promoted:
            return
        message = ngettext(
            "%(count)d Person ist von der Warteliste nachgerückt und benachrichtigt.",
            "%(count)d Personen sind von der Warteliste nachgerückt und benachrichtigt.",
            len(promoted),
        )
        self.message_user(request, message % {"count": len(promoted)}, messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "capacity" in form.changed_data:
            self._report_promoted(request, places_added(event=obj))
        day, conflicts = self._holiday_conflicts(obj)
        if conflicts:
            message = gettext(
                "Am %(day)s ist Feiertag: %(holidays)s. Die Veranstaltung ist gespeichert; "
                "bitte prüfen Sie, ob der Termin für alle Beteiligten passt."
            ) % {"day": date_format(day, "DATE_FORMAT"), "holidays": describe_conflicts(conflicts)}
            self.message_user(request, message, messages.WARNING)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                registered_count=Count(
                    "registrations",
                    filter=Q(registrations__status=RegistrationStatus.CONFIRMED),
                    distinct=True,
                ),
                attended_count=Count(
                    "registrations", filter=Q(registrations__attended=True), distinct=True
                ),
            )
        )

    @admin.display(description=_("Anmeldungen"), ordering="registered_count")
    def registered(self, obj):
        return obj.registered_count

    @admin.display(description=_("teilgenommen"), ordering="attended_count")
    def attendance(self, obj):
        return obj.attended_count

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "organiser_links"] if obj is not None else fields

    # The organisers' pages (events.views.organisers): two in the list, all on the change page.
    ORGANISER_LINKS = [
        ("events:participants", _("Teilnehmende und Teilnahme")),
        ("events:checkin", _("Check-in")),
        ("events:signin_pdf", _("Unterschriftenliste (PDF)")),
        ("events:participants_xlsx", _("Teilnehmende (XLSX)")),
        ("events:attendance_csv", _("Teilnahmezahlen (CSV)")),
    ]

    def _links(self, obj, links):
        pairs = ((reverse(name, args=[obj.pk]), label) for name, label in links)
        return format_html_join(" · ", '<a href="{}">{}</a>', pairs)

    @admin.display(description=_("Für Veranstaltende"))
    def organiser_links(self, obj):
        return self._links(obj, self.ORGANISER_LINKS)

    @admin.display(description=_("Veranstaltende"))
    def organiser_pages(self, obj):
        return self._links(obj, self.ORGANISER_LINKS[:2])


@admin.register(EventSession)
class EventSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "event", "starts_at", "speakers", "capacity"]
    list_select_related = ["event"]
    list_filter = ["kind"]
    search_fields = ["title", "speakers", "event__title"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["event"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "email",
        "event",
        "organisation_display",
        "category",
        "status",
        "attended",
    ]
    list_select_related = ["event", "organisation"]
    list_filter = ["status", "category", "attended", "event"]
    search_fields = ["name", "email", "organisation_name", "organisation__name", "event__title"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["event", "organisation"]
    filter_horizontal = ["sessions"]
    actions = [export_csv]
    csv_fields = [
        "name",
        "email",
        "event__title",
        "organisation_display",
        "category",
        "status",
        "attended",
    ]

    @admin.display(description=_("Organisation"))
    def organisation_display(self, obj):
        return obj.organisation.name if obj.organisation else obj.organisation_name

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.anonymised_at:
            return False  # what is left of it only counts in the event's figures
        return super().has_change_permission(request, obj)
