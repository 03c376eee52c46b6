"""API tokens: the bearer secrets that let staff scripts read unpublished records and write."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy
from django.utils import timezone


class ApiToken(models.Model):
    """A staff user's API token. Only its SHA-256 is stored, so a leaked database leaks no token.

    A token has a scope (`read`: what its user may see; `write`: also change records), may expire,
    and may be revoked; a revoked or expired token is refused, never deleted, so the list keeps
    who had which token when."""

    class Scope(models.TextChoices):
        READ = "read", "read"
        WRITE = "write", "read and write"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token, hex.")
    label = models.TextField(blank=True, default="")
    scope = models.CharField(max_length=8, choices=Scope.choices, default=Scope.WRITE)
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField(null=True, blank=True, help_text="Empty: valid until revoked.")
    revoked = models.DateTimeField(null=True, blank=True)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = gettext_lazy("API token")
        verbose_name_plural = gettext_lazy("API tokens")

    def __str__(self) -> str:
        return f"token {self.pk} of {self.user} ({self.scope}, {self.status})"

    @property
    def status(self) -> str:
        """`active`, `revoked` or `expired`."""
        if self.revoked:
            return "revoked"
        if self.expires and self.expires <= timezone.now():
            return "expired"
        return "active"
