"""The real FRUS records and the benchmark data sets, cached as JSONL.gz under the work folder.

`real.jsonl.gz` holds the 31,547 records of the 99 volumes (TEI reader + enrichers, as `fonds
ingest` stores them) and `authorities.jsonl.gz` the authorities the volumes declare. A data set
`docs-<size>.jsonl.gz` is either a seeded sample of the real records (when the size is below their
count) or all of them followed by the first synthetic documents of `synth`'s stream.
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from fonds.records import Authority, Record

SEED = 20261126
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}


def read_volume(path: str) -> tuple[list[dict], list[dict]]:
    """Records and authorities of one FRUS volume as JSON dicts (runs in a worker process)."""
    from fonds.enrich import pipeline
    from fonds.readers import tei

    batch = pipeline.enrich(tei.read(Path(path)))
    return [r.to_json() for r in batch.records], [a.to_json() for a in batch.authorities]


def write_jsonl(path: Path, rows: Iterable[dict]) -> int:
    """Write dicts as gzipped JSON lines (atomically: a temp file renamed at the end)."""
    tmp = path.with_suffix(".tmp")
    count = 0
    with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=1) as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False))
            out.write("\n")
            count += 1
    tmp.rename(path)
    return count


def read_jsonl(path: Path) -> Iterator[dict]:
    """The dicts of a gzipped JSON-lines file."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def real_records(work: Path, frus: Path) -> Path:
    """Read the 99 volumes once (2 processes) into `real.jsonl.gz`; returns its path."""
    path = work / "real.jsonl.gz"
    if path.exists():
        return path
    volumes = sorted(str(p) for p in frus.glob("*.xml"))
    records, authorities = [], {}
    with ProcessPoolExecutor(max_workers=2) as pool:
        for recs, auths in pool.map(read_volume, volumes):
            records += recs
            for a in auths:
                authorities.setdefault((a["kind"], a["id"]), a)
    write_jsonl(work / "authorities.jsonl.gz", authorities.values())
    write_jsonl(path, records)
    return path


def authorities(work: Path) -> list[Authority]:
    """The authorities the real volumes declare (persons with their name variants)."""
    return [Authority.model_validate(a) for a in read_jsonl(work / "authorities.jsonl.gz")]


def dataset(work: Path, size: str) -> Path:
    """The cached data set of `size` (10k, 100k, 1M), generated on first use."""
    from synth import add_topics, synthetic_gzip

    path = work / f"docs-{size}.jsonl.gz"
    if path.exists():
        return path
    real = [add_topics(r) for r in read_jsonl(work / "real.jsonl.gz")]
    target = SIZES[size]
    if target <= len(real):
        rows = random.Random(SEED).sample(real, target)
        write_jsonl(path, rows)
        return path
    tmp = path.with_suffix(".part")
    write_jsonl(tmp, real)
    with open(tmp, "ab") as out:
        for member in synthetic_gzip(real, target - len(real)):
            out.write(member)
    tmp.rename(path)
    return path


def records(path: Path, chunk: int) -> Iterator[list[Record]]:
    """The data set's records in lists of `chunk`, published: the benchmark searches what the public
    sees, and the real records leave their status to the catalog (a reader does not say it; only
    published documents are indexed)."""
    batch: list[Record] = []
    for row in read_jsonl(path):
        batch.append(Record.model_validate({**row, "status": row.get("status") or "published"}))
        if len(batch) == chunk:
            yield batch
            batch = []
    if batch:
        yield batch


def raw_text_bytes(record: dict) -> int:
    """UTF-8 bytes of a record's title, summary and text bodies (the 'raw text' of the size ratios)."""
    parts = [record.get("title") or "", record.get("summary") or ""] + [t["body"] for t in record.get("texts", [])]
    return sum(len(p.encode()) for p in parts)
