"""Change-log rows for document edits made through the ORM one at a time (admin, staff UI, shell).

Bulk writes (ingest) add their change rows themselves in `catalog.store`. A signal handler runs
inside the caller's transaction, so the change row commits or rolls back with the edit.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from fonds.catalog.models import Change, Document


@receiver(post_save, sender=Document, dispatch_uid="fonds-document-saved")
def document_saved(sender, instance: Document, raw: bool = False, **kwargs) -> None:
    Change.objects.create(document_id=instance.id, op=Change.Op.UPSERT)


@receiver(post_delete, sender=Document, dispatch_uid="fonds-document-deleted")
def document_deleted(sender, instance: Document, **kwargs) -> None:
    Change.objects.create(document_id=instance.id, op=Change.Op.DELETE)


def record_changes(document_ids, op: str = Change.Op.UPSERT) -> None:
    """For code that changes documents with queryset.update(), which sends no signals."""
    Change.objects.bulk_create(Change(document_id=doc_id, op=op) for doc_id in document_ids)
