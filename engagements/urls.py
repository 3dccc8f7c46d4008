from django.urls import path

from . import views

app_name = "engagements"

urlpatterns = [
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/edit/", views.request_edit, name="request_edit"),
    path("requests/<int:pk>/submit/", views.request_submit_view, name="request_submit"),
    path("requests/<int:pk>/withdraw/", views.request_withdraw_view, name="request_withdraw"),
    path("requests/<int:pk>/messages/", views.request_message_view, name="request_message"),
]
