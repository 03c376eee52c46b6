"""The catalog side of a search: re-checking a page of hits, and finding changes the index lags.

Compares, on the same catalog in the same run:

- peer: the re-check as it was (the public QuerySet narrowed to the page's ids: the planner may
  walk the `status` index, every published row, to answer it);
- fonds: the re-check by primary key (`fonds.archive.search`: the page's rows fetched by id, the
  public rule applied to their status and embargo in Python);
- fonds: `pending_hidden`, the query every search now adds (documents changed after the index's
  position that are not public), with no change pending and with 1,000 pending.

Usage (a throwaway home; DATABASE_URL for PostgreSQL):

    .venv/bin/python bench/search/recheck.py --documents 31547 [--home /tmp/recheck]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=31_547)
    parser.add_argument("--page", type=int, default=20, help="hits per page re-checked")
    parser.add_argument("--repeats", type=int, default=300)
    parser.add_argument("--home", type=Path)
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="fonds-recheck-"))
    os.environ["FONDS_HOME"] = str(home)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fonds.site")
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Q

    from fonds.archive import search
    from fonds.archive.visibility import is_public
    from fonds.catalog import indexer
    from fonds.catalog import models as m
    from fonds.search.index import IndexStore, write_position

    call_command("migrate", verbosity=0)
    if m.Document.objects.count() != args.documents:
        m.Document.objects.all().delete()
        statuses = ["published"] * 90 + ["draft"] * 6 + ["review"] * 2 + ["withdrawn"] * 2
        m.Document.objects.bulk_create(
            (m.Document(id=f"doc-{i:07d}", slug="d", title=f"Document {i}", status=random.choice(statuses),
                        embargo_until=date(2999, 1, 1) if i % 97 == 0 else None)
             for i in range(args.documents)), batch_size=2000)
    ids = [f"doc-{i:07d}" for i in range(args.documents)]
    today = date.today()

    def peer(page):
        return set(m.Document.objects.filter(status="published").filter(
            Q(embargo_until__isnull=True) | Q(embargo_until__lte=today)).filter(id__in=page).values_list("id", flat=True))

    def by_key(page):
        rows = m.Document.objects.filter(pk__in=page).order_by().values_list("pk", "status", "embargo_until")
        return {pk for pk, status, embargo in rows if is_public(status, embargo, today)}

    root = home / "index"
    monkey_root = root
    indexer.index_root = lambda: monkey_root
    path = IndexStore(root).current_path()
    path.mkdir(parents=True, exist_ok=True)

    def pending(count: int):
        m.Change.objects.all().delete()
        m.Change.objects.bulk_create(m.Change(document_id=doc_id, op="upsert") for doc_id in random.sample(ids, count))
        write_position(path, (m.Change.objects.order_by("seq").values_list("seq", flat=True).first() or 1) - 1)
        return lambda page: search.pending_hidden()

    def timed(func, make_page) -> float:
        samples = []
        for _ in range(args.repeats):
            page = make_page()
            start = time.perf_counter()
            func(page)
            samples.append(time.perf_counter() - start)
        return statistics.median(samples) * 1000

    def page():
        return random.sample(ids, args.page)

    assert all(peer(p) == by_key(p) for p in (page() for _ in range(50)))
    plans = {}
    for name, queryset in (("peer", m.Document.objects.filter(status="published").filter(
            Q(embargo_until__isnull=True) | Q(embargo_until__lte=today)).filter(id__in=page())),
                           ("by key", m.Document.objects.filter(pk__in=page()).order_by())):
        plans[name] = queryset.values_list("pk").explain().replace("\n", " | ")
    results = [("re-check, public QuerySet by ids (peer)", timed(peer, page)),
               ("re-check by primary key (fonds)", timed(by_key, page))]
    no_change = pending(0)
    results.append(("pending_hidden, nothing pending", timed(no_change, page)))
    thousand = pending(1000)
    results.append(("pending_hidden, 1,000 changes pending", timed(thousand, page)))
    m.Change.objects.all().delete()

    import django as dj

    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
          f"Python {platform.python_version()}, Django {dj.get_version()}; catalog: {connection.vendor}")
    print(f"Data: {args.documents:,} documents (90% published), page of {args.page} hits, median of {args.repeats}\n")
    base = results[0][1]
    print("| step | ms | vs peer |\n|---|---:|---:|")
    for name, ms in results:
        print(f"| {name} | {ms:.3f} | {ms / base:.2f}x |")
    print()
    for name, plan in plans.items():
        print(f"plan, {name}: {plan}")


if __name__ == "__main__":
    main()
