"""What feeds, the sitemap and dumps publish: what an anonymous visitor may read."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from fonds.web.views import visible_documents


def public_documents() -> QuerySet:
    """Published documents out of embargo, whoever asks (these answers are shared and cached)."""
    return visible_documents(SimpleNamespace(user=AnonymousUser()))
