"""Ingest throughput, run by hand (not a test): `fonds ingest` into a new SQLite home and into a
new PostgreSQL database, against the peer of reading the same files without storing them.

    .venv/bin/python bench/ingest.py /tmp/frus99            # the 99 FRUS volumes, unpacked
    .venv/bin/python bench/ingest.py /tmp/frus99 --no-postgres

The unpacked volumes come from ../shared/corpus/frus/frus-tei-99vols.tar.xz:
    mkdir -p /tmp/frus99 && tar -xJf ../shared/corpus/frus/frus-tei-99vols.tar.xz -C /tmp/frus99
Prints a Markdown table (machine, versions, data size, docs/s and each run's ratio to the peer).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "fonds_bench_ingest"


def read_only(paths: list[Path]) -> int:
    """The peer: parse and enrich every file in worker processes, store nothing."""
    from fonds.ingest import read_file

    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        batches = pool.map(read_file, paths, ["0" * 64] * len(paths))
        return sum(len(batch.records) for batch in batches)


def fonds_ingest(folder: Path, env: dict) -> None:
    result = subprocess.run([sys.executable, "-m", "fonds", "ingest", str(folder)], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"ingest failed:\n{result.stderr[-2000:]}")


def timed(func, *args) -> float:
    started = time.perf_counter()
    func(*args)
    return time.perf_counter() - started


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
    args = parser.parse_args()
    paths = sorted(args.folder.glob("*.xml"))
    size_mb = sum(p.stat().st_size for p in paths) / 1e6

    started = time.perf_counter()
    documents = read_only(paths)
    peer = time.perf_counter() - started
    rows = [("read + enrich only (peer)", peer)]
    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"FONDS_HOME": home}
        rows.append(("fonds ingest, SQLite catalog", timed(fonds_ingest, args.folder, env)))
        rows.append(("fonds ingest again (unchanged: no-op)", timed(fonds_ingest, args.folder, env)))
        if not args.no_postgres:
            rows.append(("fonds ingest, PostgreSQL catalog", timed(fonds_ingest, args.folder, postgres_env(env))))

    import django
    import lxml.etree

    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}; Python {platform.python_version()}, "
          f"Django {django.get_version()}, lxml {'.'.join(map(str, lxml.etree.LXML_VERSION))}")
    print(f"Data: {len(paths)} FRUS TEI volumes, {size_mb:.0f} MB, {documents} documents\n")
    print("| run | seconds | docs/s | time vs peer |\n|---|---:|---:|---:|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.1f} | {documents / seconds:,.0f} | {seconds / peer:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
