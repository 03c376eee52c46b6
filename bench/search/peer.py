"""The peer: SQLite FTS5 the way Datasette (sqlite-utils `enable-fts`) sets it up, tuned fairly.

One SQLite file: `documents` (id, title, summary, body) as the external content of the FTS5 table
`documents_fts` (title, summary, body; porter stemming like fonds' English stemmer), ranked by
bm25() with the same column weights as fonds (3, 2, 1). Field queries (person:dulles, type:...)
go to a contentless FTS5 table `names_fts` with one column per facet. Facets are narrow
`facet_<name>(doc, value)` tables counted with GROUP BY, dates a narrow `doc_date` table that
gives the year histogram. Facet values are fonds' own (`fonds.search.index._facet_values`), so
both engines count the same strings.

A search materialises the matching rowids and their bm25 scores once into a temp table, then
takes the page of 20 from it, cuts snippets with snippet() for those 20 only, counts the total
and runs the 10 facet and the histogram GROUP BYs against it. This is kinder to the peer than
Datasette, which re-runs the MATCH for each facet query.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import corpus

FACET_NAMES = ("type", "lang", "classification", "archive", "author", "person", "organization", "place", "topic", "subject")
WEIGHTS = "3.0, 2.0, 1.0"
PAGE_SIZE = 20
FACET_SIZE = 10
# Below this many matches the GROUP BYs start from the matches (CROSS JOIN fixes the join order);
# above it SQLite's own plan (scan a facet's covering index in value order, probe the matches) wins.
SMALL = 20_000
SCHEMA = [
    "CREATE TABLE documents (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, title TEXT, summary TEXT, body TEXT)",
    "CREATE TABLE doc_date (doc INTEGER PRIMARY KEY, date_min TEXT, date_max TEXT, year INTEGER)",
    "CREATE VIRTUAL TABLE names_fts USING fts5(" + ", ".join(FACET_NAMES) + ", content='', tokenize='unicode61 remove_diacritics 2')",
] + [f"CREATE TABLE facet_{f} (doc INTEGER, value TEXT, PRIMARY KEY (doc, value)) WITHOUT ROWID" for f in FACET_NAMES]
FTS = ("CREATE VIRTUAL TABLE documents_fts USING fts5(title, summary, body, content='documents', content_rowid='rowid', "
       "tokenize='porter unicode61 remove_diacritics 2')")
INDEXES = [f"CREATE INDEX facet_{f}_value ON facet_{f} (value, doc)" for f in FACET_NAMES] + [
    "CREATE INDEX doc_date_range ON doc_date (date_min, date_max)"]


def build(data: Path, db: Path, chunk: int) -> dict:
    """Load the data set into a new peer database; returns seconds, docs, bytes and raw text bytes."""
    from fonds.search.index import IndexDoc, _facet_values

    db.unlink(missing_ok=True)
    conn = sqlite3.connect(db)
    conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-1000000;")
    for statement in SCHEMA:
        conn.execute(statement)
    seconds, documents, raw = 0.0, 0, 0
    for records in corpus.records(data, chunk):
        rows = [(documents + i + 1, r, _facet_values(IndexDoc(record=r, variants={}))) for i, r in enumerate(records)]
        raw += sum(corpus.raw_text_bytes(r.to_json()) for r in records)
        started = time.perf_counter()
        _insert(conn, rows)
        seconds += time.perf_counter() - started
        documents += len(records)
        print(f"peer {documents} docs {seconds:.0f} s", flush=True)
    started = time.perf_counter()
    _finish(conn)
    seconds += time.perf_counter() - started
    live = _live_bytes(conn)
    conn.close()
    return {"seconds": seconds, "documents": documents, "bytes": live, "file_bytes": db.stat().st_size, "raw_bytes": raw}


def _live_bytes(conn: sqlite3.Connection) -> int:
    """Bytes in use (the file less its free pages: what VACUUM would leave, without its time)."""
    pages, free, size = (conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_count", "freelist_count", "page_size"))
    return (pages - free) * size


def _insert(conn: sqlite3.Connection, rows: list) -> None:
    """One transaction: documents, dates, facet rows and field-query names of a chunk."""
    with conn:
        conn.executemany("INSERT INTO documents VALUES (?, ?, ?, ?, ?)", [
            (n, r.id, r.title, r.summary or "", "\n\n".join(t.body for t in r.texts)) for n, r, _ in rows])
        conn.executemany("INSERT INTO doc_date VALUES (?, ?, ?, ?)", [
            (n, r.date.min, r.date.max, int(r.date.min[:4])) for n, r, _ in rows if r.date and r.date.min and r.date.max])
        for facet in FACET_NAMES:
            conn.executemany(f"INSERT OR IGNORE INTO facet_{facet} VALUES (?, ?)",
                             [(n, v) for n, _, values in rows for v in values[facet]])
        conn.executemany(f"INSERT INTO names_fts (rowid, {', '.join(FACET_NAMES)}) VALUES (?{', ?' * len(FACET_NAMES)})",
                         [(n, *(" ; ".join(values[f]) for f in FACET_NAMES)) for n, _, values in rows])


def _finish(conn: sqlite3.Connection) -> None:
    """Build the full-text index from the content table (as sqlite-utils does), index, optimize."""
    with conn:
        conn.execute(FTS)
        conn.execute("INSERT INTO documents_fts (rowid, title, summary, body) SELECT rowid, title, summary, body FROM documents")
        for statement in INDEXES:
            conn.execute(statement)
        conn.execute("INSERT INTO documents_fts (documents_fts) VALUES ('optimize')")
        conn.execute("INSERT INTO names_fts (names_fts) VALUES ('optimize')")
    conn.execute("ANALYZE")


class PeerClient:
    """Runs one benchmark query against the FTS5 database: page, snippets, total, facets, histogram."""

    def __init__(self, db: Path):
        self.conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        self.conn.executescript("PRAGMA temp_store=MEMORY; PRAGMA cache_size=-2000000; PRAGMA mmap_size=68719476736;")
        self.conn.execute("CREATE TEMP TABLE m (rowid INTEGER PRIMARY KEY, score REAL)")
        self.conn.execute("CREATE TEMP TABLE h (rowid INTEGER PRIMARY KEY, score REAL)")

    def run(self, spec: dict) -> int:
        """One search; returns the total hit count."""
        peer = spec["peer"]
        filters = spec.get("filters") or {}
        self._match(peer)
        hits = self._filter(filters)
        total = self.conn.execute(f"SELECT count(*) FROM {hits}").fetchone()[0]
        page = self.conn.execute(f"SELECT rowid FROM {hits} ORDER BY score LIMIT ? OFFSET ?",
                                 (PAGE_SIZE, (spec.get("page", 1) - 1) * PAGE_SIZE)).fetchall()
        self._snippets([rowid for rowid, in page], peer.get("text"))
        join = "CROSS JOIN" if total < SMALL else "JOIN"
        for facet in FACET_NAMES:
            source = "m" if facet in filters else hits  # a facet's counts ignore its own filter
            self._facet(facet, source, {f: v for f, v in filters.items() if f != facet} if source == "m" else {}, join)
        self.conn.execute(f"SELECT d.year, count(*) FROM {hits} {join} doc_date d ON d.doc = {hits}.rowid GROUP BY d.year").fetchall()
        return total

    def _match(self, peer: dict) -> None:
        """Fill temp table m with every match of the text and/or field query and its bm25 score.

        Other conditions are applied to m afterwards: written into the MATCH statement as
        `rowid IN (...)`, SQLite hands the IN list to FTS5 and runs the full-text query once per
        listed rowid, which at 1M turns a date-ranged search into minutes."""
        self.conn.execute("DELETE FROM m")
        if peer.get("text"):
            self.conn.execute(f"INSERT INTO m SELECT rowid, bm25(documents_fts, {WEIGHTS}) FROM documents_fts "
                              "WHERE documents_fts MATCH ?", [peer["text"]])
            if peer.get("names"):
                self.conn.execute("DELETE FROM m WHERE rowid NOT IN (SELECT rowid FROM names_fts WHERE names_fts MATCH ?)",
                                  [peer["names"]])
        else:
            self.conn.execute("INSERT INTO m SELECT rowid, bm25(names_fts) FROM names_fts WHERE names_fts MATCH ?", [peer["names"]])
        if peer.get("date"):
            self.conn.execute("DELETE FROM m WHERE rowid NOT IN (SELECT doc FROM doc_date WHERE date_min <= ? AND date_max >= ?)",
                              [peer["date"][1], peer["date"][0]])

    def _filter(self, filters: dict) -> str:
        """The table holding the matches that pass the facet filters (m itself when there are none)."""
        if not filters:
            return "m"
        self.conn.execute("DELETE FROM h")
        where, args = _filter_sql(filters)
        self.conn.execute(f"INSERT INTO h SELECT rowid, score FROM m WHERE {where}", args)
        return "h"

    def _snippets(self, rowids: list[int], text: str | None) -> list:
        if not rowids:
            return []
        marks = ",".join("?" * len(rowids))
        if text:
            return self.conn.execute(
                f"SELECT d.id, d.title, snippet(documents_fts, 2, '<mark>', '</mark>', '…', 36) FROM documents_fts "
                f"JOIN documents d ON d.rowid = documents_fts.rowid WHERE documents_fts MATCH ? AND documents_fts.rowid IN ({marks})",
                [text, *rowids]).fetchall()
        return self.conn.execute(f"SELECT id, title, substr(body, 1, 240) FROM documents WHERE rowid IN ({marks})", rowids).fetchall()

    def _facet(self, facet: str, source: str, filters: dict, join: str) -> list:
        where, args = _filter_sql(filters, column=f"{source}.rowid") if filters else ("1", [])
        return self.conn.execute(
            f"SELECT f.value, count(*) AS n FROM {source} {join} facet_{facet} f ON f.doc = {source}.rowid WHERE {where} "
            "GROUP BY f.value ORDER BY n DESC, f.value LIMIT ?", [*args, FACET_SIZE]).fetchall()


def _filter_sql(filters: dict, column: str = "rowid") -> tuple[str, list]:
    """WHERE clause: any of a facet's values, all of the facets."""
    parts, args = [], []
    for facet, values in filters.items():
        parts.append(f"{column} IN (SELECT doc FROM facet_{facet} WHERE value IN ({','.join('?' * len(values))}))")
        args += values
    return " AND ".join(parts), args
