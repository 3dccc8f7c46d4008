from django.urls import path

from . import calendar_views, organiser_views, views

app_name = "events"

urlpatterns = [
    # public: list, programme, registration and its links, calendar feeds
    path("events/", views.event_list, name="list"),
    path("events/feed.ics", views.feed, name="feed"),
    path("events/feed/<int:municipality_id>.ics", views.feed, name="municipality_feed"),
    path("events/<int:pk>/", views.event_detail, name="detail"),
    path("events/<int:pk>/event.ics", views.event_ics, name="event_ics"),
    path("events/<int:pk>/register/", views.register, name="register"),
    path("events/<int:pk>/register/sent/", views.register_sent, name="register_sent"),
    path("events/confirm/<str:token>/", views.confirm, name="confirm"),
    path("events/cancel/<str:token>/", views.cancel, name="cancel"),
    # organisers (staff, the engagement's advisors)
    path("events/<int:pk>/checkin/", organiser_views.checkin, name="checkin"),
    path(
        "events/<int:pk>/checkin/<int:registration_pk>/",
        organiser_views.check_in,
        name="check_in",
    ),
    path(
        "events/<int:pk>/checkin/<int:registration_pk>/undo/",
        organiser_views.undo_check_in,
        name="undo_check_in",
    ),
    path("events/<int:pk>/participants/", organiser_views.participants, name="participants"),
    path(
        "events/<int:pk>/participants.csv",
        organiser_views.participants_csv,
        name="participants_csv",
    ),
    path(
        "events/<int:pk>/participants.xlsx",
        organiser_views.participants_xlsx,
        name="participants_xlsx",
    ),
    path("events/<int:pk>/sign-in-sheet.pdf", organiser_views.signin_pdf, name="signin_pdf"),
    path("events/<int:pk>/attendance.csv", organiser_views.attendance_csv, name="attendance_csv"),
    # intercultural calendar
    path("calendar/", calendar_views.holiday_calendar, name="calendar"),
]
