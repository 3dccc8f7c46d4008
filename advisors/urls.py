from django.urls import path

from . import views

app_name = "advisors"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
]
