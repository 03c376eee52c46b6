"""The OAI-PMH endpoint; included at "oai", so this pattern is /oai itself."""

from django.urls import path

from fonds.oai.provider import endpoint

urlpatterns = [path("", endpoint, name="oai")]
