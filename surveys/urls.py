from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("surveys/answer/<str:token>/", views.answer, name="answer"),
    path("surveys/open/<str:key>/", views.open_link, name="open"),
    path("surveys/opt-out/<str:token>/", views.opt_out_view, name="opt_out"),
    path("surveys/<int:pk>/", views.survey_detail, name="detail"),
    path("surveys/<int:pk>/answers.xlsx", views.survey_detail, {"fmt": "xlsx"}, name="xlsx"),
    path("surveys/<int:pk>/invite/", views.invitations, name="invite"),
    path("surveys/<int:pk>/meeting/", views.meeting, name="meeting"),
    path(
        "advisor/engagements/<int:engagement_pk>/surveys/new/",
        views.survey_create,
        name="create",
    ),
]
