"""`fonds backup` and `fonds restore`: an archive restored into a new home (its own SQLite file, or
a new PostgreSQL database) serves the same pages and finds the same documents as the original."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

import pytest


QUERIES = ["Khrushchev", "Eisenhower Dulles", '"Soviet Union"', "Хрущёв", "nuclear test*", "Berlin"]
# Run in the home named by the environment: a sample of document pages (each page's bytes hashed)
# and, for each query, the total and the ids of every document found.
SNAPSHOT = """
import hashlib, json, os, re, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "fonds.site"
import django
django.setup()
from django.test import Client
from fonds.archive.search import search
from fonds.catalog.indexer import searcher
from fonds.archive.visibility import public
from fonds.search.engine import SearchRequest
client = Client(HTTP_HOST="localhost")
ids = list(public().order_by("id").values_list("id", flat=True))
urls = ["/", *(f"/documents/{doc_id}/" for doc_id in ids[::max(1, len(ids) // 25)])]
pages = {}
for url in urls:
    response = client.get(url, follow=True)
    # "More like this" ranks by the index's term statistics, which deleted entries of an index kept
    # change by change still count and a freshly built one does not: left out of the comparison.
    page = re.sub(rb'<div class="related-group" id="related-similar">.*?</div>', b"", response.content, flags=re.S)
    pages[url] = [response.status_code, hashlib.sha256(page).hexdigest()]
results = {}
for query in json.loads(sys.argv[1]):
    # Every document each query finds (documents of equal score may come in another order from
    # an index built in one go than from one built change by change).
    results[query] = [search(SearchRequest(query=query)).total, sorted(searcher().matching_ids(query))]
print(json.dumps({"documents": len(ids), "pages": pages, "results": results}))
"""


@pytest.fixture
def restored_database(transactional_db):
    """A database URL for the restored archive: a new PostgreSQL database when the suite runs on
    PostgreSQL (dropped afterwards), else none (the new home's own SQLite file)."""
    from django.db import connection

    from tests.conftest import database_url

    if connection.vendor == "sqlite":
        yield ""
        return
    import psycopg

    name = f"{connection.settings_dict['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    server = database_url().rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def _snapshot(env: dict) -> dict:
    result = subprocess.run([sys.executable, "-c", SNAPSHOT, json.dumps(QUERIES)], capture_output=True, text=True,
                            env={**os.environ, **env}, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_restore_into_a_new_home_serves_the_same_archive(sample_catalog, cli, tmp_path, restored_database):
    from fonds.catalog.indexer import catch_up

    from tests.conftest import database_url

    home, new_home, backup = tmp_path / "home", tmp_path / "restored", tmp_path / "backup"
    catch_up(home / "index")  # the original home's index, as its node keeps it
    scan = home / "media" / "pages" / "example" / "p-1.png"
    scan.parent.mkdir(parents=True)
    scan.write_bytes(b"\x89PNG not really an image, but media all the same")
    done = cli("backup", str(backup), check=True)
    assert "backed up" in done.stdout and json.loads((backup / "manifest.json").read_text())["documents"] > 25
    refused = cli("backup", str(backup))
    assert refused.returncode == 1 and "not empty" in refused.stderr

    restored = cli("restore", str(backup), "--home", str(new_home), env={"DATABASE_URL": restored_database}, check=True)
    assert "restored" in restored.stdout
    assert (new_home / "media" / "pages" / "example" / "p-1.png").read_bytes() == scan.read_bytes()
    original = _snapshot({"DATABASE_URL": database_url(), "FONDS_HOME": str(home)})
    copy = _snapshot({"DATABASE_URL": restored_database, "FONDS_HOME": str(new_home)})
    assert original["documents"] > 25 and len(original["pages"]) > 20
    assert all(status == 200 for status, _ in original["pages"].values())
    assert sum(total for total, _ in original["results"].values()) > 0
    assert copy == original

    # Never over an archive: refused before anything is written.
    again = cli("restore", str(backup), "--home", str(new_home), env={"DATABASE_URL": restored_database})
    assert again.returncode == 1 and "restore into" in again.stderr and "nothing changed" in again.stderr


def test_restore_refuses_what_is_not_a_backup(cli, tmp_path):
    (tmp_path / "junk").mkdir()
    result = cli("restore", str(tmp_path / "junk"), "--home", str(tmp_path / "new"))
    assert result.returncode == 1 and "not a fonds backup" in result.stderr and "nothing changed" in result.stderr
