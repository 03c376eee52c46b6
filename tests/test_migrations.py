"""Migrations that move data keep it: text layers compressed in place and back."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("catalog", "0002_findings_and_curated_values")]
AFTER = [("catalog", "0003_compress_text_layers")]
BODY = "Хрущёв said the Berlin question could wait.\n" * 50


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_text_layers_are_compressed_in_place_and_read_back_the_same():
    old = migrate(BEFORE)
    document = old.get_model("catalog", "Document").objects.create(id="m1", slug="m1", title="M")
    old.get_model("catalog", "TextLayer").objects.create(document=document, kind="original", body=BODY)
    try:
        new = migrate(AFTER)
        layer = new.get_model("catalog", "TextLayer").objects.get(document_id="m1")
        assert layer.body == BODY
        with connection.cursor() as cursor:
            cursor.execute("SELECT body FROM catalog_textlayer WHERE document_id = %s", ["m1"])
            stored = bytes(cursor.fetchone()[0])
        assert len(stored) < len(BODY.encode()) / 5  # stored compressed, not as text
        back = migrate(BEFORE)  # and the migration reverses
        assert back.get_model("catalog", "TextLayer").objects.get(document_id="m1").body == BODY
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes("catalog"))
        from fonds.catalog import models as m
        m.Document.objects.filter(id="m1").delete()
