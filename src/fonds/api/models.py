"""API tokens: the bearer secrets that let staff scripts write through the REST API."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A staff user's API token. Only its SHA-256 is stored, so a leaked database leaks no token."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token, hex.")
    label = models.TextField(blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"token of {self.user} ({self.created:%Y-%m-%d})"
