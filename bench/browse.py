"""What the browsing pages, the related documents and the timeline, map and network of a search
cost, against a search page measured in the same run (hand-run, not a test; docs/benchmarks.md,
"Browsing, related documents, timeline, map, network").

Ingests the given FRUS TEI volumes (published) into a fresh archive home on SQLite, builds the
index, then requests each page through Django's test client (the whole view and template, no
network) and prints the median and 90th percentile of each, and its ratio to the search page.

    .venv/bin/python bench/browse.py                                   # the test fixture volume
    .venv/bin/python bench/browse.py ../shared/corpus/frus/tei/frus1958-60v*.xml --runs 30
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "corpus" / "frus" / "tei" / "frus1955-57v20.xml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("volumes", nargs="*", type=Path, default=[FIXTURE])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="fonds-bench-browse-")
    os.environ.update({"FONDS_HOME": home, "DJANGO_SETTINGS_MODULE": "fonds.site"})
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from fonds.catalog import indexer
    from fonds.catalog import models as m
    from fonds.catalog.ingest import Ingest

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    report = Ingest(args.volumes, jobs=2, status="published").run()
    indexer.catch_up()
    print(f"{report.created} documents from {len(args.volumes)} volume(s) in {time.perf_counter() - started:.0f} s")
    busiest = m.Authority.objects.filter(kind="person").order_by("-mentions__id").first()
    docs = list(m.Document.objects.order_by("id")[:: max(1, m.Document.objects.count() // 20)])
    pages = {
        "search ?q=disarmament (peer)": ["/search?q=disarmament"],
        "document page (with related)": [d.get_absolute_url() for d in docs],
        "people index, by count": ["/people/?sort=count"],
        "dates: a year": ["/dates/1957"],
        "entity page (a busy person)": [busiest.get_absolute_url()],
        "timeline of a search": ["/explore/timeline?q=disarmament"],
        "timeline: months of a year": ["/explore/timeline?q=disarmament&from=1957&to=1957"],
        "map of a search": ["/explore/map?q=disarmament"],
        "network of a search": ["/explore/network?q=disarmament"],
    }
    client = Client(HTTP_HOST="localhost")
    for urls in pages.values():  # warm caches (gazetteer, basemap, searcher) before timing
        client.get(urls[0])
    print(f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores, SQLite, runs {args.runs}")
    print(f"{'page':46} {'median ms':>10} {'p90 ms':>8} {'x search':>9}")
    peer = None
    for name, urls in pages.items():
        times = []
        for i in range(args.runs):
            url = urls[i % len(urls)]
            began = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        peer = _row(name, times, peer)
    from fonds.archive import related
    from fonds.catalog.store import documents_with_details

    loaded = list(documents_with_details(m.Document.objects.filter(pk__in=[d.pk for d in docs])))
    for name, group in (("related: all groups", None), ("related: cited only", "cited"), ("related: same file only", "same-file"),
                        ("related: more like this only", "similar")):
        times = []
        for i in range(args.runs):
            doc = loaded[i % len(loaded)]
            texts = [t.body for t in doc.texts.all()]
            began = time.perf_counter()
            if group is None:
                related.related_documents(None, doc, texts, 5)
            elif group == "cited":
                related.cited(None, doc, texts)
            elif group == "same-file":
                related.same_file(None, doc)
            else:
                related.similar(doc, texts, 5)
            times.append((time.perf_counter() - began) * 1000)
        _row(name + " (function)", times, peer)


def _row(name: str, times: list[float], peer: float | None) -> float:
    median, p90 = statistics.median(times), sorted(times)[int(0.9 * (len(times) - 1))]
    peer = peer or median
    print(f"{name:46} {median:10.1f} {p90:8.1f} {median / peer:9.2f}")
    return peer


if __name__ == "__main__":
    sys.exit(main())
