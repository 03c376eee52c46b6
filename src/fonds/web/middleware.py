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


class ContentSecurityPolicy:
    """Send the `content_security_policy` setting as a header (pages load scripts, styles and
    images from this site only, so a value that slipped through escaping cannot run)."""

    def __init__(self, get_response):
        from fonds.settings import get_settings

        self.policy = get_settings().csp
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
