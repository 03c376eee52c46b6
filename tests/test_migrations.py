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


@pytest.mark.django_db(transaction=True)
def test_authority_names_with_line_breaks_are_repaired_and_refused_afterwards():
    """The names an older enricher built across a dateline ("Washington, Eisenhower\n\n") are
    repaired by the migration, and the catalog's constraint refuses such a name from then on."""
    from django.db import IntegrityError, transaction

    old = migrate([("catalog", "0003_compress_text_layers")])
    authorities = old.get_model("catalog", "Authority")
    bad = authorities.objects.create(kind="person", key="washington-eisenhower", name="Washington, Eisenhower\n\n")
    blank = authorities.objects.create(kind="person", key="mc", name=" \x07 ")
    variant = old.get_model("catalog", "NameVariant").objects.create(authority=bad, name="\tIke\r\n")
    try:
        new = migrate([("catalog", "0004_authority_names_clean")])
        repaired = new.get_model("catalog", "Authority")
        assert repaired.objects.get(pk=bad.pk).name == "Washington, Eisenhower"
        assert repaired.objects.get(pk=blank.pk).name == "mc"
        assert new.get_model("catalog", "NameVariant").objects.get(pk=variant.pk).name == "Ike"
        for name in ("Moscow, Kennedy\n", " Kennedy", "Kennedy\t", "Ken\x1bnedy", ""):
            with pytest.raises(IntegrityError), transaction.atomic():
                repaired.objects.create(kind="person", key="x-" + str(len(name)), name=name)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes("catalog"))
        from fonds.catalog import models as m
        m.NameVariant.objects.filter(authority__key__in=["washington-eisenhower", "mc"]).delete()
        m.Authority.objects.filter(key__in=["washington-eisenhower", "mc"]).delete()
