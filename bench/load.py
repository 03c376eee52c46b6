"""Load test, run by hand (not a test): many concurrent clients against `fonds serve` and against
Datasette serving the same documents with FTS5 and facets, one after the other in the same run.

The documents are the search benchmark's synthetic FRUS-like set (bench/search: real metadata,
texts drawn from bigram models of the real texts), 100k by default. The fonds home is the one
`bench/search/run.py` builds (catalog written with `write_batch`, index with `IndexWriter`); the
peer is a Datasette database made here with sqlite-utils from the same JSON Lines: one
`documents` table with the facet columns (type, classification, archive, language, year, and the
people as a JSON array), full-text search on title, summary and body (porter stemming, as fonds
stems English), one row page per document.

Each client loops for `--seconds`, drawing one request of the mix at a time with keep-alive:

| share | fonds | Datasette |
|---|---|---|
| 35% search page | `/search?q=W` | `/docs/documents?_search=W` + 5 facets |
| 20% facet click | `/search?q=W&<facet>=<value>` | the same with `<column>=<value>` |
| 30% document page | `/documents/<id>/` | `/docs/documents/<rowid>` |
| 15% JSON search | `/api/search?q=W` | `/docs/documents.json?_search=W` + 5 facets |

A fonds search page that goes out before its facet counts (see `counts_wait`) names
`/search/counts`; the client then fetches it, as the page's script would, as a request of its own
("counts" in the tables).

Words, facet values and documents are drawn (seeded) from the data set itself, so both servers
get the same requests in the same order per client. An error is any status other than 200, or a
request that fails or takes over `--timeout` seconds. The client runs in this process (asyncio,
aiohttp) on the same 2 cores as the server: the figures are what one machine does serving and
loading at once, for both servers alike.

    .venv/bin/pip install numpy psutil aiohttp datasette sqlite-utils   # bench-only packages
    mkdir -p /tmp/frus99 && tar -xJf /work/shared/corpus/frus/frus-tei-99vols.tar.xz -C /tmp/frus99
    .venv/bin/python bench/load.py --size 100k --clients 50 --seconds 60
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE / "search"), str(HERE.parent / "src")]

import corpus  # noqa: E402

MIX = (("search", 35), ("facet", 20), ("document", 30), ("api", 15))
COUNTS_URL = re.compile(r'data-counts-url="([^"]+)"')
# fonds facet parameter -> Datasette column (people is a JSON array column).
FACETS = {"type": "type", "classification": "classification", "archive": "archive", "lang": "language",
          "person": "people"}
DATASETTE_FACETS = "&_facet=type&_facet=classification&_facet=archive&_facet=language&_facet_array=people"
SAMPLE = 5_000  # records the request mix is drawn from
WORD_LENGTH = 5


def run(command: list[str], **kw) -> None:
    print("$", " ".join(command), flush=True)
    subprocess.run(command, check=True, **kw)


def fonds_home(work: Path, size: str) -> Path:
    """The benchmark's fonds home, built by bench/search/run.py's catalog and index stages if missing."""
    base = work / size
    home = base / "fonds-home"
    (base / "results").mkdir(parents=True, exist_ok=True)
    corpus.real_records(work, Path("/tmp/frus99"))
    corpus.dataset(work, size)
    for stage in ("catalog", "index"):
        if not (base / "results" / f"{stage}.json").exists():
            run([sys.executable, str(HERE / "search" / "run.py"), "--size", size, "--work", str(work), "--stage", stage])
    return home


def datasette_db(work: Path, size: str) -> Path:
    """The peer's database: one documents table with facet columns and an FTS5 index (sqlite-utils)."""
    import sqlite_utils

    path = work / size / "datasette" / "docs.db"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    db = sqlite_utils.Database(partial)
    table = db["documents"]
    for records in corpus.records(work / f"docs-{size}.jsonl.gz", 10_000):
        table.insert_all((_row(r) for r in records), pk="rowid", batch_size=2_000,
                         columns={"people": str})
        print(f"datasette {table.count} rows", flush=True)
    table.enable_fts(["title", "summary", "body"], tokenize="porter")
    for column in ("type", "classification", "archive", "language", "year"):
        table.create_index([column])
    db.vacuum()
    db.close()
    partial.rename(path)
    return path


