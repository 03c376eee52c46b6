"""Keeping a node's search index current from the catalog's change log.

Every catalog write appends `Change` rows in its own transaction. `catch_up` applies the rows
after the index's recorded position, in order, and records the new position only after tantivy
has committed: a crash at any point loses nothing, and the next call re-applies from the last
recorded position (re-applying is harmless: an upsert replaces by id). `rebuild` builds a new
generation aside while searches continue, catches it up, and switches to it atomically.
"""

from __future__ import annotations

import fcntl
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db.models import Max

from fonds.catalog import models as m
from fonds.catalog.store import record_parts, to_record
from fonds.search.engine import Search
from fonds.search.index import IndexDoc, IndexStore, IndexWriter, read_position, schema_matches, write_names
from fonds.settings import get_settings

CHUNK = 500
LOCK = "writer.lock"


def index_root() -> Path:
    return get_settings().index_dir


@contextmanager
def writer_lock(root: Path, timeout: float | None = None) -> Iterator[bool]:
    """One index writer per node at a time (tantivy allows one); yields False on timeout."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK, "w") as handle:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if deadline is not None and time.monotonic() > deadline:
                    yield False
                    return
                time.sleep(0.05)
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def latest_seq() -> int:
    return m.Change.objects.aggregate(latest=Max("seq"))["latest"] or 0


def index_docs(ids: list[str]) -> tuple[list[IndexDoc], set[str]]:
    """IndexDocs for the documents among `ids` that exist, and the ids that no longer do."""
    docs = list(m.Document.objects.filter(id__in=ids).select_related("repository"))
    parts = record_parts([doc.id for doc in docs])
    records = [to_record(doc, parts[doc.id]) for doc in docs]
    keys = {pk for doc in docs for pk in parts[doc.id].authorities} | {doc.repository_id for doc in docs if doc.repository_id}
    variants: dict[str, list[str]] = {}
    for authority_key, name in m.NameVariant.objects.filter(authority_id__in=keys).values_list("authority__key", "name"):
        variants.setdefault(authority_key, []).append(name)
    found = [IndexDoc(record=record, variants=variants) for record in records]
    return found, set(ids) - {doc.id for doc in docs}


_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_ONE_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def name_groups() -> list[list[str]]:
    """For each person and place authority named in more than one script: its one-word names
    (a person's surname, "Churchill" / "Черчилль"; a place's name, "Moscow" / "Москва"), which a
    search widens a query word with (`search.engine.NameForms`)."""
    names: dict[int, tuple[str, list[str]]] = {
        pk: (kind, [name]) for pk, kind, name in m.Authority.objects.filter(kind__in=("person", "place"))
        .values_list("id", "kind", "name")}
    for authority_id, name in m.NameVariant.objects.filter(authority__kind__in=("person", "place")).values_list(
            "authority_id", "name"):
        names[authority_id][1].append(name)
    groups = []
    for kind, forms in names.values():
        words = {_surname(name) if kind == "person" else name.strip() for name in forms}
        words = sorted(w for w in words if w and _ONE_WORD.fullmatch(w))
        if any(_CYRILLIC.search(w) for w in words) and any(not _CYRILLIC.search(w) for w in words):
            groups.append(words)
    return groups


def _surname(name: str) -> str:
    """'Churchill, Winston S.' -> 'Churchill'; 'Черчилль' -> 'Черчилль'; 'Winston Churchill' -> ''."""
    return name.split(",")[0].strip() if "," in name or " " not in name.strip() else ""


def _apply(writer: IndexWriter, after: int, until: int) -> int:
    """Apply changes (after, until] to the writer, committing per chunk; returns how many."""
    applied = 0
    while after < until:
        rows = list(m.Change.objects.filter(seq__gt=after, seq__lte=until).order_by("seq").values_list("seq", "document_id")[:CHUNK])
        if not rows:
            break
        ids = list(dict.fromkeys(doc_id for _, doc_id in rows))
        # Only published documents are read back (an ingest of drafts, the default, reads none);
        # the others, and the gone, are deleted from the index by id.
        public = set(m.Document.objects.filter(id__in=ids, status=m.Document.Status.PUBLISHED)
                     .values_list("id", flat=True))
        docs, _ = index_docs([doc_id for doc_id in ids if doc_id in public])
        writer.delete(set(ids) - public)
        writer.upsert(docs)
        after = rows[-1][0]
        writer.commit(after)
        applied += len(rows)
    return applied


def catch_up(root: Path | None = None, timeout: float | None = None, names: bool = True) -> int:
    """Apply every change the index has not seen; returns the number applied (0 if another
    process holds the writer and `timeout` ran out). `names=False` leaves the name groups as they
    are (reading every authority costs more than a round of a few hundred changes): for rounds
    during an ingest, which ends with `write_name_groups`."""
    store = IndexStore(root or index_root())
    path = store.current_path()
    if not schema_matches(path):
        # An index built by an earlier version (a field added since): build the new one aside.
        rebuild(store.root)
        return latest_seq()
    until = latest_seq()
    if read_position(path) >= until:
        return 0
    with writer_lock(store.root, timeout) as locked:
        if not locked:
            return 0
        path = store.current_path()  # a rebuild may have switched generations meanwhile
        writer = IndexWriter(path)
        try:
            applied = _apply(writer, read_position(path), until)
        finally:
            writer.close()
        if names:
            write_names(path, name_groups())
        return applied


def write_name_groups(root: Path | None = None) -> None:
    """Store the current name groups (`name_groups`) with this node's live index generation."""
    store = IndexStore(root or index_root())
    with writer_lock(store.root):
        write_names(store.current_path(), name_groups())


def rebuild(root: Path | None = None, progress=None) -> int:
    """Build a new generation from the whole catalog aside, then switch to it; returns documents indexed."""
    store = IndexStore(root or index_root())
    path = store.new_generation()
    start = latest_seq()
    writer = IndexWriter(path)
    ids = list(m.Document.objects.filter(status=m.Document.Status.PUBLISHED).order_by("id").values_list("id", flat=True))
    for i in range(0, len(ids), CHUNK):
        docs, _ = index_docs(ids[i:i + CHUNK])
        writer.upsert(docs)
        if progress:
            progress(len(docs))
    writer.commit(start)
    writer.close(merge=True)
    write_names(path, name_groups())
    with writer_lock(store.root):
        writer = IndexWriter(path)
        try:
            _apply(writer, start, latest_seq())
        finally:
            writer.close()
        store.switch(path)
    return len(ids)


def catalog_texts(ids: list[str]) -> dict[str, str]:
    """Text to cut snippets from, per document: the text layers, else the summary."""
    texts: dict[str, list[str]] = {}
    for doc_id, body in m.TextLayer.objects.filter(document_id__in=ids).order_by("document_id", "position").values_list("document_id", "body"):
        texts.setdefault(doc_id, []).append(body)
    summaries = dict(m.Document.objects.filter(id__in=ids).values_list("id", "summary"))
    return {doc_id: "\n\n".join(texts.get(doc_id, [])) or summaries.get(doc_id, "") for doc_id in ids}


def searcher() -> Search:
    """A Search over this node's index that cuts snippets from the catalog."""
    return Search(index_root(), texts=catalog_texts)
