"""/api/search: the reading room's search as JSON (the same parameters as /search)."""

from __future__ import annotations

from dataclasses import replace

from django.http import HttpRequest
from ninja import Query, Router

from fonds.api.schemas import ErrorOut, SearchOut
from fonds.archive.search import search_request
from fonds.archive.search import search as run_search
from fonds.archive.urls import absolute, document_path
from fonds.names import slug

router = Router(tags=["search"])
FACET_HELP = "Facet filter; repeat for OR within the facet (type=Telegram&type=Letter)."


@router.get("/search", response={200: SearchOut, 400: ErrorOut}, summary="Search the archive")
def search(
    request: HttpRequest,
    q: str = Query("", description="Query in the query language of /search/help."),
    date_from: str | None = Query(None, alias="from", description="Earliest date: a year or YYYY-MM-DD."),
    date_to: str | None = Query(None, alias="to", description="Latest date: a year or YYYY-MM-DD."),
    sort: str | None = Query(None, description="relevance (default), date-asc or date-desc; else relevance."),
    page: str | None = Query(None, description="Page number from 1; anything else means 1."),
    exact: str | None = Query(None, description="1: match the script as written (no transliteration)."),
    facets: str | None = Query(None, description="0: no facet counts or histogram (the hits come sooner on a large "
                                                  "archive; ask again with hits=0 for the counts)."),
    hits: str | None = Query(None, description="0: no hits, only the total, facet counts and histogram."),
    type: list[str] | None = Query(None, description=FACET_HELP),
    lang: list[str] | None = Query(None, description=FACET_HELP),
    classification: list[str] | None = Query(None, description=FACET_HELP),
    archive: list[str] | None = Query(None, description=FACET_HELP),
    author: list[str] | None = Query(None, description=FACET_HELP),
    person: list[str] | None = Query(None, description=FACET_HELP),
    organization: list[str] | None = Query(None, description=FACET_HELP),
    place: list[str] | None = Query(None, description=FACET_HELP),
    topic: list[str] | None = Query(None, description=FACET_HELP),
    subject: list[str] | None = Query(None, description=FACET_HELP),
    withheld: list[str] | None = Query(None, description="yes: documents with withheld text; no: without."),
):
    """Ranked hits with snippets, facet counts and a year histogram; `facets=0` or `hits=0` asks
    for one half only.

    The declared parameters document the interface; the search itself reads the raw query string
    through `search_request`, exactly as the search page does, so both always agree.
    """
    wanted = replace(search_request(request.GET), with_facets=facets != "0", with_hits=hits != "0")
    response = run_search(wanted)
    data = response.to_json()
    for hit in data["hits"]:
        hit["url"] = absolute(request, document_path(hit["id"], slug(hit["title"])))
    data["suggestion_url"] = _respelled(request, response.suggestion) if response.suggestion else None
    return data


def _respelled(request: HttpRequest, suggestion: str) -> str:
    """The same search (every parameter kept but the page) with the suggested query."""
    params = request.GET.copy()
    params.pop("page", None)
    params["q"] = suggestion
    return absolute(request, request.path + "?" + params.urlencode())