def _row(record) -> dict:
    values = _facets(record)
    year = record.date.min[:4] if record.date and record.date.min else None
    return {"id": record.id, "title": record.title, "summary": record.summary or "",
            "body": "\n\n".join(t.body for t in record.texts), "type": _first(values["type"]),
            "classification": _first(values["classification"]), "archive": _first(values["archive"]),
            "language": _first(values["lang"]), "year": int(year) if year and year.isdigit() else None,
            "people": json.dumps(values["person"], ensure_ascii=False)}


def _first(values: list[str]) -> str | None:
    return values[0] if values else None


def _facets(record) -> dict[str, list[str]]:
    from fonds.search.index import IndexDoc, _facet_values

    return _facet_values(IndexDoc(record=record, variants={}))


@dataclass
class Sample:
    """What requests are drawn from: document ids (with their peer rowids), words, facet values."""

    documents: list[tuple[str, int]] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    facets: list[tuple[str, str]] = field(default_factory=list)


def draw_sample(work: Path, size: str, seed: int) -> Sample:
    """Documents, title words and facet values of a seeded sample of the data set."""
    rng = random.Random(seed)
    total = corpus.SIZES[size]
    wanted = set(rng.sample(range(total), SAMPLE))
    sample = Sample()
    rowid = 0
    for records in corpus.records(work / f"docs-{size}.jsonl.gz", 10_000):
        for record in records:
            rowid += 1
            if rowid - 1 not in wanted:
                continue
            sample.documents.append((record.id, rowid))
            sample.words += [w.strip(".,;:()\"'").lower() for w in record.title.split()
                             if len(w.strip(".,;:()\"'")) >= WORD_LENGTH and w.isalpha()]
            for facet, values in _facets(record).items():
                if facet in FACETS and values:
                    sample.facets.append((facet, rng.choice(values)))
    return sample


def requests_for(sample: Sample, seed: int, count: int) -> list[tuple[str, dict]]:
    """`count` requests of the mix as (kind, parts) with the same draws for both servers."""
    rng = random.Random(seed)
    kinds = [k for k, share in MIX for _ in range(share)]
    out = []
    for _ in range(count):
        kind = rng.choice(kinds)
        out.append((kind, {"word": rng.choice(sample.words), "facet": rng.choice(sample.facets),
                           "document": rng.choice(sample.documents)}))
    return out


def fonds_url(kind: str, parts: dict) -> str:
    q = urllib.parse.quote(parts["word"])
    if kind == "search":
        return f"/search?q={q}"
    if kind == "facet":
        facet, value = parts["facet"]
        return f"/search?q={q}&{facet}={urllib.parse.quote(value)}"
    if kind == "document":
        return f"/documents/{parts['document'][0]}/"
    return f"/api/search?q={q}"


def datasette_url(kind: str, parts: dict) -> str:
    q = urllib.parse.quote(parts["word"])
    if kind == "search":
        return f"/docs/documents?_search={q}{DATASETTE_FACETS}"
    if kind == "facet":
        facet, value = parts["facet"]
        column = FACETS[facet]
        test = f"{column}__arraycontains" if column == "people" else column
        return f"/docs/documents?_search={q}{DATASETTE_FACETS}&{test}={urllib.parse.quote(value)}"
    if kind == "document":
        return f"/docs/documents/{parts['document'][1]}"
    return f"/docs/documents.json?_search={q}{DATASETTE_FACETS}"


@dataclass
class Result:
    """One request's outcome."""

    kind: str
    ms: float
    ok: bool
    detail: str = ""


async def client(session, base: str, plan: list[tuple[str, dict]], url_of, deadline: float, timeout: float,
                 results: list[Result]) -> None:
    """Loop over this client's share of the plan until the deadline."""
    i = 0
    while time.perf_counter() < deadline:
        kind, parts = plan[i % len(plan)]
        i += 1
        body = await fetch(session, base + url_of(kind, parts), kind, timeout, results)
        # A search page that went out before its facet counts has its script fetch them, as a
        # browser would: the fetch counts as a request of its own ("counts").
        later = COUNTS_URL.search(body)
        if later:
            await fetch(session, base + html.unescape(later.group(1)), "counts", timeout, results)


async def fetch(session, url: str, kind: str, timeout: float, results: list[Result]) -> str:
    """GET one URL, record its outcome, and return its body ("" when it failed)."""
    import aiohttp

    started = time.perf_counter()
    body = ""
    try:
        async with session.get(url, timeout=aiohttp.ClientTimeout(total=timeout)) as reply:
            body = (await reply.read()).decode("utf-8", "replace")
            ok, detail = reply.status == 200, str(reply.status)
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        ok, detail = False, type(error).__name__
    results.append(Result(kind, (time.perf_counter() - started) * 1000, ok, detail))
    return body


