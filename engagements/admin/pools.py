"""Pools and advisors in the admin, shown with what engagements know of them.

They live here, not in advisors/admin.py, because a pool's page edits its fee
rates and an advisor's row shows their load of running engagements: both are
engagements' facts, and the advisors app sits below engagements.
"""

from django.contrib import admin
from django.db.models import Count, Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from advisors.admin import (
    PartnerInline,
    PoolMembershipInline,
    TrainingCompletionInline,
    TrainingWaiverInline,
)
from advisors.models import Advisor, Pool, TrainingWaiver, current_membership
from advisors.selectors import pool_statistics
from core.admin_export import export_csv
from engagements.models import FeeRate
from engagements.selectors import advisors_with_load


class FeeRateInline(admin.TabularInline):
    model = FeeRate
    extra = 0


@admin.register(Pool)
class PoolAdmin(admin.ModelAdmin):
    list_display = ["name", "federal_state", "established", "member_count"]
    list_filter = ["federal_state"]
    search_fields = ["name"]
    inlines = [PartnerInline, FeeRateInline]
    readonly_fields = ["statistics"]
    fields = ["name", "slug", "federal_state", "established", "description", "statistics"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                active_members=Count(
                    "memberships",
                    filter=current_membership(timezone.localdate(), "memberships__"),
                    distinct=True,
                )
            )
        )

    @admin.display(description=_("aktive Mitglieder"), ordering="active_members")
    def member_count(self, obj):
        return obj.active_members

    @admin.display(description=_("Pool-Statistik"))
    def statistics(self, obj):
        if not obj.pk:
            return "–"
        return render_to_string(
            "admin/advisors/pool_statistics.html", {"stats": pool_statistics(obj)}
        )


@admin.register(Advisor)
class AdvisorAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "email",
        "gender",
        "birth_year",
        "home_municipality",
        "origins",
        "pool_names",
        "availability",
        "load",
    ]
    list_filter = ["pools", "gender", "availability", "languages"]
    search_fields = ["user__name", "user__email", "home_municipality__name"]
    autocomplete_fields = ["user", "home_municipality", "languages"]
    filter_horizontal = ["expertise"]
    inlines = [PoolMembershipInline, TrainingCompletionInline, TrainingWaiverInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is TrainingWaiver:
            for waiver in formset.save(commit=False):
                waiver.waived_by = waiver.waived_by or request.user
                waiver.save()
            for waiver in formset.deleted_objects:
                waiver.delete()
            return
        super().save_formset(request, form, formset, change)

    actions = [export_csv]
    csv_fields = [
        "name",
        "email",
        "gender",
        "birth_year",
        "home_municipality__name",
        "origins",
        "languages",
        "pool_names",
        "availability",
        "load",
    ]

    def get_queryset(self, request):
        return advisors_with_load().prefetch_related(
            "languages", Prefetch("pools", queryset=Pool.objects.order_by("name"))
        )

    @admin.display(description=_("Name"), ordering="user__name")
    def name(self, obj):
        return obj.user.name or obj.user.email

    @admin.display(description=_("E-Mail"), ordering="user__email")
    def email(self, obj):
        return obj.user.email

    @admin.display(description=_("Herkunftsländer"))
    def origins(self, obj):
        return ", ".join(str(c.name) for c in obj.countries_of_origin)

    @admin.display(description=_("Pools"))
    def pool_names(self, obj):
        return ", ".join(p.name for p in obj.pools.all())

    @admin.display(description=_("laufende Einsätze"), ordering="active_engagements")
    def load(self, obj):
        return obj.active_engagements
