"""Request guards that turn hostile input into a clear 400 instead of a database error."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBadRequest, JsonResponse


class RejectNulBytes:
    """NUL bytes in a path or query can never be stored (PostgreSQL refuses them in text): answer 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        values = [request.path, *request.GET.keys(), *(v for vs in request.GET.lists() for v in vs[1])]
        if any("\x00" in value for value in values):
            message = "Bad request: the address contains a NUL character."
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)  # API clients get JSON errors throughout
            return HttpResponseBadRequest(message, content_type="text/plain")
        return self.get_response(request)
