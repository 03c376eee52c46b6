"""The engine under test: the fonds catalog (Django, SQLite) and the fonds tantivy index.

The catalog is written with `fonds.catalog.store.write_batch` in transactions of `chunk` records;
the index with `IndexWriter` directly (`IndexDoc(record, variants={})`), one commit at the end
and a merge. Only the writing is timed: reading the JSONL.gz and validating records is not.
Searches are the full `Search.search(SearchRequest(...))` with 10 facets, the histogram and 20
snippets cut from bodies read from the catalog by id with plain sqlite3.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import corpus
from corpus import authorities

from fonds.catalog.fields import unpack


def setup_django(home: Path) -> None:
    """Point Django at the bench home and create the catalog tables."""
    os.environ["FONDS_HOME"] = str(home)
    os.environ["DJANGO_SETTINGS_MODULE"] = "fonds.site"
    os.environ.pop("DATABASE_URL", None)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def catalog_path(home: Path) -> Path:
    return home / "catalog.sqlite3"


def index_root(home: Path) -> Path:
    return home / "index"


def build_catalog(data: Path, home: Path, work: Path, chunk: int) -> dict:
    """Write the data set into a new catalog; returns seconds writing, docs and bytes on disk."""
    import shutil

    shutil.rmtree(home, ignore_errors=True)  # a new catalog: an old one would make every write a no-op
    setup_django(home)
    from django.db import connection, transaction

    from fonds.catalog.store import write_batch
    from fonds.records import Batch

    declared = authorities(work)
    writing, documents = 0.0, 0
    for i, records in enumerate(corpus.records(data, chunk)):
        started = time.perf_counter()
        with transaction.atomic():
            write_batch(Batch(records=records, authorities=declared if i == 0 else []))
        writing += time.perf_counter() - started
        documents += len(records)
        print(f"catalog {documents} docs {writing:.0f} s ({documents / writing:.0f} docs/s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {"seconds": writing, "documents": documents, "bytes": _file_bytes(catalog_path(home))}


def build_index(data: Path, home: Path, chunk: int) -> dict:
    """Index the data set into a new generation with IndexWriter; returns seconds, docs, bytes."""
    from fonds.search.index import IndexDoc, IndexStore, IndexWriter

    import shutil

    shutil.rmtree(index_root(home), ignore_errors=True)
    store = IndexStore(index_root(home))
    path = store.new_generation()
    writer = IndexWriter(path)
    writing, documents = 0.0, 0
    for records in corpus.records(data, chunk):
        started = time.perf_counter()
        writer.upsert(IndexDoc(record=r, variants={}) for r in records)
        writing += time.perf_counter() - started
        documents += len(records)
        print(f"index {documents} docs {writing:.0f} s ({documents / writing:.0f} docs/s)", flush=True)
    started = time.perf_counter()
    writer.commit(documents)
    writer.close(merge=True)
    store.switch(path)
    writing += time.perf_counter() - started
    return {"seconds": writing, "documents": documents, "bytes": _tree_bytes(index_root(home))}


def _file_bytes(path: Path) -> int:
    """A SQLite file with its -wal and -shm companions."""
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists())


def _tree_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


class CatalogTexts:
    """The texts callable: bodies of documents by id, read from the catalog with plain sqlite3."""

    def __init__(self, db: Path):
        self.conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, check_same_thread=False)

    def __call__(self, ids: list[str]) -> dict[str, str]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(f"SELECT document_id, body FROM catalog_textlayer WHERE document_id IN ({marks}) "
                                 "ORDER BY document_id, position", ids)
        texts: dict[str, list[str]] = {}
        for doc_id, body in rows:
            texts.setdefault(doc_id, []).append(unpack(body))  # stored compressed (catalog.fields)
        return {doc_id: "\n\n".join(bodies) for doc_id, bodies in texts.items()}


class FondsClient:
    """Runs one benchmark query through the full fonds search."""

    def __init__(self, home: Path):
        from fonds.search.engine import Search

        self.search = Search(index_root(home), texts=CatalogTexts(catalog_path(home)))

    def run(self, spec: dict) -> int:
        """One search; returns the total hit count."""
        from fonds.search.engine import SearchRequest

        request = SearchRequest(query=spec["fonds"], filters=spec.get("filters") or {}, page=spec.get("page", 1))
        response = self.search.search(request)
        return response.total


def index_rate(data: Path, folder: Path, sample: int) -> dict:
    """Build rate of the unmodified indexing code on the first `sample` documents (a throwaway index)."""
    import shutil

    from fonds.search.index import IndexDoc, IndexWriter

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    writer = IndexWriter(folder)
    records = next(corpus.records(data, sample))
    started = time.perf_counter()
    writer.upsert(IndexDoc(record=r, variants={}) for r in records)
    writer.commit(len(records))
    writer.close(merge=True)
    seconds = time.perf_counter() - started
    shutil.rmtree(folder, ignore_errors=True)
    return {"seconds": seconds, "documents": len(records)}
