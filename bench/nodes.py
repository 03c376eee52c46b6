"""Several web nodes: how long until a change made through one node is searchable on another.

Builds a SQLite archive from TEI volumes, starts node A (`fonds serve`, its own index folder),
then node B on an empty index folder, and measures:

- B's start: how soon its first search answers (it answers at once from the part built so far,
  saying how far behind it is) and how long its follower takes to build the whole index;
- propagation: after each of N title edits through A's API, the time until the new word is found
  by /api/search on B, against the same on A itself (the peer: the node the change went through).
  Both nodes run with search_wait = 0, so a search never waits and the polls see the raw lag.

    .venv/bin/python bench/nodes.py [--edits 30] [TEI files...]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT = sorted((REPO / "tests" / "fixtures" / "corpus" / "frus" / "tei").glob("*.xml"))


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fonds(env: dict, *args: str) -> str:
    return subprocess.run([sys.executable, "-m", "fonds", *args], env=env, check=True, capture_output=True,
                          text=True).stdout


def _search(base: str, word: str) -> dict:
    with urllib.request.urlopen(f"{base}/api/search?q={word}", timeout=60) as response:
        return json.loads(response.read())


def _until_up(base: str) -> None:
    while True:
        try:
            _search(base, "x")
            return
        except OSError:
            time.sleep(0.05)


def _patch(base: str, token: str, doc_id: str, title: str) -> None:
    request = urllib.request.Request(f"{base}/api/documents/{doc_id}", data=json.dumps({"title": title}).encode(),
                                     method="PATCH", headers={"Authorization": f"Bearer {token}",
                                                              "Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=60).read()


def _seen_after(bases: list[str], word: str, start: float) -> list[float]:
    """Milliseconds from `start` until each node's search finds `word` (the nodes polled in turn)."""
    seen: dict[str, float] = {}
    while len(seen) < len(bases):
        for base in bases:
            if base not in seen and _search(base, word)["total"]:
                seen[base] = (time.monotonic() - start) * 1000
        time.sleep(0.01)
    return [seen[base] for base in bases]


def _node(env: dict, index: Path) -> tuple[subprocess.Popen, str]:
    port = _port()
    server = subprocess.Popen([sys.executable, "-m", "fonds", "serve", "--port", str(port), "--workers", "2"],
                              env={**env, "FONDS_INDEX_DIR": str(index)}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    return server, f"http://127.0.0.1:{port}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT)
    parser.add_argument("--edits", type=int, default=30)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="fonds-nodes-"))
    env = {**os.environ, "FONDS_HOME": str(home), "FONDS_INGEST_STATUS": "published", "FONDS_SEARCH_WAIT": "0"}
    env.pop("DATABASE_URL", None)
    _fonds(env, "ingest", *map(str, args.files))
    token = _fonds(env, "token", "create", "bench", "--role", "editor").strip()
    ids = json.loads(_fonds(env, "search", "", "--json"))["hits"]
    servers = []
    try:
        a = _node(env, home / "index-a")
        servers.append(a[0])
        _until_up(a[1])
        started = time.monotonic()
        b = _node(env, home / "index-b")
        servers.append(b[0])
        _until_up(b[1])
        first = _search(b[1], "soviet")
        first_ms = (time.monotonic() - started) * 1000
        while _search(b[1], "soviet")["index_behind"]:
            time.sleep(0.05)
        built_ms = (time.monotonic() - started) * 1000
        on_a, on_b = [], []
        for i in range(args.edits):
            doc_id = ids[i % len(ids)]["id"]
            word = "zq" + secrets.token_hex(4)
            _patch(a[1], token, doc_id, f"{word} edited title {i}")
            seen_a, seen_b = _seen_after([a[1], b[1]], word, time.monotonic())
            on_a.append(seen_a)
            on_b.append(seen_b)
        documents = json.loads(_fonds(env, "search", "", "--json"))["total"]
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)

    def p(values, q):
        return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]

    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; SQLite catalog, "
          f"{documents} public documents; {args.edits} edits; follow_interval default; search_wait 0")
    print(f"node B start: first search answered after {first_ms:.0f} ms (index_behind {first['index_behind']}), "
          f"whole index built after {built_ms:.0f} ms")
    print("| searchable on | p50 ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|")
    for name, values in (("node A (the node edited through; peer)", on_a), ("node B (the other node)", on_b)):
        print(f"| {name} | {p(values, 50):.0f} | {p(values, 95):.0f} | {max(values):.0f} |")


if __name__ == "__main__":
    main()
