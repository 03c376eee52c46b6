"""The curator queue and merging/splitting authorities, on a real catalog (the test database).

A memorandum ingested as plain text names two people the archive has (Kennedy, Dobrynin: linked
with a high confidence) and two it does not (Zqpendingov, Quimbly: new records named with a given
name alone, confidence 0.65), which wait in the queue. Each test starts from that ingest and checks what a decision, a merge or
a split does to the catalog, its history and change log, and that it survives re-ingest and
`fonds enrich`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import Client

from fonds.archive import changes, roles
from fonds.catalog import models as m
from fonds.catalog.ingest import Ingest, enrich_stored
from fonds.catalog.store import Origin, documents_with_details, to_record

pytestmark = pytest.mark.django_db

MEMO = """Memorandum of Conversation

Washington, March 3, 1962

SUBJECT: Berlin

PARTICIPANTS: President Kennedy, Ambassador Dobrynin

The President said that Khrushchev had said in Vienna that the question of Berlin must be settled. \
Harold Zqpendingov then joined the talk, and later Walter Quimbly.{extra}
"""
PENDING = ("zqpendingov-harold", "quimbly-walter")
Road = m.Revision.Road


def write_memo(folder: Path, name: str = "memo", extra: str = "", surname: str = "Zqpendingov") -> Path:
    path = folder / f"{name}.txt"
    path.write_text(MEMO.format(extra=extra).replace("Zqpendingov", surname))
    return path


def ingest(*paths: Path) -> None:
    report = Ingest(list(paths), jobs=1, status="published").run()
    assert report.errors == [], report.errors


def links(doc_id: str, role: str = "people", pending: bool | None = None) -> dict[str, bool]:
    """{authority key: pending} of a document's links in one role."""
    rows = m.Mention.objects.filter(document_id=doc_id, role=role)
    if pending is not None:
        rows = rows.filter(pending=pending)
    return dict(rows.values_list("authority__key", "pending"))


def public_people(doc_id: str) -> list[str]:
    return [link.id for link in to_record(documents_with_details(m.Document.objects.filter(pk=doc_id)).get()).people]


def mention(doc_id: str, key: str) -> m.Mention:
    return m.Mention.objects.get(document_id=doc_id, role="people", authority__key=key)


@pytest.fixture
def memo(tmp_path) -> Path:
    path = write_memo(tmp_path)
    ingest(path)
    return path


@pytest.fixture
def editor():
    return roles.create_user("edna", "a long passphrase", roles.EDITOR)


def test_doubtful_links_wait_and_the_sure_ones_are_published(memo):
    assert links("memo", pending=True) == {key: True for key in PENDING}
    assert {"kennedy-john-f", "dobrynin-anatoliy-f"} <= set(links("memo", pending=False))
    assert mention("memo", PENDING[0]).confidence == pytest.approx(0.65)
    assert mention("memo", "kennedy-john-f").confidence >= 0.7
    assert not set(PENDING) & set(public_people("memo"))
    assert set(changes.pending_links().filter(document_id="memo").values_list("authority__key", flat=True)) == set(PENDING)


def test_threshold_is_a_setting(tmp_path, monkeypatch):
    from fonds.settings import get_settings

    monkeypatch.setenv("FONDS_LINK_THRESHOLD", "0.5")
    get_settings.cache_clear()
    try:
        ingest(write_memo(tmp_path))
        assert links("memo", pending=True) == {}
    finally:
        monkeypatch.delenv("FONDS_LINK_THRESHOLD")
        get_settings.cache_clear()


def test_accept_publishes_and_survives_reingest_and_enrich(memo, editor):
    target = mention("memo", PENDING[0])
    changes.decide_link(editor, target.pk, "accept", Road.ADMIN)
    assert links("memo")[PENDING[0]] is False and links("memo")[PENDING[1]] is True
    assert PENDING[0] in public_people("memo")
    revision = m.Revision.objects.filter(kind="document", object_id="memo").first()
    assert revision.user == "edna" and f"people link {PENDING[0]}" in revision.changes
    assert m.Change.objects.filter(document_id="memo").count() >= 2  # ingest + the decision
    write_memo(memo.parent, extra=" (second copy)")  # a changed file: the document is rewritten
    ingest(memo)
    assert links("memo") == {**links("memo"), PENDING[0]: False, PENDING[1]: True}
    assert enrich_stored(["memo"], Origin(Road.CLI)).errors == []
    assert links("memo")[PENDING[0]] is False and links("memo")[PENDING[1]] is True


def test_reject_takes_the_link_off_for_good(memo, editor):
    changes.decide_link(editor, mention("memo", PENDING[1]).pk, "reject", Road.ADMIN, note="not a person here")
    assert PENDING[1] not in links("memo")
    history = m.Revision.objects.filter(kind="document", object_id="memo").first()
    assert history.note == "not a person here" and "people" in history.changes
    write_memo(memo.parent, extra=" Quimbly again.")
    ingest(memo)
    assert PENDING[1] not in links("memo")
    enrich_stored(["memo"], Origin(Road.CLI))
    assert PENDING[1] not in links("memo") and PENDING[0] in links("memo")
    with pytest.raises(changes.ChangeError, match="not in the curator queue"):
        changes.decide_link(editor, mention("memo", "kennedy-john-f").pk, "reject", Road.ADMIN)


def test_relink_to_another_authority(memo, editor):
    pending = mention("memo", PENDING[0])
    with pytest.raises(changes.ChangeError, match="no person with id 'nobody-at-all'"):
        changes.decide_link(editor, pending.pk, "relink", Road.ADMIN, "nobody-at-all")
    assert links("memo")[PENDING[0]] is True  # nothing changed
    changes.decide_link(editor, pending.pk, "relink", Road.ADMIN, "khrushchev-nikita-sergeyevich")
    now = links("memo")
    assert PENDING[0] not in now and now["khrushchev-nikita-sergeyevich"] is False
    write_memo(memo.parent, extra=" Once more.")
    ingest(memo)
    assert PENDING[0] not in links("memo")


