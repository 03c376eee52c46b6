"""No request does work that grows with the archive when its answer does not.

Every SQL query of a search page, of /api/search and of a document page is captured and its plan
asked of the database: EXPLAIN QUERY PLAN on SQLite; EXPLAIN on PostgreSQL with sequential scans
and merge joins priced out, so that a Seq Scan left in the plan means no index could serve the
query. (PostgreSQL weighs table sizes: on this small catalog it may walk a whole small link index
with a filter rather than probe it, as it would not at scale; so there only sequential scans of
links, and walks of documents not by id, are refused.) No query may scan a
table of documents or of their links, or walk the documents by anything but their primary key or
an index that bounds what it finds (`BOUNDED`: walking the `status` index is a scan of every
published document, walking an edition volume's is not). Each page also makes as many
queries for many hits or many links as for few (no query per hit or per link). Plans are checked
before and after ANALYZE, since statistics change SQLite's choices.
"""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache import caches
from django.db import connection

from fonds.catalog import indexer
from fonds.catalog import models as m

SEED = "000_6e32ea4dc738cddf"
# Documents and their links (and texts and change log, which grow with them). Authorities grow
# too, but more slowly; on this small catalog PostgreSQL rightly hashes them whole for a join.
GROWING = {model._meta.db_table for model in (
    m.Document, m.TextLayer, m.Mention, m.DocumentTopic, m.DocumentSubject, m.Relation, m.Change)}
DOCUMENTS = m.Document._meta.db_table
# Indexes that find documents by what bounds their number whatever the archive's size, with the
# columns a lookup must give them: an edition volume (a few hundred documents; the document page
# finds its neighbours and the documents it cites by volume and number, a volume's telegrams by
# volume) and one archival file of one repository (the other documents of the same file).
BOUNDED = {"document_edition": ("edition_volume",), "document_edition_type": ("edition_volume",),
           "document_archival_unit": ("repository_id", "archival_unit")}


@pytest.fixture
def indexed(sample_catalog, db, fresh_index):
    indexer.catch_up(fresh_index)
    return sample_catalog


class Captured:
    """Every (sql, params) the connection executes while installed."""

    def __init__(self):
        self.queries: list[tuple[str, tuple]] = []

    def __call__(self, execute, sql, params, many, context):
        if not many and sql.lstrip().upper().startswith("SELECT"):
            self.queries.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)


def _queries(client, url: str) -> list[tuple[str, tuple]]:
    captured = Captured()
    with connection.execute_wrapper(captured):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return captured.queries


def _sqlite_problems(sql: str, params: tuple) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        steps = [row[3] for row in cursor.fetchall()]
    problems = []
    for step in steps:
        match = re.match(r"(SCAN|SEARCH) (\w+)", step)
        if not match or match[2] not in GROWING:
            continue
        if match[1] == "SCAN":
            problems.append(step)
        elif match[2] == DOCUMENTS and not re.search(r"INDEX sqlite_autoindex_catalog_document_1 \(id[=>]", step) \
                and not _sqlite_bounded(step):
            problems.append(step)
    return problems


def _sqlite_bounded(step: str) -> bool:
    """Whether a plan step searches documents through a `BOUNDED` index by its columns."""
    match = re.search(r"USING (?:COVERING )?INDEX (\w+) \((.*)\)", step)
    return bool(match) and match[1] in BOUNDED and all(f"{column}=?" in match[2] for column in BOUNDED[match[1]])


def _pg_nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _pg_nodes(child)


