"""Citation downloads, included at the site root (see fonds.cite.views)."""

from django.urls import re_path

from fonds.cite import views

urlpatterns = [
    re_path(r"^documents/(?P<doc_id>[^/]+)/cite\.(?P<fmt>bib|ris|json)$", views.document_citation,
            name="document-citation"),
    re_path(r"^search/export\.(?P<fmt>bib|ris|json)$", views.search_export, name="search-export"),
]