def test_only_editors_decide(memo):
    reader = roles.create_user("rita", "a long passphrase", roles.READER)
    with pytest.raises(PermissionDenied):
        changes.decide_link(reader, mention("memo", PENDING[0]).pk, "accept", Road.ADMIN)
    with pytest.raises(PermissionDenied):
        changes.merge_authorities(reader, "person", PENDING[0], PENDING[1], Road.ADMIN)
    assert links("memo", pending=True) == {key: True for key in PENDING}


def test_merge_moves_every_link_joins_names_and_redirects(tmp_path, memo, editor):
    other = write_memo(tmp_path, "memo2", surname="Zqpendingoff")
    ingest(other)
    assert "zqpendingoff-harold" in links("memo2")
    moved = changes.merge_authorities(editor, "person", "zqpendingoff-harold", PENDING[0], Road.ADMIN, "same man")
    assert moved == ["memo2"]
    assert "zqpendingoff-harold" not in links("memo2") and PENDING[0] in links("memo2")
    kept = m.Authority.objects.get(kind="person", key=PENDING[0])
    assert "Zqpendingoff, Harold" in kept.variants.values_list("name", flat=True)
    gone = m.Authority.objects.get(kind="person", key="zqpendingoff-harold")
    assert gone.merged_into == kept
    recorded = {rev.object_id: rev for rev in m.Revision.objects.filter(kind="person", note="same man")}
    assert recorded["zqpendingoff-harold"].changes["merged_into"] == [None, PENDING[0]]
    assert recorded[PENDING[0]].changes["documents moved in"] == [None, ["memo2"]]
    assert recorded[PENDING[0]].user == "edna"
    # The old address redirects for good (the page itself needs a published link, so accept one).
    changes.decide_link(editor, mention("memo", PENDING[0]).pk, "accept", Road.ADMIN)
    response = Client().get("/people/zqpendingoff-harold")
    assert response.status_code == 301 and response["Location"] == f"/people/{PENDING[0]}"
    assert Client().get(response["Location"]).status_code == 200
    api = Client().get("/api/people/zqpendingoff-harold")
    assert api.status_code == 301 and api["Location"] == f"/api/people/{PENDING[0]}"
    # A curator's edit rewrites the document: the moved link still waits (its confidence followed the merge).
    changes.edit(editor, "memo2", {"title": "Memorandum, corrected"}, Road.ADMIN)
    assert links("memo2")[PENDING[0]] is True
    # A re-ingest of the file that named the old record links to the one it was merged into.
    write_memo(tmp_path, "memo2", extra=" Again.", surname="Zqpendingoff")
    ingest(other)
    assert "zqpendingoff-harold" not in links("memo2") and PENDING[0] in links("memo2")
    with pytest.raises(changes.ChangeError, match="merged into"):
        changes.merge_authorities(editor, "person", "zqpendingoff-harold", "quimbly-walter", Road.ADMIN)
    with pytest.raises(changes.ChangeError, match="one kind|no person"):
        changes.merge_authorities(editor, "person", "quimbly-walter", "washington", Road.ADMIN)


def test_split_moves_the_chosen_documents(tmp_path, memo, editor):
    ingest(write_memo(tmp_path, "memo2"))
    new = changes.split_authority(editor, "person", "kennedy-john-f", ["memo2"], "Kennedy, Robert F.", Road.ADMIN)
    assert new.key == "kennedy-robert-f" and new.name == "Kennedy, Robert F."
    assert "kennedy-john-f" in links("memo") and "kennedy-john-f" not in links("memo2")
    assert links("memo2")["kennedy-robert-f"] is False
    revisions = m.Revision.objects.filter(kind="person", object_id__in=["kennedy-john-f", "kennedy-robert-f"], road="admin")
    assert {rev.object_id for rev in revisions} == {"kennedy-john-f", "kennedy-robert-f"}
    write_memo(tmp_path, "memo2", extra=" Changed.")
    ingest(tmp_path / "memo2.txt")
    enrich_stored(["memo2"], Origin(Road.CLI))
    assert "kennedy-john-f" not in links("memo2") and "kennedy-robert-f" in links("memo2")
    with pytest.raises(changes.ChangeError, match="not linked to kennedy-john-f"):
        changes.split_authority(editor, "person", "kennedy-john-f", ["memo2"], "Someone", Road.ADMIN)
    with pytest.raises(changes.ChangeError, match="needs a name"):
        changes.split_authority(editor, "person", "kennedy-john-f", ["memo"], " \n", Road.ADMIN)


def test_the_staff_queue_page(memo, editor):
    client = Client()
    client.force_login(get_user_model().objects.get(username="edna"))
    page = client.get("/admin/catalog/pendinglink/").content.decode()
    assert "Zqpendingov, Harold" in page and "Harold Zqpendingov" in page  # the link and its evidence
    assert "Kennedy, John F." not in page
    response = client.post("/admin/catalog/pendinglink/", {"action": "accept", "_selected_action": [mention("memo", PENDING[0]).pk]})
    assert response.status_code == 302
    assert links("memo")[PENDING[0]] is False
    relink = f"/admin/catalog/pendinglink/{mention('memo', PENDING[1]).pk}/relink/"
    answer = client.post(relink, {"target": "no-such-person"})
    assert answer.status_code == 200 and "no person with id" in answer.content.decode()
    assert links("memo")[PENDING[1]] is True
