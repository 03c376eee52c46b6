"""Findings and curated values in the real catalog: what the enrichers found is stored and shown to
curators, a curator's value is applied at once, and no later ingest overwrites it."""

from __future__ import annotations

import lxml.html
import pytest

from fonds.catalog import models as m
from fonds.archive.roles import create_user
from fonds.catalog.ingest import Ingest

pytestmark = pytest.mark.django_db

MEMO = """# Memorandum of Conversation

TOP SECRET

Moscow, 14 December 1959

Participants: N. S. Khrushchev; Ambassador Thompson.

Khrushchev said the Berlin question could wait until the summit in Paris.
"""


@pytest.fixture
def memo(tmp_path):
    path = tmp_path / "memo-1959.txt"
    path.write_text(MEMO)
    assert Ingest([path], jobs=1).run().errors == []
    return path


def change_url(doc_id: str) -> str:
    return f"/admin/catalog/document/{doc_id}/change/"


def post_curated(client, doc_id: str, rows: list[dict]):
    """Submit the document's admin page as a browser would, with these curated-value rows added."""
    page = lxml.html.fromstring(client.get(change_url(doc_id)).content)
    form = next(f for f in page.forms if f.get("id") == "document_form")
    data = dict(form.form_values())
    start = int(data["curated_values-INITIAL_FORMS"])
    for i, row in enumerate(rows, start=start):
        data.update({f"curated_values-{i}-{key}": value for key, value in row.items()})
        data[f"curated_values-{i}-document"] = doc_id
    data["curated_values-TOTAL_FORMS"] = str(start + len(rows))
    return client.post(change_url(doc_id), data)


@pytest.fixture
def curator(client):
    create_user("ada", "a long passphrase")
    client.login(username="ada", password="a long passphrase")
    return client


def test_ingest_stores_what_each_enricher_found_and_where(memo):
    doc = m.Document.objects.get(id="memo-1959")
    findings = {f.field: f for f in doc.findings.all()}
    assert findings["date"].value["edtf"] == "1959-12-14" and findings["date"].evidence == "14 December 1959"
    assert findings["classification"].evidence.lower() == "top secret"
    assert findings["type"].enricher == "doctype" and 0 < findings["type"].confidence <= 1
    assert findings["date"].source.startswith("texts[0]:")


def test_a_curator_sees_the_findings_and_their_evidence(memo, curator):
    page = curator.get(change_url("memo-1959"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "14 December 1959" in body and "doctype" in body and "Memorandum of Conversation" in body


def test_the_findings_list_costs_the_same_queries_however_long_it_is(memo, curator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    doc = m.Document.objects.get(id="memo-1959")
    post_curated(curator, "memo-1959", [{"field": "type", "typed": "Letter"}])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert curator.get(change_url("memo-1959")).status_code == 200
        return len(captured)

    before = queries()
    m.Finding.objects.bulk_create(m.Finding(document=doc, position=100 + i, field="places", value={"id": f"p{i}", "name": "X"},
                                            source="texts[0]:0-1", confidence=0.5, enricher="places") for i in range(20))
    assert queries() == before


def test_a_curated_value_applies_at_once_and_survives_a_changed_file(memo, curator):
    changes = m.Change.objects.count()
    response = post_curated(curator, "memo-1959", [
        {"field": "type", "typed": "Letter", "note": "the original is a letter"},
        {"field": "people", "typed": "khrushchev-nikita-sergeyevich | N. S. Khrushchev"},
    ])
    assert response.status_code == 302, response.content.decode()[:2000]
    doc = m.Document.objects.get(id="memo-1959")
    assert doc.type == "Letter"
    assert list(doc.mentions.filter(role="people").values_list("authority__key", flat=True)) == ["khrushchev-nikita-sergeyevich"]
    assert m.CuratedValue.objects.get(document=doc, field="type").curator == "ada"
    assert m.Change.objects.count() > changes  # the index hears of it

    memo.write_text(MEMO.replace("14 December 1959", "15 December 1959") + "\nAlso present: Gromyko.\n")
    report = Ingest([memo], jobs=1).run()
    assert (report.updated, report.errors) == (1, [])
    doc.refresh_from_db()
    assert doc.date_edtf == "1959-12-15"  # the source's change lands
    assert doc.type == "Letter"  # the curator's value stays
    assert list(doc.mentions.filter(role="people").values_list("authority__key", flat=True)) == ["khrushchev-nikita-sergeyevich"]
    # The findings are those of the new ingest, and say which ones a curator overrode.
    assert doc.findings.get(field="date").value["edtf"] == "1959-12-15"
    assert "Memorandum of Conversation" in curator.get(change_url("memo-1959")).content.decode()


def test_a_bad_curated_value_is_refused_with_the_reason_and_changes_nothing(memo, curator):
    before = m.Document.objects.get(id="memo-1959")
    response = post_curated(curator, "memo-1959", [{"field": "date", "typed": "sometime in winter"}])
    assert response.status_code == 200
    assert "date: &#x27;sometime in winter&#x27; is neither an EDTF date" in response.content.decode()
    after = m.Document.objects.get(id="memo-1959")
    assert (after.date_edtf, after.content_sha256) == (before.date_edtf, before.content_sha256)
    assert not m.CuratedValue.objects.exists()


def test_removing_a_curated_value_keeps_the_field_until_the_source_says_otherwise(memo, curator):
    post_curated(curator, "memo-1959", [{"field": "classification", "typed": "Secret; Eyes Only"}])
    assert m.Document.objects.get(id="memo-1959").classification_level == "secret"
    page = lxml.html.fromstring(curator.get(change_url("memo-1959")).content)
    data = dict(next(f for f in page.forms if f.get("id") == "document_form").form_values())
    data["curated_values-0-DELETE"] = "on"
    assert curator.post(change_url("memo-1959"), data).status_code == 302
    assert not m.CuratedValue.objects.exists()
    memo.write_text(MEMO + "\n")
    Ingest([memo], jobs=1).run()
    assert m.Document.objects.get(id="memo-1959").classification_level == "top-secret"


def test_curators_cannot_add_or_delete_documents(memo, curator):
    assert curator.get("/admin/catalog/document/add/").status_code == 403
    assert curator.get("/admin/catalog/document/memo-1959/delete/").status_code == 403


def test_user_create_makes_a_curator_who_can_sign_in(cli, client):
    result = cli("user", "create", "grace", input="correct horse battery\n")
    assert result.returncode == 0, result.stderr
    assert "grace can sign in at /admin/ as editor" in result.stderr
    assert client.login(username="grace", password="correct horse battery")
    assert client.get("/admin/catalog/document/").status_code == 200
    assert cli("user", "create", "root", "--admin", input="another passphrase\n").returncode == 0
    from django.contrib.auth import get_user_model
    assert get_user_model().objects.get(username="root").is_superuser
    assert not get_user_model().objects.get(username="grace").is_superuser
    refused = cli("user", "create", "nobody", input="\n")
    assert refused.returncode == 2 and "non-empty password" in refused.stderr
