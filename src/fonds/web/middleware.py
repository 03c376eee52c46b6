"""Request guards that turn hostile input into a clear 400 instead of a database error; the
request log; caching headers of pages."""

from __future__ import annotations

import logging
import time

from django.http import HttpRequest, HttpResponseBadRequest, JsonResponse
from django.utils.cache import patch_cache_control

requests_log = logging.getLogger("fonds.requests")


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


class RequestLog:
    """One log record per request: method, path, status, bytes and milliseconds taken (as JSON
    fields with the `log_format` json, the default)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        start = time.perf_counter()
        response = self.get_response(request)
        took = round((time.perf_counter() - start) * 1000, 1)
        size = len(response.content) if not response.streaming else None
        requests_log.info("%s %s %s %sms", request.method, request.path, response.status_code, took, extra={
            "method": request.method, "path": request.path, "status": response.status_code, "ms": took,
            "bytes": size, "user": request.user.get_username() if getattr(request, "user", None) else ""})
        return response


class PageCaching:
    """Cache-Control for pages that say nothing themselves: what anyone may see (a GET answered 200
    to a visitor not signed in, setting no cookie) may be kept by browsers and a caching proxy for
    `page_cache_seconds`; anything else is private to the browser and checked again."""

    def __init__(self, get_response):
        from fonds.settings import get_settings

        self.seconds = get_settings().page_cache_seconds
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        if "Cache-Control" in response:
            return response
        user = getattr(request, "user", None)
        public = (request.method in ("GET", "HEAD") and response.status_code == 200 and not response.cookies
                  and not (user is not None and user.is_authenticated) and self.seconds > 0)
        if public:
            patch_cache_control(response, public=True, max_age=self.seconds)
        else:
            patch_cache_control(response, private=True, no_cache=True)
        return response