def _postgres_problems(sql: str, params: tuple) -> list[str]:
    with connection.cursor() as cursor:
        # On a small test catalog the planner rightly prefers reading whole tables; priced out, a
        # scan (or a merge join, which reads both sides whole) left in the plan means no index
        # could serve the query.
        for method in ("seqscan", "mergejoin"):
            cursor.execute(f"SET LOCAL enable_{method} = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        raw = cursor.fetchone()[0]
    plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
    problems = []
    for node in _pg_nodes(plan):
        table = node.get("Relation Name")
        if table not in GROWING:
            continue
        kind, index = node["Node Type"], node.get("Index Name", "")
        if kind == "Seq Scan":
            problems.append(f"{kind} on {table}")
        elif table == DOCUMENTS and kind != "Bitmap Heap Scan" and not re.search(r"\(+id\b", node.get("Index Cond", "")) \
                and not (index in BOUNDED and all(re.search(rf"\b{column} =", node.get("Index Cond", ""))
                                                  for column in BOUNDED[index])):
            problems.append(f"{kind} on {table} using {index} ({node.get('Index Cond')})")
    return problems


def _problems(queries) -> list[tuple[str, list[str]]]:
    check = _sqlite_problems if connection.vendor == "sqlite" else _postgres_problems
    return [(sql, found) for sql, params in queries if (found := check(sql, params))]


def _assert_none(problems, where: str) -> None:
    if problems:
        pytest.fail(f"{where}: " + "\n".join(f"{sql}\n  -> {found}" for sql, found in problems))


def _many_and_few() -> tuple[str, str]:
    """Two documents of the sample: the one with the most links, and one with the fewest."""
    counts = sorted((m.Mention.objects.filter(document_id=doc_id).count(), doc_id)
                    for doc_id in m.Document.objects.values_list("id", flat=True)[:400])
    return counts[-1][1], counts[0][1]


PAGES = ["/search?q=soviet", "/search?q=soviet&type=Memorandum+of+Conversation&from=1956", "/search",
         "/api/search?q=soviet", "/api/search?q=khrushchev&sort=date-desc"]


def _document_pages() -> list[str]:
    many, few = _many_and_few()
    return [m.Document.objects.get(id=doc_id).get_absolute_url() for doc_id in (many, few, SEED)]


def test_no_query_of_search_or_document_pages_scans_the_archive(client, indexed):
    urls = PAGES + _document_pages()
    for url in urls:
        queries = _queries(client, url)
        assert queries, url
        _assert_none(_problems(queries), url)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    for url in urls:
        _assert_none(_problems(_queries(client, url)), f"{url} after ANALYZE")


def test_query_counts_do_not_grow_with_hits_or_links(client, indexed):
    many_hits, one_hit = (len(_queries(client, f"/api/search?q={q}")) for q in ("soviet", SEED_WORD))
    assert many_hits == one_hit
    # A search page's COinS are cached per document version: as many queries for many hits as for
    # one, both when none is cached and when all are.
    caches["citations"].clear()
    cold = [len(_queries(client, url)) for url in ("/search?q=soviet", f"/search?q={SEED_WORD}")]
    warm = [len(_queries(client, url)) for url in ("/search?q=soviet", f"/search?q={SEED_WORD}")]
    assert cold[0] == cold[1] and warm[0] == warm[1] < cold[0]
    # A page looks its edition volume and its archival file up once per purpose (neighbours, the
    # volume's telegrams and their numbers, the documents its text cites, the same file), whatever
    # it cites and however large its file; a page citing nothing makes fewer. Every other query is
    # made alike for many links and few.
    (many, many_bounded), (few, few_bounded), _ = (_bounded_split(_queries(client, url)) for url in _document_pages())
    assert many == few
    assert 1 <= many_bounded <= BOUNDED_LOOKUPS and 1 <= few_bounded <= BOUNDED_LOOKUPS


BOUNDED_LOOKUPS = 5
BOUNDED_LOOKUP = re.compile(r'"catalog_document"\."(?:edition_volume|archival_unit)" = ')


def _bounded_split(queries) -> tuple[int, int]:
    """(queries not looking documents up by edition volume or archival file, queries that do)."""
    bounded = sum(1 for sql, _ in queries if BOUNDED_LOOKUP.search(sql))
    return len(queries) - bounded, bounded


SEED_WORD = "proletarians"  # in the seed page only


def test_a_large_ingest_refreshes_the_planner_statistics(db, corpus, monkeypatch):
    from fonds.catalog.ingest import Ingest, refresh_statistics
    from fonds.settings import get_settings

    monkeypatch.setattr(get_settings(), "analyze_after", 10)
    assert refresh_statistics(9) is False
    if connection.vendor == "sqlite":  # (PostgreSQL's autovacuum may analyze on its own at any time)
        assert _statistics_rows() == 0
    history = corpus / "frus-history" / "documents"
    assert Ingest([history / "1957-03-21-kennan-to-leopold.xml"], jobs=1).run().created < 10  # under the threshold
    if connection.vendor == "sqlite":
        assert _statistics_rows() == 0
    assert Ingest([corpus / "frus" / "tei" / "frus1961-63v05.xml"], jobs=1).run().created >= 10
    assert _statistics_rows() > 0


def _statistics_rows() -> int:
    """Rows of planner statistics about the documents table."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if not cursor.fetchone()[0]:
                return 0
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [DOCUMENTS])
        else:
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = %s", [DOCUMENTS])
        return cursor.fetchone()[0]
