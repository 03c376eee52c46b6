"""Atom feeds, the sitemap and downloadable dumps of the published archive."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from fonds.archive.urls import SiteRequest
from fonds.feeds import dumps, feeds
from fonds.feeds.sitemaps import SITEMAPS


def _from_site(view):
    """A sitemap view whose absolute URLs use site_url's host when it is set."""
    def wrapped(request, *args, **kwargs):
        return view(SiteRequest(request), *args, **kwargs)
    return wrapped


urlpatterns = [
    path("feeds/documents.atom", feeds.DocumentsFeed(), name="feed-documents"),
    path("feeds/topics/<slug:slug>.atom", feeds.TopicFeed(), name="feed-topic"),
    path("feeds/people/<str:key>.atom", feeds.AuthorityFeed("person"), name="feed-person"),
    path("feeds/organizations/<str:key>.atom", feeds.AuthorityFeed("organization"), name="feed-organization"),
    path("feeds/places/<str:key>.atom", feeds.AuthorityFeed("place"), name="feed-place"),
    path("feeds/archives/<str:key>.atom", feeds.AuthorityFeed("repository"), name="feed-repository"),
    path("feeds/search.atom", feeds.SearchFeed(), name="feed-search"),
    path("sitemap.xml", _from_site(sitemap_views.index), {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
         name="sitemap"),
    path("sitemap-<section>.xml", _from_site(sitemap_views.sitemap), {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path("dumps/<str:name>", dumps.dump, name="dump"),
]
