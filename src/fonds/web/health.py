"""`/health`: this node's state for load balancers and monitoring (JSON; 503 when it cannot serve)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from fonds import health


@never_cache
@require_safe
def health_page(request: HttpRequest) -> JsonResponse:
    """Catalog, index lag (change-log positions behind), broker and workers; 200 while the catalog
    answers (status "ok" or "degraded"), 503 when it does not ("down")."""
    state = health.check()
    return JsonResponse(state.to_json(errors=False), status=200 if state.ok else 503)
