"""The sitemap of the public directory: an index, and sections of 2,000 organisations.

Building a section names thousands of addresses; the finished XML is cached under the
directory's version (actors.directory_cache), so it follows every change at once. Sections
of 2,000 (the protocol allows 50,000) keep the first build after a change short.
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from .directory_cache import cached
from .selectors import organisations_published


class OrganisationSitemap(Sitemap):
    """Published organisations only: a withdrawn consent removes the entry here too."""

    changefreq = "weekly"
    limit = 2000

    def items(self):
        return organisations_published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, organisation):
        return organisation.updated_at

    def location(self, organisation):
        # One reverse() for the whole section instead of one per organisation.
        if not hasattr(self, "_address"):
            self._address = reverse("actors:organisation_detail", args=["slug-mark"])
        return self._address.replace("slug-mark", organisation.slug)

    def get_latest_lastmod(self):
        # Django's default reads every item for this; one aggregate does.
        return organisations_published().aggregate(latest=Max("updated_at"))["latest"]


HEADERS = ("Content-Type", "X-Robots-Tag", "Last-Modified")


def _cached(view, request: HttpRequest, **kwargs) -> HttpResponse:
    def build() -> tuple[int, bytes, dict[str, str]]:
        response = view(request, **kwargs)
        response.render()
        return (
            response.status_code,
            response.content,
            {name: response[name] for name in HEADERS if response.has_header(name)},
        )

    parts = [
        ("site", request.build_absolute_uri("/")),
        ("path", request.path),
        ("p", request.GET.get("p", "")),
    ]
    status, content, headers = cached("sitemap", parts, build)
    response = HttpResponse(content, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


def index(request: HttpRequest, **kwargs) -> HttpResponse:
    return _cached(sitemap_views.index, request, **kwargs)


def section(request: HttpRequest, **kwargs) -> HttpResponse:
    return _cached(sitemap_views.sitemap, request, **kwargs)
