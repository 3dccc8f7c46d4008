from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .admin_export import export_csv
from .models import ReminderLog, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
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


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    """What the reminder sweeps sent: read-only, it is the record of "never twice"."""

    list_display = ["recipient", "kind", "item", "due_on", "created_at", "sent_at"]
    list_filter = ["kind", ("sent_at", admin.EmptyFieldListFilter), "due_on"]
    search_fields = ["recipient", "item"]
    date_hierarchy = "created_at"
    actions = [export_csv]
    csv_fields = ["recipient", "kind", "item", "due_on", "created_at", "sent_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
