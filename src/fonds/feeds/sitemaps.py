"""sitemap.xml: public documents, and the authority and topic pages that have public documents, in
pages of `sitemap_limit` URLs."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap

from fonds.catalog import models as m
from fonds.archive.visibility import public, public_authorities, public_topics
from fonds.settings import get_settings


class _Paged(Sitemap):
    """Django splits each section into pages of `limit` URLs, listed by the sitemap index."""

    @property
    def limit(self) -> int:
        return get_settings().sitemap_limit


class DocumentSitemap(_Paged):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return public().select_related(None).only("id", "slug", "updated").order_by("id")

    def lastmod(self, item: m.Document):
        return item.updated


class AuthoritySitemap(_Paged):
    """The pages of one authority kind (people, organizations, places, archives)."""

    changefreq = "monthly"
    priority = 0.5

    def __init__(self, kind: str):
        self.kind = kind

    def items(self):
        return public_authorities(self.kind).only("kind", "key").order_by("key")


class TopicSitemap(_Paged):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return public_topics().order_by("slug")


SITEMAPS = {
    "documents": DocumentSitemap(),
    "people": AuthoritySitemap("person"),
    "organizations": AuthoritySitemap("organization"),
    "places": AuthoritySitemap("place"),
    "archives": AuthoritySitemap("repository"),
    "topics": TopicSitemap(),
}
