from django.urls import path

from .views import directory, maps, statistics, suggestions

app_name = "actors"

# Helpers add their routes below the marked lines; keep one route per line.
urlpatterns = [
    path("organisations/", directory.organisation_list, name="organisation_list"),
    path("organisations.csv", directory.organisations_csv, name="organisations_csv"),
    path("organisations.json", directory.organisations_json, name="organisations_json"),
    # statistics
    path("organisations/statistics/", statistics.statistics_view, name="statistics"),
    # suggestions and consent
    path("organisations/suggest/", suggestions.suggest, name="suggest"),
    path("organisations/suggest/thanks/", suggestions.suggestion_done, name="suggestion_done"),
    path("organisations/consent/<token>/withdraw/", suggestions.withdraw, name="consent_withdraw"),
    path("organisations/map/", maps.organisation_map, name="organisation_map"),
    path("organisations/<slug:slug>/", directory.organisation_detail, name="organisation_detail"),
]
