"""Views of a whole search: a timeline, a map of its places, the network of who wrote to whom."""

from __future__ import annotations

from django.http import Http404


def timeline(request):
    raise Http404


place_map = network = timeline


def person_network(request, key):
    raise Http404
