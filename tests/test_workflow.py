"""The editorial workflow, roles and history, through the service layer and the staff side, on the
real catalog: draft -> review -> published -> withdrawn, who may do what, every change kept with
who, when, which road and old and new values, restore, and nothing ever deleted."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from fonds.archive import changes, roles
from fonds.catalog import models as m
from fonds.catalog.ingest import Ingest

pytestmark = pytest.mark.django_db

MEMO = """---
id: memo-1961
title: Memorandum on Berlin
date: 1961-08-13
people: [Walter Ulbricht]
topics: [Berlin Crisis]
---
Ulbricht said the border would be closed tonight.
"""


@pytest.fixture
def memo(tmp_path):
    path = tmp_path / "memo-1961.md"
    path.write_text(MEMO)
    assert Ingest([path], jobs=1).run().errors == []  # ingest_status: draft
    return path


@pytest.fixture
def people():
    return {role: roles.create_user(role, "a long passphrase", role) for role in roles.ROLES}


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def status() -> str:
    return m.Document.objects.get(pk="memo-1961").status


def test_ingest_makes_drafts_by_default_and_the_demo_setting_publishes(memo, tmp_path):
    assert status() == "draft"
    assert Client().get("/documents/memo-1961/").status_code == 404
    other = tmp_path / "other.md"
    other.write_text(MEMO.replace("memo-1961", "memo-1962"))
    Ingest([other], jobs=1, status="published").run()
    assert m.Document.objects.get(pk="memo-1962").status == "published"


def test_the_workflow_and_who_may_take_each_step(memo, people):
    with pytest.raises(PermissionDenied, match="contributor"):
        changes.transition(people["reader"], "memo-1961", "submit", "workflow")
    changes.edit(people["contributor"], "memo-1961", {"title": "Memorandum on the Berlin border"}, "admin")
    changes.transition(people["contributor"], "memo-1961", "submit", "workflow")
    assert status() == "review"
    with pytest.raises(PermissionDenied, match="editor"):
        changes.transition(people["contributor"], "memo-1961", "publish", "workflow")
    with pytest.raises(changes.ChangeError, match="review"):
        changes.transition(people["editor"], "memo-1961", "submit", "workflow")
    changes.transition(people["editor"], "memo-1961", "publish", "workflow", note="checked against the scan")
    assert status() == "published"
    assert Client().get("/documents/memo-1961/", follow=True).status_code == 200
    # A published document is an editor's to correct.
    with pytest.raises(PermissionDenied, match="editor"):
        changes.edit(people["contributor"], "memo-1961", {"title": "x"}, "admin")
    changes.transition(people["editor"], "memo-1961", "withdraw", "workflow")
    page = Client().get("/documents/memo-1961/memorandum-on-the-berlin-border")
    assert page.status_code == 410 and b"withdrawn" in page.content and b"Berlin border" not in page.content
    assert m.Document.objects.filter(pk="memo-1961").exists()  # the record stays


def test_every_change_is_in_the_history_with_old_and_new_values(memo, people):
    changes.edit(people["editor"], "memo-1961", {"title": "Corrected title"}, "admin", note="per the original")
    changes.transition(people["editor"], "memo-1961", "publish", "workflow")
    history = changes.history(people["reader"], "document", "memo-1961")
    assert [(rev.road, rev.user) for rev in history] == [("workflow", "editor"), ("admin", "editor"), ("ingest", "")]
    assert history[1].changes["title"] == ["Memorandum on Berlin", "Corrected title"] and history[1].note == "per the original"
    assert history[0].changes["status"] == ["draft", "published"]
    # The first version stores no differences (its snapshot is them) and shows each value as new.
    assert history[2].created and history[2].changes == {}
    assert history[2].differences()["title"] == [None, "Memorandum on Berlin"]
    assert json.loads(history[0].snapshot)["title"] == "Corrected title"
    with pytest.raises(PermissionDenied):
        changes.history(None, "document", "memo-1961")


def test_restore_brings_back_an_older_version_and_survives_the_next_ingest(memo, people):
    original = m.Revision.objects.get(object_id="memo-1961", road="ingest")
    changes.edit(people["editor"], "memo-1961", {"title": "Wrong title", "topics": ["Wrong topic"]}, "admin")
    changes.transition(people["editor"], "memo-1961", "publish", "workflow")
    with pytest.raises(PermissionDenied):
        changes.restore(people["contributor"], "memo-1961", original.pk)
    changes.restore(people["editor"], "memo-1961", original.pk)
    doc = m.Document.objects.get(pk="memo-1961")
    assert doc.title == "Memorandum on Berlin" and [t.topic.name for t in doc.topic_links.all()] == ["Berlin Crisis"]
    assert doc.status == "published"  # a workflow decision: restore leaves it
    restored = m.Revision.objects.filter(object_id="memo-1961").first()
    assert restored.road == "restore" and restored.changes["title"] == ["Wrong title", "Memorandum on Berlin"]
    memo.write_text(MEMO + "\nA later line.\n")
    Ingest([memo], jobs=1).run()
    doc.refresh_from_db()
    assert (doc.title, doc.status) == ("Memorandum on Berlin", "published")


def test_a_state_set_by_any_road_survives_the_next_ingest(memo, people):
    changes.transition(people["editor"], "memo-1961", "publish", "workflow")
    changes.set_embargo(people["editor"], "memo-1961", date(2999, 1, 1), "admin")
    memo.write_text(MEMO + "\nChanged.\n")
    assert Ingest([memo], jobs=1).run().updated == 1
    doc = m.Document.objects.get(pk="memo-1961")
    assert (doc.status, doc.embargo_until) == ("published", date(2999, 1, 1))


def test_bulk_actions_report_what_does_not_apply(memo, people, tmp_path):
    other = tmp_path / "other.md"
    other.write_text(MEMO.replace("memo-1961", "memo-1962"))
    Ingest([other], jobs=1, status="published").run()
    result = changes.bulk(people["editor"], ["memo-1961", "memo-1962", "nope"], "withdraw")
    assert result.done == ["memo-1961", "memo-1962"] and list(result.failed) == ["nope"]
    assert set(m.Revision.objects.filter(road="bulk").values_list("object_id", flat=True)) == {"memo-1961", "memo-1962"}


def test_the_staff_side_offers_the_workflow_history_and_restore_and_never_deletes(memo, people):
    editor = logged_in(people["editor"])
    page = editor.get("/admin/catalog/document/memo-1961/change/").content.decode()
    assert "Send to review" in page and "Publish" in page and "Set embargo" in page
    assert editor.post("/admin/catalog/document/memo-1961/workflow/", {"action": "publish", "note": "ok"}).status_code == 302
    assert status() == "published"
    history = editor.get("/admin/catalog/document/memo-1961/history/").content.decode()
    assert "workflow" in history and "draft" in history and "published" in history and "Restore this version" in history
    assert editor.get("/admin/catalog/document/memo-1961/delete/").status_code == 403
    listing = editor.get("/admin/catalog/document/").content.decode()
    assert "delete_selected" not in listing and "bulk_withdraw" in listing
    response = editor.post("/admin/catalog/document/", {"action": "bulk_withdraw", "_selected_action": ["memo-1961"]})
    assert response.status_code == 302 and status() == "withdrawn"
    # A reader sees the document and its history, changes nothing.
    reader = logged_in(people["reader"])
    assert reader.get("/admin/catalog/document/memo-1961/change/").status_code == 200
    reader.post("/admin/catalog/document/memo-1961/workflow/", {"action": "publish"})
    assert status() == "withdrawn"
    assert "Restore this version" not in reader.get("/admin/catalog/document/memo-1961/history/").content.decode()


def test_authority_edits_are_kept_and_reach_the_index(memo, people):
    person = m.Authority.objects.get(kind="person", key="ulbricht-walter")  # the packaged record the name links to
    before = m.Change.objects.count()
    with pytest.raises(PermissionDenied):
        changes.edit_authority(people["editor"], "person", person.key, {"description": "x"}, "admin")
    admin = logged_in(people["administrator"])
    url = f"/admin/catalog/authority/{person.pk}/change/"
    response = admin.post(url, {"name": "Ulbricht, Walter Ernst Paul", "abbreviation": "", "dates": "1893-1973",
                                "description": "First Secretary of the SED", "external_ids": "{}"})
    assert response.status_code == 302, response.content[:800]
    revision = m.Revision.objects.filter(kind="person", object_id=person.key).first()
    assert revision.road == "admin" and revision.user == "administrator"
    assert revision.changes["name"] == ["Ulbricht, Walter", "Ulbricht, Walter Ernst Paul"]
    assert m.Change.objects.filter(document_id="memo-1961").count() and m.Change.objects.count() > before
    assert "First Secretary" in admin.get(f"/admin/catalog/authority/{person.pk}/history/").content.decode()


def test_embargoes_publish_by_themselves_and_get_a_fresh_datestamp(memo, people):
    changes.transition(people["editor"], "memo-1961", "publish", "workflow")
    yesterday = date.today() - timedelta(days=1)
    changes.set_embargo(people["editor"], "memo-1961", date.today() + timedelta(days=1), "admin")
    assert Client().get("/documents/memo-1961/").status_code == 404
    # The day passes: the embargo ends by itself at read time...
    m.Document.objects.filter(pk="memo-1961").update(embargo_until=yesterday,
                                                      updated=datetime.now(timezone.utc) - timedelta(days=3))
    assert Client().get("/documents/memo-1961/", follow=True).status_code == 200
    # ...and `fonds embargo` (daily) gives it a datestamp after that day, for OAI-PMH harvesters.
    assert changes.release_embargoes() == ["memo-1961"]
    assert m.Document.objects.get(pk="memo-1961").updated.date() >= yesterday
    assert m.Revision.objects.filter(object_id="memo-1961").first().road == "embargo"
    assert changes.release_embargoes() == []  # once


def test_cli_history_and_restore(cli, tmp_path):
    path = tmp_path / "memo-1961.md"
    path.write_text(MEMO)
    cli("user", "create", "rita", "--role", "reader", input="a long passphrase\n", check=True)
    refused = cli("--as", "rita", "ingest", str(path))
    assert refused.returncode == 3 and "contributor" in refused.stderr and not m.Document.objects.exists()
    cli("ingest", str(path), check=True)
    cli("user", "create", "eve", "--role", "editor", input="a long passphrase\n", check=True)
    cli("--as", "eve", "workflow", "publish", "memo-1961", check=True)
    listing = cli("history", "memo-1961", check=True).stdout
    assert "\teve\tcli\t" in listing and '"draft" -> "published"' in listing and "cli:" in listing
    first = [line for line in listing.splitlines() if line and not line.startswith("\t")][-1].split("\t")[0]
    assert cli("history", "memo-1961", "--restore", first).returncode == 3  # restore needs --as
    assert cli("--as", "eve", "history", "memo-1961", "--restore", first).returncode == 0
