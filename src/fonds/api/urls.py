"""The REST API under /api: documents, authorities, topics, search; OpenAPI at /api/openapi.json."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import AuthenticationError

from fonds.api import authorities, documents, search
from fonds.api.caching import CachingNinjaAPI, UnicodeJSON

api = CachingNinjaAPI(
    title="fonds API",
    version="1",
    description=(
        "Read the public archive (no account needed): published documents out of embargo, people, "
        "organizations, places, repositories, topics and search. Lists take `limit` and `offset` and "
        "report `total`. Every read carries an ETag (send it back in If-None-Match for a 304). "
        "Writing a document's metadata needs a staff token (`fonds token create USERNAME`) sent as "
        "`Authorization: Bearer <token>`."
    ),
    openapi_url="/openapi.json",
    docs_url="/docs",
    urls_namespace="api",
    renderer=UnicodeJSON(),
)
api.add_router("", documents.router)
api.add_router("", authorities.router)
api.add_router("", search.router)


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError):
    """401 with a message that says what to send (or why the token sent is refused), and the
    challenge RFC 6750 asks for."""
    detail = exc.message if exc.message != AuthenticationError().message else \
        "a staff API token is required: Authorization: Bearer <token>"
    response = api.create_response(request, {"detail": detail}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="fonds"'
    return response


urlpatterns = [*api.urls[0]]
app_name = api.urls_namespace  # ninja reverses its docs URL in this namespace
