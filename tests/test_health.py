"""Observability: `/health`, `fonds status`, the request log, gzip and Cache-Control of pages."""

from __future__ import annotations

import gzip
import json
import logging

import pytest
from django.utils.module_loading import import_string

from tests.conftest import CORPUS, SEED


@pytest.fixture
def published(transactional_db):
    from fonds.catalog.ingest import Ingest

    report = Ingest([CORPUS / "seed" / SEED.name], jobs=1, status="published").run()
    assert report.errors == []
    return report


def test_health_reports_index_lag_then_catches_up(published, fresh_index, client, monkeypatch):
    from fonds.catalog.indexer import catch_up, latest_seq
    from fonds.settings import get_settings

    monkeypatch.setattr(get_settings(), "broker_url", None)
    behind = client.get("/health")
    assert behind.status_code == 200 and behind["Cache-Control"].startswith("max-age=0")
    state = behind.json()
    assert state["catalog"]["ok"] and state["catalog"]["latest_change"] == latest_seq() > 0
    assert state["index"] == {"position": None, "behind": latest_seq()} and state["status"] == "degraded"
    assert state["broker"] == {"configured": False} and state["workers"] == []
    catch_up()
    current = client.get("/health").json()
    assert current["index"] == {"position": latest_seq(), "behind": 0} and current["status"] == "ok"


def test_health_reports_a_broker_that_does_not_answer(transactional_db, client, monkeypatch):
    from fonds.settings import get_settings

    monkeypatch.setattr(get_settings(), "broker_url", "redis://127.0.0.1:9/0")  # the discard port: refused
    state = client.get("/health").json()
    assert state["broker"] == {"configured": True, "ok": False}  # no error text (host names) to the public
    assert state["status"] == "degraded" and state["workers"] == []


def test_fonds_status(cli):
    result = cli("status", check=True)
    assert "catalog: " in result.stdout and " ok, change " in result.stdout
    assert "broker: none" in result.stdout
    data = json.loads(cli("status", "--json", check=True).stdout)
    assert data["catalog"]["ok"] and data["index"]["behind"] is not None and "jobs" in data
    down = cli("status", env={"DATABASE_URL": "postgres://postgres@127.0.0.1:9/none"})
    assert down.returncode == 1 and "status: down" in down.stdout and "DOWN" in down.stdout


def test_request_log_is_json_with_timing(published, client, caplog, settings):
    with caplog.at_level(logging.INFO, logger="fonds.requests"):
        client.get("/", HTTP_HOST="localhost")
        client.get("/no-such-page", HTTP_HOST="localhost")
    records = [r for r in caplog.records if r.name == "fonds.requests"]
    assert [(r.path, r.status) for r in records] == [("/", 200), ("/no-such-page", 404)]
    assert all(r.ms >= 0 and r.method == "GET" for r in records)
    spec = dict(settings.LOGGING["formatters"][settings.LOGGING["handlers"]["console"]["formatter"]])
    line = import_string(spec.pop("()"))(**spec).format(records[0])  # the formatter the site's log uses
    fields = json.loads(line)
    assert fields["status"] == 200 and fields["path"] == "/" and "ms" in fields and fields["name"] == "fonds.requests"


def test_pages_are_gzipped_and_cacheable_when_public(published, client, admin_client):
    plain = client.get("/", HTTP_HOST="localhost")
    packed = client.get("/", HTTP_HOST="localhost", HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content and len(packed.content) < len(plain.content)
    assert plain["Cache-Control"] == "public, max-age=60" and "Cookie" in plain["Vary"]
    missing = client.get("/no-such-page", HTTP_HOST="localhost")
    assert missing.status_code == 404 and "private" in missing["Cache-Control"]
    staff = admin_client.get("/", HTTP_HOST="localhost")
    assert staff.status_code == 200 and "private" in staff["Cache-Control"] and "public" not in staff["Cache-Control"]
