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
def test_curators_become_editors_and_page_images_stay_through_the_move_into_the_catalog():
    auth = ("auth", "0012_alter_user_first_name_max_length")
    old = migrate([("catalog", "0005_revisions_history"), ("fonds_iiif", "0001_initial"), auth])
    group = old.get_model("auth", "Group").objects.create(name="curators")
    user = old.get_model("auth", "User").objects.create(username="old-curator")
    user.groups.add(group)
    document = old.get_model("catalog", "Document").objects.create(id="m2", slug="m2", title="M")
    old.get_model("fonds_iiif", "PageImage").objects.create(document=document, position=1, path="p.png", width=1, height=1)
    try:
        new = migrate([("catalog", "0006_curators_become_editors"), ("fonds_iiif", "0002_page_images_moved_to_catalog"), auth])
        names = set(new.get_model("auth", "User").objects.get(username="old-curator").groups.values_list("name", flat=True))
        assert names == {"editor"} and not new.get_model("auth", "Group").objects.filter(name="curators").exists()
        assert new.get_model("catalog", "PageImage").objects.get(document_id="m2").path == "p.png"
    finally:
        executor = MigrationExecutor(connection)
        migrate(executor.loader.graph.leaf_nodes())
        from django.contrib.auth import get_user_model

        from fonds.catalog import models as m
        m.Document.objects.filter(id="m2").delete()
        get_user_model().objects.filter(username="old-curator").delete()


@pytest.mark.django_db(transaction=True)
def test_values_refused_at_the_door_are_repaired_in_an_older_catalog_without_loss():
    old = migrate([("catalog", "0006_curators_become_editors")])
    documents = old.get_model("catalog", "Document").objects
    documents.create(id="m3", slug="m3", title="M", rights_statement="Free", rights_uri="javascript:alert(1)",
                     date_edtf="not-a-date")
    documents.create(id="m4", slug="m4", title="M", rights_uri="https://rightsstatements.org/vocab/NoC-US/1.0/",
                     date_edtf="1959-12-14", date_display="December 14, 1959")
    try:
        new = migrate([("catalog", "0007_repair_values_refused_at_the_door")])
        repaired, kept = (new.get_model("catalog", "Document").objects.get(id=i) for i in ("m3", "m4"))
        assert (repaired.rights_uri, repaired.rights_statement) == ("", "Free\njavascript:alert(1)")
        assert (repaired.date_edtf, repaired.date_display) == ("", "not-a-date")
        assert kept.rights_uri.startswith("https://") and kept.date_edtf == "1959-12-14"
        from fonds.catalog import models as m
        from fonds.catalog.store import documents_with_details, to_record

        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        assert to_record(documents_with_details(m.Document.objects.filter(id="m3")).get()).rights.uri is None
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        from fonds.catalog import models as m
        m.Document.objects.filter(id__in=["m3", "m4"]).delete()


@pytest.mark.django_db(transaction=True)
def test_authority_names_with_line_breaks_are_repaired_and_refused_afterwards():
    """The names an older enricher built across a dateline ("Washington, Eisenhower\n\n") are
    repaired by the migration, and the catalog's constraint refuses such a name from then on."""
    from django.db import IntegrityError, transaction

    old = migrate([("catalog", "0007_repair_values_refused_at_the_door")])
    authorities = old.get_model("catalog", "Authority")
    bad = authorities.objects.create(kind="person", key="washington-eisenhower", name="Washington, Eisenhower\n\n")
    blank = authorities.objects.create(kind="person", key="mc", name=" \x07 ")
    variant = old.get_model("catalog", "NameVariant").objects.create(authority=bad, name="\tIke\r\n")
    try:
        new = migrate([("catalog", "0008_authority_names_clean")])
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


@pytest.mark.django_db(transaction=True)
def test_doubtful_links_of_an_older_catalog_go_into_the_curator_queue():
    """The migration that adds the queue gives existing links their findings' confidence and queues
    those below the threshold, unless a curator set that role's links."""
    old = migrate([("catalog", "0009_document_declassification")])
    model = old.get_model
    doc = model("catalog", "Document").objects.create(id="m5", slug="m5", title="M")
    sure, unsure = (model("catalog", "Authority").objects.create(kind="person", key=key, name=name)
                    for key, name in (("kennedy-m5", "Kennedy, M."), ("zqolder-m5", "Zqolder, M.")))
    for position, (row, confidence) in enumerate(((sure, 0.9), (unsure, 0.6))):
        for role in ("people", "authors"):
            model("catalog", "Mention").objects.create(document=doc, authority=row, role=role, position=position, name=row.name)
            model("catalog", "Finding").objects.create(document=doc, position=position, field=role, source="texts[0]:0-5",
                                                       value={"id": row.key, "name": row.name}, confidence=confidence,
                                                       enricher="people")
    model("catalog", "CuratedValue").objects.create(document=doc, field="authors", value=[])
    try:
        new = migrate([("catalog", "0010_curator_queue_and_merges")])
        found = {(x.role, x.authority.key): (x.confidence, x.pending)
                 for x in new.get_model("catalog", "Mention").objects.filter(document_id="m5").select_related("authority")}
        assert found == {("people", "kennedy-m5"): (0.9, False), ("people", "zqolder-m5"): (0.6, True),
                         ("authors", "kennedy-m5"): (0.9, False), ("authors", "zqolder-m5"): (0.6, False)}
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes("catalog"))
        from fonds.catalog import models as m
        m.Document.objects.filter(id="m5").delete()
        m.Authority.objects.filter(key__in=["kennedy-m5", "zqolder-m5"]).delete()


@pytest.mark.django_db(transaction=True)
def test_edition_and_archival_file_columns_are_filled_for_older_rows_and_follow_every_write():
    """The columns pages look documents up by are computed by the database from `source_parts`:
    filled for the rows of an older catalog as they are added, and kept by every later write."""
    old = migrate([("catalog", "0011_text_notes")])
    documents = old.get_model("catalog", "Document").objects
    documents.create(id="m6", slug="m6", title="M", source_parts={"volume": "frus1955-57v20", "document": "7"})
    documents.create(id="m7", slug="m7", title="M", source_parts={"fond": "3", "opis": "12", "delo": " 1009 ", "file": " "})
    documents.create(id="m8", slug="m8", title="M")
    try:
        migrate([("catalog", "0012_source_lookups_indexed")])
        from fonds.catalog import models as m

        columns = {row[0]: row[1:] for row in m.Document.objects.filter(id__in=["m6", "m7", "m8"]).values_list(
            "id", "edition_volume", "edition_number", "archival_unit")}
        # A blank part names no file: the next one does (trimmed).
        assert columns == {"m6": ("frus1955-57v20", "7", None), "m7": (None, None, "1009"), "m8": (None, None, None)}
        m.Document.objects.filter(id="m6").update(source_parts={"volume": "frus1958-60v10", "document": "8", "lot": "63 D 351"})
        assert m.Document.objects.values_list("edition_volume", "edition_number", "archival_unit").get(id="m6") == (
            "frus1958-60v10", "8", "63 D 351")
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes("catalog"))
        from fonds.catalog import models as m
        m.Document.objects.filter(id__in=["m6", "m7", "m8"]).delete()
