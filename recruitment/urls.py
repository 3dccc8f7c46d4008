from django.urls import path

from . import views

app_name = "recruitment"

urlpatterns = [
    path("pools/", views.pool_list, name="pools"),
    path("pools/<slug:slug>/", views.pool_detail, name="pool"),
    path("pools/<slug:pool_slug>/calls/<slug:slug>/", views.call_detail, name="call"),
    path("pools/<slug:pool_slug>/calls/<slug:slug>/sent/", views.sent, name="sent"),
    path("applications/confirm/<str:token>/", views.confirm, name="confirm"),
    path("applications/<str:token>/", views.manage, name="manage"),
    path("applications/<str:token>/withdraw/", views.withdraw, name="withdraw"),
    path("staff/trainings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path(
        "staff/trainings/<int:pk>/attendance/<int:advisor_pk>/",
        views.attendance_set_view,
        name="attendance_set",
    ),
]
