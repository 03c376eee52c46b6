"""API tokens: creating, listing and revoking them, and recognising them in an
`Authorization: Bearer <token>` header.

A token has a scope: `read` (its user's view of the archive, unpublished records included when
the user may see them) or `write` (also changing records). It expires after `api_token_days`
unless made otherwise, and can be revoked; a revoked or expired token, or one whose user is no
longer active staff, is refused with 401 and a message saying which. What a token's user may do
is their role's (`fonds.archive.roles`). Creating a token never changes a user's role: the user
must already hold one, unless `role` gives it explicitly.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security import HttpBearer

from fonds.api.models import ApiToken
from fonds.archive import roles
from fonds.settings import get_settings

SCOPES = tuple(ApiToken.Scope.values)


class TokenError(ValueError):
    """A token that cannot be made (unknown user, not staff, bad scope)."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_token(username: str, label: str = "", scope: str = "write", days: int | None = None,
                 role: str | None = None) -> str:
    """A new token for the staff user `username`; returns the secret (shown once; `row_for` finds
    its row).

    `days` defaults to the api_token_days setting (0: never expires). Without `role`, a missing
    user or one who holds no role is a TokenError; with it, the user is created (without a
    password) or given that role, explicitly."""
    if scope not in SCOPES:
        raise TokenError(f"unknown scope {scope!r} (known: {', '.join(SCOPES)})")
    user = get_user_model().objects.filter(username=username).first()
    if user is None and role is None:
        raise TokenError(f"no user {username!r}: create one with `fonds user create {username}` "
                         "(or pass --role ROLE for a script's account without a password)")
    if user is None:
        user = get_user_model().objects.create_user(username=username, password=None)
    elif role is None and roles.role_of(user) is None:
        raise TokenError(f"{username!r} holds no role; a token would not change that "
                         "(pass --role ROLE to give them one)")
    if role is not None:
        roles.assign(user, role)
    if not user.is_active:
        raise TokenError(f"{username!r} is not active")
    days = get_settings().api_token_days if days is None else days
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=_digest(token), label=label, scope=scope,
                                  expires=timezone.now() + timedelta(days=days) if days else None)
    return token


def row_for(token: str) -> ApiToken:
    return ApiToken.objects.select_related("user").get(digest=_digest(token))


def tokens(username: str | None = None) -> QuerySet[ApiToken]:
    """Every token (of one user, if given), newest first; their secrets are not kept."""
    rows = ApiToken.objects.select_related("user")
    return rows.filter(user__username=username) if username else rows


def revoke(ids: list[int] = (), username: str | None = None) -> int:
    """Revoke the tokens `ids` (and every token of `username`); returns how many were active."""
    rows = ApiToken.objects.filter(revoked__isnull=True)
    chosen = rows.filter(pk__in=ids) | (rows.filter(user__username=username) if username else rows.none())
    return ApiToken.objects.filter(pk__in=chosen.values("pk")).update(revoked=timezone.now())


def check(token: str) -> ApiToken:
    """The active token row for a secret; AuthenticationError (401) saying why it is refused."""
    row = ApiToken.objects.select_related("user").filter(digest=_digest(token)).first()
    if row is None:
        raise AuthenticationError(message="unknown API token")
    if row.revoked:
        raise AuthenticationError(message=f"this API token was revoked on {row.revoked:%Y-%m-%d %H:%M} UTC")
    if row.expires and row.expires <= timezone.now():
        raise AuthenticationError(message=f"this API token expired on {row.expires:%Y-%m-%d %H:%M} UTC; "
                                          "ask for a new one (fonds token create)")
    if not (row.user.is_active and row.user.is_staff):
        raise AuthenticationError(message="this API token's user is no longer active staff")
    ApiToken.objects.filter(pk=row.pk).update(last_used=timezone.now())
    return row


def user_for(token: str):
    """The active staff user a token belongs to, or None when it is refused (for any reason)."""
    try:
        return check(token).user
    except AuthenticationError:
        return None


class StaffToken(HttpBearer):
    """django-ninja auth: a valid staff token of at least `scope` in the Authorization header;
    401 for a missing, unknown, revoked or expired token, 403 for a read token where writing."""

    def __init__(self, scope: str = "write"):
        self.scope = scope
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str):
        row = check(token)
        if self.scope == "write" and row.scope != "write":
            raise AuthorizationError(message="this API token may only read; writing needs a token "
                                             "made with --scope write")
        request.user = row.user
        request.token = row
        return row.user
