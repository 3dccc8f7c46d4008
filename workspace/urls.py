from django.urls import path, register_converter

from . import views


class ChoiceConverter:
    """A path segment that is one of a few words."""

    words: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.regex = "|".join(cls.words)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class KindConverter(ChoiceConverter):
    words = ("time", "expense")


class ActionConverter(ChoiceConverter):
    words = ("submit", "withdraw", "delete")


class FormatConverter(ChoiceConverter):
    words = ("csv", "xlsx")


register_converter(KindConverter, "entrykind")
register_converter(ActionConverter, "entryaction")
register_converter(FormatConverter, "exportformat")

app_name = "workspace"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("calendar/<str:token>/miglobe.ics", views.calendar_feed, name="calendar_feed"),
    path("calendar/renew/", views.calendar_renew_view, name="calendar_renew"),
    path("engagements/<int:pk>/", views.engagement_detail, name="engagement"),
    path(
        "engagements/<int:pk>/milestones/<int:milestone_pk>/done/",
        views.milestone_done,
        name="milestone_done",
    ),
    path(
        "engagements/<int:pk>/milestones/<int:milestone_pk>/move/",
        views.milestone_move_view,
        name="milestone_move",
    ),
    path("engagements/<int:pk>/findings/new/", views.finding_create, name="finding_create"),
    path(
        "engagements/<int:pk>/findings.<exportformat:fmt>",
        views.findings_export,
        name="findings_export",
    ),
    path("expense/<int:pk>/receipt/", views.expense_receipt, name="expense_receipt"),
    path("<entrykind:kind>/new/", views.entry_create, name="entry_create"),
    path("<entrykind:kind>/<int:pk>/", views.entry_edit, name="entry_edit"),
    path(
        "<entrykind:kind>/<int:pk>/<entryaction:action>/",
        views.entry_action,
        name="entry_action",
    ),
]
