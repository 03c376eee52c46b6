"""How many links `fonds ingest` sends to the curator queue (hand-run, not a test; docs/quality.md,
"Curator queue").

Ingests the given files or folders through the real command line into a fresh archive home
(SQLite), then counts per role the links, those with an enricher's confidence, and those below the
threshold (the `link_threshold` setting, 0.7 unless FONDS_LINK_THRESHOLD says otherwise) that wait
for a curator; and the confidences the waiting ones have.

    .venv/bin/python bench/link_queue.py samples tests/fixtures/corpus
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path


def main(paths: list[str]) -> None:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "FONDS_HOME": home, "FONDS_INGEST_STATUS": "published"}
        env.pop("DATABASE_URL", None)
        fonds = [sys.executable, "-m", "fonds"]
        subprocess.run([*fonds, "init"], env=env, check=True, capture_output=True)
        done = subprocess.run([*fonds, "ingest", *paths], env=env, capture_output=True, text=True)
        print((done.stderr.strip() + "\n" + done.stdout.strip())[-1500:])
        os.environ.update(FONDS_HOME=home, DJANGO_SETTINGS_MODULE="fonds.site")
        os.environ.pop("DATABASE_URL", None)
        count(paths)


def count(paths: list[str]) -> None:
    import django

    django.setup()
    from fonds.catalog import models as m
    from fonds.settings import get_settings

    rows = list(m.Mention.objects.values_list("role", "confidence", "pending"))
    print(f"paths: {' '.join(paths)}; threshold {get_settings().link_threshold}; "
          f"documents {m.Document.objects.count()}")
    print("| role | links | by an enricher | waiting | share waiting |")
    print("|---|---:|---:|---:|---:|")
    for role in [*m.Mention.Role.values, "all"]:
        mine = [row for row in rows if role in ("all", row[0])]
        scored = sum(1 for _, confidence, _ in mine if confidence is not None)
        waiting = sum(1 for *_, pending in mine if pending)
        print(f"| {role} | {len(mine)} | {scored} | {waiting} | {waiting / len(mine):.1%} |" if mine else f"| {role} | 0 | 0 | 0 | — |")
    confidences = Counter(confidence for _, confidence, pending in rows if pending)
    print("waiting, by confidence:", ", ".join(f"{c}: {n}" for c, n in sorted(confidences.items())))


if __name__ == "__main__":
    main(sys.argv[1:] or [str(Path(__file__).parent.parent / "samples")])
