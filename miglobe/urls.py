from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from actors import sitemaps
from actors.sitemaps import OrganisationSitemap
from core.admin import processing_record_view
from core.personal_data_views import account_data, personal_data_person, personal_data_search

from . import views

SITEMAPS = {"organisations": OrganisationSitemap}

admin.site.site_header = _("MiGlobe – Verwaltung der SKEW")
admin.site.site_title = _("MiGlobe-Verwaltung")
admin.site.index_title = _("Übersicht")
# The admin has no login of its own: allauth's, with its rate limits and second factor.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("impressum/", views.legal_page, {"page": "imprint"}, name="imprint"),
    path("datenschutz/", views.legal_page, {"page": "privacy"}, name="privacy"),
    path("barrierefreiheit/", views.legal_page, {"page": "accessibility"}, name="accessibility"),
    path("leichte-sprache/", views.legal_page, {"page": "easy_read"}, name="easy_read"),
    # An index: each section lists at most 2,000 organisations, however many there are.
    path("sitemap.xml", sitemaps.index, {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemaps"}),
    path("sitemap-<section>.xml", sitemaps.section, {"sitemaps": SITEMAPS}, name="sitemaps"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/data/", account_data, name="account_data"),
    path("accounts/", include("allauth.urls")),
    path("", include("engagements.urls")),
    path("advisor/", include("advisors.urls")),
    path("advisor/", include("workspace.urls")),
    path("", include("actors.urls")),
    path("", include("events.urls")),
    path("", include("outcomes.urls")),
    path("", include("recruitment.urls")),
    path("", include("surveys.urls")),
    # The record of processing activities: a page of the admin, for data protection.
    path(
        "admin/processing-record/",
        admin.site.admin_view(processing_record_view),
        name="processing_record",
    ),
    # A person's data (DSGVO Art. 15, 17, 20): find, export, erase.
    path(
        "admin/personal-data/",
        admin.site.admin_view(personal_data_search),
        name="personal_data_search",
    ),
    path(
        "admin/personal-data/person/",
        admin.site.admin_view(personal_data_person),
        name="personal_data_person",
    ),
    path("admin/", admin.site.urls),
]
