from django.urls import path

from .views import calendar, organisers, public

app_name = "events"

urlpatterns = [
    # public: list, programme, registration and its links, calendar feeds
    path("events/", public.event_list, name="list"),
    path("events/feed.ics", public.feed, name="feed"),
    path("events/feed/<int:municipality_id>.ics", public.feed, name="municipality_feed"),
    path("events/<int:pk>/", public.event_detail, name="detail"),
    path("events/<int:pk>/event.ics", public.event_ics, name="event_ics"),
    path("events/<int:pk>/register/", public.register, name="register"),
    path("events/<int:pk>/register/sent/", public.register_sent, name="register_sent"),
    path("events/confirm/<str:token>/", public.confirm, name="confirm"),
    path("events/cancel/<str:token>/", public.cancel, name="cancel"),
    # organisers (staff, the engagement's advisors)
    path("events/<int:pk>/checkin/", organisers.checkin, name="checkin"),
    path(
        "events/<int:pk>/checkin/<int:registration_pk>/",
        organisers.check_in,
        name="check_in",
    ),
    path(
        "events/<int:pk>/checkin/<int:registration_pk>/undo/",
        organisers.undo_check_in,
        name="undo_check_in",
    ),
    path("events/<int:pk>/participants/", organisers.participants, name="participants"),
    path(
        "events/<int:pk>/participants.csv",
        organisers.participants_csv,
        name="participants_csv",
    ),
    path(
        "events/<int:pk>/participants.xlsx",
        organisers.participants_xlsx,
        name="participants_xlsx",
    ),
    path("events/<int:pk>/sign-in-sheet.pdf", organisers.signin_pdf, name="signin_pdf"),
    path("events/<int:pk>/attendance.csv", organisers.attendance_csv, name="attendance_csv"),
    # intercultural calendar
    path("calendar/", calendar.holiday_calendar, name="calendar"),
]
