"""sitemap.xml: published documents, authority pages and topics, in pages of `sitemap_limit` URLs."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap

from fonds.catalog import models as m
from fonds.feeds.public import public_documents
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
        return public_documents().select_related(None).only("id", "slug", "updated").order_by("id")

    def lastmod(self, item: m.Document):
        return item.updated


class AuthoritySitemap(_Paged):
    """The pages of one authority kind (people, organizations, places, archives)."""

    changefreq = "monthly"
    priority = 0.5

    def __init__(self, kind: str):
        self.kind = kind

    def items(self):
        return m.Authority.objects.filter(kind=self.kind).only("kind", "key").order_by("key")


class TopicSitemap(_Paged):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return m.Topic.objects.order_by("slug")

    def location(self, item: m.Topic) -> str:
        return f"/topics/{item.slug}"


SITEMAPS = {
    "documents": DocumentSitemap(),
    "people": AuthoritySitemap("person"),
    "organizations": AuthoritySitemap("organization"),
    "places": AuthoritySitemap("place"),
    "archives": AuthoritySitemap("repository"),
    "topics": TopicSitemap(),
}
