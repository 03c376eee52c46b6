"""Creating API tokens and recognising them in an `Authorization: Bearer <token>` header."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from fonds.api.models import ApiToken


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_token(username: str, label: str = "") -> str:
    """A new token for `username`, creating that user (as staff) if needed; returns the secret once."""
    user, _ = get_user_model().objects.get_or_create(username=username, defaults={"is_staff": True})
    if not user.is_staff:
        # A token is for writing; only staff may write, so asking for one makes the user staff.
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=_digest(token), label=label)
    return token


def user_for(token: str):
    """The active staff user a token belongs to, or None."""
    row = ApiToken.objects.select_related("user").filter(digest=_digest(token)).first()
    if row is None or not (row.user.is_active and row.user.is_staff):
        return None
    ApiToken.objects.filter(pk=row.pk).update(last_used=timezone.now())
    return row.user


class StaffToken(HttpBearer):
    """django-ninja auth: a valid staff token in the Authorization header, else 401."""

    def authenticate(self, request: HttpRequest, token: str):
        user = user_for(token)
        if user is not None:
            request.user = user
        return user
