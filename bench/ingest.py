"""Ingest throughput, run by hand (not a test): `fonds ingest` into a new SQLite home and into a
new PostgreSQL database, against the peer of reading the same files without storing them.

    .venv/bin/python bench/ingest.py /tmp/frus99            # the 99 FRUS volumes, unpacked
    .venv/bin/python bench/ingest.py /tmp/frus99 --no-postgres
    .venv/bin/python bench/ingest.py /tmp/frus99 --status draft   # as a default home: nothing to index

The unpacked volumes come from ../shared/corpus/frus/frus-tei-99vols.tar.xz:
    mkdir -p /tmp/frus99 && tar -xJf ../shared/corpus/frus/frus-tei-99vols.tar.xz -C /tmp/frus99

Documents are ingested as published (the default status is draft, which the search index leaves
out), so each run ends with every document in the search index: the run is over when the index is
complete, which the bench checks (documents in the index = documents in the catalog). Prints a
Markdown table: wall seconds, CPU seconds of every process of the run (user + system, reader and
indexing processes included), and each run's ratio to the peer in both. On a machine shared with
other work, wall times grow with the load and CPU seconds much less: read the ratios.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = f"fonds_bench_ingest_{os.getpid()}"


def count(path: Path, sha: str) -> int:
    from fonds.ingest import read_file

    return len(read_file(path, sha).records)


def read_only(paths: list[Path]) -> int:
    """The peer: parse and enrich every file in worker processes (as many as cores, as the
    ingest uses), store nothing."""
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        return sum(pool.map(count, paths, ["0" * 64] * len(paths)))


def fonds(args: list[str], env: dict) -> str:
    result = subprocess.run([sys.executable, "-m", "fonds", *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"fonds {args[0]} failed:\n{result.stderr[-2000:]}")
    return result.stdout


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measured(func, *args) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child processes it ran and waited for)."""
    cpu, started = children_cpu(), time.perf_counter()
    func(*args)
    return time.perf_counter() - started, children_cpu() - cpu


def index_complete(env: dict, expected: int) -> None:
    """Fail unless the home's search index holds every document (all published here)."""
    probe = ("from fonds.catalog import models as m; from fonds.catalog.indexer import index_root; "
             "from fonds.search.index import IndexStore, open_index; import django; "
             "index = open_index(IndexStore(index_root()).current_path()); index.reload(); "
             "print(index.searcher().num_docs, m.Document.objects.count())")
    code = "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'fonds.site'); django.setup(); " + probe
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    indexed, stored = map(int, result.stdout.split())
    if not indexed == stored == expected:
        raise SystemExit(f"index incomplete: {indexed} documents indexed, {stored} stored, {expected} read")


def ingest_run(folder: Path, env: dict, documents: int) -> None:
    fonds(["ingest", str(folder)], env)
    index_complete(env, documents)


def postgres_env(base: dict) -> dict:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}")
        conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")
    return {**base, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{PG_BENCH_DB}"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--status", default="published", choices=("published", "draft"),
                        help="status of the ingested documents (draft ones are not indexed)")
    args = parser.parse_args()
    paths = sorted(args.folder.glob("*.xml"))
    size_mb = sum(p.stat().st_size for p in paths) / 1e6
    load_before = os.getloadavg()[0]

    started, cpu = time.perf_counter(), children_cpu()
    documents = read_only(paths)
    peer = (time.perf_counter() - started, children_cpu() - cpu)
    rows = [("read + enrich only (peer)", *peer)]
    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
            "FONDS_HOME": home, "FONDS_INGEST_STATUS": args.status}
        check = ingest_run if args.status == "published" else (lambda folder, env, _: fonds(["ingest", str(folder)], env))
        rows.append(("fonds ingest, SQLite catalog", *measured(check, args.folder, env, documents)))
        rows.append(("fonds ingest again (unchanged: no-op)", *measured(fonds, ["ingest", str(args.folder)], env)))
    if not args.no_postgres:
        with tempfile.TemporaryDirectory() as home:
            env = {k: v for k, v in os.environ.items()} | {"FONDS_HOME": home, "FONDS_INGEST_STATUS": args.status}
            rows.append(("fonds ingest, PostgreSQL catalog", *measured(check, args.folder, postgres_env(env), documents)))

    import django
    import lxml.etree
    import tantivy  # noqa: F401

    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}; Python {platform.python_version()}, "
          f"Django {django.get_version()}, lxml {'.'.join(map(str, lxml.etree.LXML_VERSION))}; "
          f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    print(f"Data: {len(paths)} FRUS TEI volumes, {size_mb:.0f} MB, {documents} documents, ingested as {args.status}\n")
    print("| run | wall s | docs/s | wall vs peer | CPU s | CPU vs peer |\n|---|---:|---:|---:|---:|---:|")
    for name, wall, cpu in rows:
        print(f"| {name} | {wall:.1f} | {documents / wall:,.0f} | {wall / peer[0]:.2f}x | {cpu:.1f} | {cpu / peer[1]:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