async def load(base: str, url_of, sample: Sample, clients: int, seconds: float, timeout: float, seed: int) -> list[Result]:
    """`clients` concurrent clients for `seconds`; each its own seeded plan."""
    import aiohttp

    results: list[Result] = []
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector) as session:
        deadline = time.perf_counter() + seconds
        await asyncio.gather(*(client(session, base, requests_for(sample, seed + n, 2_000), url_of, deadline,
                                      timeout, results) for n in range(clients)))
    return results


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_up(url: str, process: subprocess.Popen, limit: float = 600) -> None:
    """Wait until `url` answers 200 (a fresh node may build its index first)."""
    started = time.time()
    while time.time() - started < limit:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=30) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {limit} s")


def start_fonds(home: Path, workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "FONDS_HOME": str(home), "FONDS_LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen([sys.executable, "-m", "fonds", "--home", str(home), "serve", "--host", "127.0.0.1",
                                "--port", str(port), "--workers", str(workers)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_up(base + "/api/search?q=treaty", process)
    return process, base


def start_datasette(db: Path, limit_ms: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    datasette = shutil.which("datasette", path=str(Path(sys.executable).parent)) or "datasette"
    process = subprocess.Popen([datasette, "serve", str(db), "--host", "127.0.0.1", "--port", str(port),
                                "--setting", "sql_time_limit_ms", str(limit_ms),
                                "--setting", "facet_time_limit_ms", str(limit_ms),
                                "--setting", "num_sql_threads", "3"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_up(base + "/docs/documents?_search=treaty", process)
    return process, base


def stop(process: subprocess.Popen) -> None:
    """Terminate a server; kill it when it does not stop (Datasette finishing queries in its threads)."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def summarise(name: str, results: list[Result], seconds: float) -> list[str]:
    """Table rows: all requests, then per kind (requests/s, p50, p95, errors)."""
    rows = []
    for kind in ["all"] + [k for k, _ in MIX] + ["counts"]:
        chosen = [r for r in results if kind == "all" or r.kind == kind]
        if not chosen:
            continue
        times = sorted(r.ms for r in chosen)
        errors = [r for r in chosen if not r.ok]
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        rows.append(f"| {name} | {kind} | {len(chosen)} | {len(chosen) / seconds:.1f} | "
                    f"{statistics.median(times):.0f} | {p95:.0f} | {len(errors)} |")
        if errors and kind == "all":
            kinds = sorted({f'{r.kind} {r.detail}' for r in errors})
            print(f"{name}: {len(errors)} errors, e.g. {kinds[:5]}", flush=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=list(corpus.SIZES), default="100k")
    parser.add_argument("--work", type=Path, default=Path("/tmp/fonds-bench"))
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4, help="web worker processes of fonds serve")
    parser.add_argument("--timeout", type=float, default=30, help="a request taking longer is an error")
    parser.add_argument("--warm", type=float, default=10, help="seconds of load before the timed run")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=("fonds", "datasette"))
    args = parser.parse_args()

    home = fonds_home(args.work, args.size)
    db = datasette_db(args.work, args.size) if args.only != "fonds" else None
    sample = draw_sample(args.work, args.size, args.seed)
    print(f"{len(sample.documents)} documents, {len(sample.words)} words, {len(sample.facets)} facet values sampled",
          flush=True)
    servers = {"fonds": lambda: start_fonds(home, args.workers),
               "Datasette": lambda: start_datasette(db, int(args.timeout * 1000))}
    urls = {"fonds": fonds_url, "Datasette": datasette_url}
    rows = []
    for name, start in servers.items():
        if args.only and args.only.lower() != name.lower():
            continue
        process, base = start()
        try:
            if args.warm:
                asyncio.run(load(base, urls[name], sample, args.clients, args.warm, args.timeout, args.seed + 10_000))
            results = asyncio.run(load(base, urls[name], sample, args.clients, args.seconds, args.timeout, args.seed))
        finally:
            stop(process)
        rows += summarise(name, results, args.seconds)
        print("\n".join(rows[-5:]), flush=True)
    print(f"\n{args.clients} clients, {args.seconds:.0f} s each, {args.size} documents, fonds serve --workers "
          f"{args.workers}, load average {os.getloadavg()[0]:.1f}\n")
    print("| server | requests | count | requests/s | p50 ms | p95 ms | errors |")
    print("|---|---|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
