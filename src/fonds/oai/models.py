"""What `fonds harvest` remembers about the repositories it imports from."""

from __future__ import annotations

from django.db import models


class HarvestSource(models.Model):
    """One remote OAI-PMH base URL (and set) harvested into this catalog.

    `last_response_date` is the responseDate of the first response of the last complete harvest:
    the next run asks for records changed from then on, so nothing changed during a harvest is
    missed (records seen twice are recognised as unchanged and not rewritten).
    """

    url = models.TextField(help_text="The repository's base URL.")
    set_spec = models.TextField(blank=True, default="", help_text="The set harvested, empty for the whole repository.")
    metadata_prefix = models.CharField(max_length=64, default="oai_dc")
    last_response_date = models.CharField(
        max_length=32, blank=True, default="",
        help_text="responseDate (UTC) of the first response of the last complete run.")
    granularity = models.CharField(max_length=32, blank=True, default="",
                                   help_text="The repository's datestamp granularity.")
    last_harvest = models.DateTimeField(null=True, blank=True)
    records = models.PositiveIntegerField(default=0, help_text="Records received by the last run.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["url", "set_spec"], name="harvest_source_url_set")]

    def __str__(self) -> str:
        return f"{self.url} [{self.set_spec}]" if self.set_spec else self.url
