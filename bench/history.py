"""What keeping the history costs an ingest: time and catalog size, against the same ingest with
the history rows left out (the peer), in the same run on the same files.

Each run ingests the files into a fresh SQLite home in its own process (`--jobs 1`, so the
difference is the catalog's work, not the readers'), then re-ingests them changed by nothing
(a no-op) and reports seconds and the catalog's size.

    .venv/bin/python bench/history.py tests/fixtures/corpus/frus/tei/*.xml
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
ROUNDS = 4


def run_one(files: list[str], history: bool) -> dict:
    """One ingest in a fresh home (in this process)."""
    home = Path(tempfile.mkdtemp(prefix="fonds-history-"))
    os.environ.update({"FONDS_HOME": str(home), "DJANGO_SETTINGS_MODULE": "fonds.site"})
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(SRC))
    import django

    django.setup()
    from django.core.management import call_command

    from fonds.catalog import models as m
    from fonds.catalog import store
    from fonds.catalog.ingest import Ingest

    call_command("migrate", verbosity=0)
    if not history:
        store.record_revisions = lambda pairs, origin: None
        store.record_authority_revision = lambda row, before, added, origin: None
    start = time.perf_counter()
    report = Ingest([Path(f) for f in files], jobs=1, status="published").run()
    seconds = time.perf_counter() - start
    from django.db import connection

    connection.close()
    return {"seconds": seconds, "documents": report.documents, "errors": len(report.errors),
            "bytes": (home / "catalog.sqlite3").stat().st_size + sum(
                p.stat().st_size for p in home.glob("catalog.sqlite3-*")),
            "revisions": m.Revision.objects.count() if history else 0}


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] in ("--with", "--without"):
        print(json.dumps(run_one(sys.argv[2:], sys.argv[1] == "--with")))
        return
    files = sys.argv[1:]
    results: dict[str, dict] = {}
    runs = (("ingest without history (peer)", "--without"), ("ingest with history (fonds)", "--with"))
    for round_ in range(ROUNDS):  # alternating order, best of ROUNDS: the machine is shared
        for label, flag in runs if round_ % 2 == 0 else runs[::-1]:
            out = subprocess.run([sys.executable, __file__, flag, *files], capture_output=True, text=True, check=True)
            result = json.loads(out.stdout.strip().splitlines()[-1])
            if label not in results or result["seconds"] < results[label]["seconds"]:
                results[label] = result
    import django

    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores; Python {platform.python_version()}, "
          f"Django {django.get_version()}; SQLite catalog")
    first = next(iter(results.values()))
    print(f"Data: {len(files)} files, {first['documents']:,} documents; best of {ROUNDS} runs each, alternating\n")
    base = results["ingest without history (peer)"]
    print("| run | seconds | vs peer | catalog MB | vs peer | history rows |\n|---|---:|---:|---:|---:|---:|")
    for label, r in results.items():
        print(f"| {label} | {r['seconds']:.1f} | {r['seconds'] / base['seconds']:.2f}x | {r['bytes'] / 1e6:.1f} | "
              f"{r['bytes'] / base['bytes']:.2f}x | {r['revisions']:,} |")


if __name__ == "__main__":
    main()
