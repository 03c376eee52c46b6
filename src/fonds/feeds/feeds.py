"""Atom feeds: new documents overall, per topic, per person, and for any search.

Entries carry `<summary type="html">`, which feed readers render as HTML: a document's summary is
plain text, so it is escaped (a summary holding "<script>" shows as those characters); a search
snippet is already HTML made of escaped text and <mark> elements.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from fonds.archive.search import search, search_request
from fonds.archive.urls import SiteRequest
from fonds.archive.visibility import authority_documents, public, public_authorities, public_topics
from fonds.catalog import models as m
from fonds.settings import get_settings


class DocumentsFeed(Feed):
    """The newest documents of the archive."""

    feed_type = Atom1Feed

    def get_feed(self, obj, request: HttpRequest):
        # Entry and feed links are made absolute from the request: from site_url's host when set.
        return super().get_feed(obj, SiteRequest(request))

    def get_object(self, request: HttpRequest, *args, **kwargs):
        # Feed methods get no request; the object carries what they need.
        return None

    def title(self, obj) -> str:
        return _("%(site)s: new documents") % {"site": get_settings().site_name}

    def link(self, obj) -> str:
        return reverse("home")

    def subtitle(self, obj) -> str:
        return _("Documents as they are published in the archive.")

    def items(self, obj):
        return self.newest(public())

    def newest(self, documents):
        return list(documents.select_related(None).order_by("-created", "id")[: get_settings().feed_items])

    def item_title(self, item: m.Document) -> str:
        return item.title

    def item_description(self, item: m.Document) -> str:
        return escape(item.summary or item.teaser or "")

    def item_link(self, item: m.Document) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: m.Document) -> str:
        return f"urn:fonds:document:{item.id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: m.Document):
        return item.created

    def item_updateddate(self, item: m.Document):
        return item.updated


class TopicFeed(DocumentsFeed):
    """New documents under one topic."""

    def get_object(self, request: HttpRequest, slug: str):
        topic = public_topics().filter(slug=slug).first()
        if topic is None:
            raise Http404(f"no topic {slug}")
        return topic

    def title(self, topic: m.Topic) -> str:
        return f"{get_settings().site_name}: {topic.name}"

    def link(self, topic: m.Topic) -> str:
        return topic.get_absolute_url()

    def items(self, topic: m.Topic):
        return self.newest(public().filter(pk__in=m.DocumentTopic.objects.filter(topic=topic).values("document_id")))


class AuthorityFeed(DocumentsFeed):
    """New documents of one person (as author, recipient or mentioned), organization, place or archive."""

    def __init__(self, kind: str = "person"):
        super().__init__()
        self.kind = kind

    def get_object(self, request: HttpRequest, key: str):
        row = public_authorities(self.kind).filter(key=key).first()
        if row is None:
            raise Http404(f"no {self.kind} {key}")
        return row

    def title(self, row: m.Authority) -> str:
        return f"{get_settings().site_name}: {row.name}"

    def link(self, row: m.Authority) -> str:
        return row.get_absolute_url()

    def items(self, row: m.Authority):
        return self.newest(authority_documents(None, row))


class SearchFeed(DocumentsFeed):
    """The first page of any search (same parameters as /search), in the search's own order."""

    def get_object(self, request: HttpRequest):
        params = request.GET
        return {"request": request, "params": params, "search": search_request(params)}

    def title(self, obj) -> str:
        query = obj["search"].query
        site = get_settings().site_name
        return _("%(site)s: search '%(query)s'") % {"site": site, "query": query} if query else _("%(site)s: search") % {"site": site}

    def link(self, obj) -> str:
        return f"{reverse('search')}?{obj['params'].urlencode()}"

    def feed_url(self, obj) -> str:
        # The feed's rel="self" link must carry the search, or it would name the empty search.
        return f"{reverse('feed-search')}?{obj['params'].urlencode()}"

    def items(self, obj):
        response = search(obj["search"])
        snippets = {hit.id: hit.snippet for hit in response.hits}
        rows = {doc.id: doc for doc in public().filter(id__in=list(snippets))}
        items = [rows[hit.id] for hit in response.hits if hit.id in rows]
        for doc in items:
            doc.snippet = snippets[doc.id]
        return items

    def item_description(self, item: m.Document) -> str:
        return getattr(item, "snippet", "") or super().item_description(item)
