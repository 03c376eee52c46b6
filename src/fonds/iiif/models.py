"""Page images of documents (scans), served through IIIF."""

from __future__ import annotations

from django.db import models


class PageImage(models.Model):
    """One page image of a document; `path` is relative to the archive's media folder."""

    document = models.ForeignKey("catalog.Document", on_delete=models.CASCADE, related_name="page_images")
    position = models.PositiveIntegerField(help_text="1 for the first page.")
    path = models.TextField(help_text="File path relative to the archive's media folder.")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    label = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["document", "position"]
        constraints = [models.UniqueConstraint(fields=["document", "position"], name="page_image_position_once")]

    def __str__(self) -> str:
        return f"{self.document_id} p. {self.position}"
