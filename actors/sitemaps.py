from django.contrib.sitemaps import Sitemap

from .selectors import organisations_published


class OrganisationSitemap(Sitemap):
    """Published organisations only: a withdrawn consent removes the entry here too."""

    changefreq = "weekly"
    limit = 5000

    def items(self):
        return organisations_published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, organisation):
        return organisation.updated_at
