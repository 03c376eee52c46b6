"""Sign-in throttling (django-axes) for every sign-in made over HTTP.

Axes counts each failed sign-in per user name and per address and locks both out after
`login_failure_limit` failures (site.py configures it). Its backend refuses to work without the
HTTP request; sign-ins made in-process without one (Django's test client, scripts) have no address
to count and are not throttled here, only the ones that arrive over the web, which are.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class SignInThrottle(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None  # not an HTTP sign-in: nothing to count it against
        return super().authenticate(request, username=username, password=password, **kwargs)
