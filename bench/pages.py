"""Document pages against search pages, through HTTP on `fonds serve` (gunicorn, one worker).

The peer is the search page, measured in the same run on the same server: the issue's target is a
document page in at most twice a search page's time. A fresh SQLite home gets the given files
(published); the server is started, warmed with one request of each kind, then every sampled
document page is fetched twice (the first renders its citations, the second finds them in the
cache) interleaved with search pages; medians and 90th percentiles are printed as a table.

    .venv/bin/python bench/pages.py tests/fixtures/corpus/frus/tei/*.xml tests/fixtures/corpus/seed/*.txt
"""

from __future__ import annotations

import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FONDS = [sys.executable, "-m", "fonds"]
QUERIES = ["disarmament", "Khrushchev", "atomic energy", "\"test ban\"", "Dulles", "inspection", "Geneva",
           "fall-out", "Stassen", "reactor"]
SAMPLE = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(url: str) -> tuple[float, bytes]:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        body = response.read()
    return (time.perf_counter() - start) * 1000, body


def _document_urls(base: str, env: dict) -> list[str]:
    out = subprocess.run([*FONDS, "export", "--format", "jsonl"], env=env, capture_output=True, text=True, check=True)
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    ids = [row["id"] for row in rows if "texts" in row]  # documents, not the authority lines
    random.Random(14).shuffle(ids)
    return [f"{base}/documents/{urllib.request.quote(doc_id, safe='')}/" for doc_id in ids[:SAMPLE]]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _canonical(url: str) -> str:
    try:
        urllib.request.build_opener(_NoRedirect).open(url, timeout=60)
    except urllib.error.HTTPError as redirect:
        return urllib.parse.urljoin(url, redirect.headers["Location"])
    return url


def _wait(base: str, server: subprocess.Popen, log) -> None:
    for _ in range(300):
        if server.poll() is not None:
            log.seek(0)
            raise SystemExit(f"fonds serve stopped: {log.read().decode()[-2000:]}")
        try:
            _fetch(base + "/")
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("fonds serve did not answer within a minute")


def _row(label: str, times: list[float], peer: float) -> str:
    median = statistics.median(times)
    p90 = statistics.quantiles(times, n=10)[-1]
    return f"| {label} | {len(times)} | {median:.1f} | {p90:.1f} | {median / peer:.2f}x |"


def main(files: list[str]) -> None:
    home = tempfile.mkdtemp(prefix="fonds-pages-")
    port = _free_port()
    env = {**os.environ, "FONDS_HOME": home, "FONDS_INGEST_STATUS": "published",
           "PYTHONPATH": str(ROOT / "src")}
    env.pop("DATABASE_URL", None)
    subprocess.run([*FONDS, "init"], env=env, check=True, capture_output=True)
    subprocess.run([*FONDS, "ingest", "--jobs", "1", *files], env=env, check=True, capture_output=True)
    base = f"http://127.0.0.1:{port}"
    # The server's log goes to a file: a pipe nobody reads fills up after a few hundred request
    # lines and then blocks the server.
    log = tempfile.TemporaryFile()
    server = subprocess.Popen([*FONDS, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
                              env=env, stdout=subprocess.DEVNULL, stderr=log)
    try:
        _wait(base, server, log)
        documents = _document_urls(base, env)
        searches = [f"{base}/search?q={urllib.request.quote(q)}" for q in QUERIES]
        # The canonical URL each /documents/<id>/ redirects to, read from the redirect (the page
        # itself is not fetched, so its first timed view is its first view).
        documents = [_canonical(url) for url in documents]
        _fetch(searches[0])
        times: dict[str, list[float]] = {"search": [], "first": [], "cached": []}
        for i, url in enumerate(documents):
            times["search"].append(_fetch(searches[i % len(searches)])[0])
            times["first"].append(_fetch(url)[0])
            times["search"].append(_fetch(searches[(i + 3) % len(searches)])[0])
            times["cached"].append(_fetch(url)[0])
    finally:
        server.terminate()
        server.wait(timeout=30)
    import django

    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores; Python {platform.python_version()}, "
          f"Django {django.get_version()}; SQLite catalog; gunicorn, 1 worker")
    print(f"Data: {len(files)} files; {len(documents)} document pages sampled, {len(QUERIES)} queries\n")
    peer = statistics.median(times["search"])
    print("| page | requests | median ms | p90 ms | vs search (median) |\n|---|---:|---:|---:|---:|")
    print(_row("search page (peer)", times["search"], peer))
    print(_row("document page, first view (citations rendered)", times["first"], peer))
    print(_row("document page, citations cached", times["cached"], peer))


if __name__ == "__main__":
    main(sys.argv[1:])
