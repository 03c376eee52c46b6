from django.contrib import admin
from django.urls import include, path

from fonds.web import browse, explore, health, search, views

urlpatterns = [
    path("", views.home, name="home"),
    path("search", search.search_page, name="search"),
    path("search/help", search.help_page, name="search-help"),
    path("search/counts", search.counts_fragment, name="search-counts"),
    path("documents/<str:doc_id>/", views.document, name="document-short"),
    path("documents/<str:doc_id>/<slug:slug>", views.document, name="document"),
    path("browse", browse.browse_home, name="browse"),
    *[path(f"{name}/", browse.index, {"name": name}, name=f"{name}-index") for name in browse.INDEXES],
    path("people/<str:key>", browse.authority, {"kind": "person"}, name="person"),
    path("organizations/<str:key>", browse.authority, {"kind": "organization"}, name="organization"),
    path("places/<str:key>", browse.authority, {"kind": "place"}, name="place"),
    path("archives/<str:key>", browse.authority, {"kind": "repository"}, name="repository"),
    path("topics/<slug:slug>", views.topic, name="topic"),
    path("subjects/<path:name>", browse.subject, name="subject"),
    path("dates/", browse.dates, name="dates"),
    path("dates/<str:label>", browse.dates, name="dates-period"),
    path("explore/timeline", explore.timeline, name="timeline"),
    path("explore/map", explore.place_map, name="map"),
    path("explore/network", explore.network, name="network"),
    path("people/<str:key>/network", explore.person_network, name="network-person"),
    path("language", views.language, name="language"),
    path("health", health.health_page, name="health"),
    path("admin/", admin.site.urls),
    path("oai", include("fonds.oai.urls")),
    path("api/", include("fonds.api.urls")),
    path("iiif/", include("fonds.iiif.urls")),
    path("", include("fonds.cite.urls")),
    path("", include("fonds.feeds.urls")),
]

handler404 = "fonds.web.views.not_found"
handler500 = "fonds.web.views.server_error"
