from django.urls import path

from . import views

app_name = "outcomes"

urlpatterns = [
    path("advisor/engagements/<int:pk>/options/", views.advisor_options, name="advisor_options"),
    path("advisor/engagements/<int:pk>/options/new/", views.option_edit, name="option_new"),
    path(
        "advisor/engagements/<int:pk>/options/<int:option_pk>/edit/",
        views.option_edit,
        name="option_edit",
    ),
    path("requests/<int:pk>/options/", views.officer_options, name="officer_options"),
    path(
        "requests/<int:pk>/final-report/<int:version>.pdf",
        views.final_report_download,
        name="final_report",
    ),
    path(
        "requests/<int:pk>/final-report/<int:version>/confirm/",
        views.final_report_confirm_view,
        name="final_report_confirm",
    ),
    path("follow-up/<str:token>/", views.follow_up, name="follow_up"),
    path("staff/figures/", views.figures, name="figures"),
    path("staff/figures.xlsx", views.figures, {"fmt": "xlsx"}, name="figures_xlsx"),
    path("options/<int:option_pk>/comment/", views.comment, name="comment"),
    path("options/<int:option_pk>/decide/", views.decide, name="decide"),
]
