"""API tokens in the admin: listed with scope, status and dates, revoked with one action.

Tokens are made with `fonds token create` (the secret is shown only then); here they can only be
looked at and revoked."""

from __future__ import annotations

from django.contrib import admin, messages

from fonds.api import tokens
from fonds.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "scope", "status", "label", "created", "expires", "last_used", "revoked")
    list_filter = ("scope", "revoked")
    search_fields = ("user__username", "label")
    readonly_fields = ("user", "digest", "label", "scope", "created", "expires", "last_used", "revoked")
    actions = ["revoke_tokens"]

    def has_add_permission(self, request) -> bool:
        return False  # a token's secret is shown once, by `fonds token create`

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoked, never deleted: the list keeps who had which token when

    @admin.action(description="Revoke the selected tokens", permissions=["change"])
    def revoke_tokens(self, request, queryset) -> None:
        count = tokens.revoke(list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{count} token(s) revoked.", messages.SUCCESS)
