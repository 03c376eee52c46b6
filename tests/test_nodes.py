"""Several web nodes on one catalog: each `fonds serve` keeps its own index current from the change
log, in a follower process beside its web workers; a change made through one node is searchable
on the other at once (within `search_wait`, 2 s here), and a node whose follower is held up
answers from the index it has, saying how far behind it is."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import database_url, free_port, get_when_up

SEED = "000_6e32ea4dc738cddf"


def _json(url: str, deadline: float | None = None) -> dict:
    return json.loads(get_when_up(url, deadline or time.monotonic() + 120))  # generous: servers start slowly under load


def _patch(base: str, token: str, changes: dict) -> None:
    request = urllib.request.Request(f"{base}/api/documents/{SEED}", data=json.dumps(changes).encode(), method="PATCH",
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200


def _follower_pid(index: Path) -> int:
    return int((index / "follower.lock").read_text())


def _holds(index: Path, pid: int) -> bool:
    """Whether process `pid` holds the follower lock of `index` (it writes its pid there once it does);
    read, not probed with a lock of our own, which a starting follower would find taken."""
    try:
        return int((index / "follower.lock").read_text()) == pid
    except (FileNotFoundError, ValueError):
        return False


def _until(check, seconds: float = 60):
    """The first true value of check(), polled until `seconds` pass (for process start-up only)."""
    deadline = time.monotonic() + seconds
    while not (value := check()):
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.2)
    return value


def _built(base: str) -> None:
    """Wait until the node's follower has built its index (a search then says it is not behind)."""
    _until(lambda: _json(f"{base}/api/search?q=presidium")["index_behind"] == 0, 180)


@pytest.fixture
def nodes(cli, seed_file, tmp_path):
    """Two `fonds serve` nodes (one web worker each) on one catalog, each with its own index
    folder, and an editor's API token; the catalog holds the published seed document."""
    from fonds.catalog.ingest import Ingest

    assert Ingest([seed_file], jobs=1, status="published").run().created == 1  # here: the nodes see the catalog only
    env = {**os.environ, "DATABASE_URL": database_url(), "FONDS_HOME": str(tmp_path / "home"), "FONDS_SEARCH_WAIT": "2",
           "HOME": str(tmp_path / "user")}
    env.pop("XDG_RUNTIME_DIR", None)
    started = []
    for name in ("a", "b"):
        port, index = free_port(), tmp_path / f"index-{name}"
        with open(tmp_path / f"serve-{name}.log", "w") as log:
            server = subprocess.Popen([sys.executable, "-m", "fonds", "serve", "--port", str(port), "--workers", "1"],
                                      env={**env, "FONDS_INDEX_DIR": str(index)}, stdout=subprocess.DEVNULL, stderr=log)
        started.append((server, f"http://127.0.0.1:{port}", index))
    try:
        # Made while the servers start (by the command line: the token is the servers' home's).
        token = cli("token", "create", "editor", "--role", "editor", check=True).stdout.strip()
        yield [(base, index) for _, base, index in started], token
    finally:
        for server, _, _ in started:
            server.terminate()
            server.wait(timeout=30)


def test_a_change_on_one_node_is_searchable_on_the_other_and_a_killed_follower_is_replaced(nodes):
    (a, index_a), (b, index_b), token = *nodes[0], nodes[1]
    # Each node builds its index from the catalog (they started with empty folders), answering
    # meanwhile from what it has and saying how far behind it is.
    for base in (a, b):
        _built(base)
        assert _json(f"{base}/api/search?q=presidium")["total"] == 1
    # ...with the follower each started: none had to be replaced (the first one used to die at once,
    # and the index waited a minute for its replacement).
    for index in (index_a, index_b):
        assert "is gone" not in (index.parent / f"serve-{index.name[-1]}.log").read_text()
    _patch(a, token, {"title": "Zanzibar decision of the Presidium"})
    found = _json(f"{b}/api/search?q=zanzibar")  # the first search on B after A's change
    assert found["total"] == 1 and found["hits"][0]["id"] == SEED
    assert found["index_behind"] == 0 and found["index_lag_seconds"] == 0

    # B's follower held up: B answers after search_wait from the index it has, and says so.
    follower = _follower_pid(index_b)
    os.kill(follower, signal.SIGSTOP)
    try:
        _patch(a, token, {"title": "Quokka decision of the Presidium"})
        stale = _json(f"{b}/api/search?q=quokka")
        assert stale["total"] == 0 and stale["index_behind"] >= 1
        assert any("behind the catalog" in message for message in stale["messages"])
        page = get_when_up(f"{b}/search?q=quokka", time.monotonic() + 120).decode()
        assert "behind the catalog" in page
        assert _json(f"{a}/api/search?q=quokka")["total"] == 1  # A's own follower was not held up
    finally:
        os.kill(follower, signal.SIGCONT)
    current = _json(f"{b}/api/search?q=quokka")
    assert current["total"] == 1 and current["index_behind"] == 0

    # B's follower killed: B's server starts another, which applies what the first one missed.
    # (On the same two nodes: starting a pair of servers and building their indexes costs more
    # than any of these steps.)
    first = _follower_pid(index_b)
    os.kill(first, signal.SIGKILL)
    _patch(a, token, {"title": "Wombat decision of the Presidium"})
    _until(lambda: _json(f"{b}/api/search?q=wombat")["total"] == 1, 120)
    assert _follower_pid(index_b) != first
    assert _json(f"{b}/api/search?q=presidium")["index_behind"] == 0


FOLLOW = ("import sys, django; django.setup(); from fonds.catalog.follower import follow; "
          "follow(sys.argv[1], 0.05)")


def test_a_follower_killed_at_random_points_leaves_an_index_that_agrees(transactional_db, corpus, seed_file, tmp_path):
    """kill -9 the follower at random moments, while it builds the index and while ingests add to
    the change log; a follower started afterwards brings the index to exactly the catalog's public
    documents. (The crash test, tests/test_crash.py, kills followers that apply changes during a
    large ingest; this one kills them while they build the index of a node that has none.)"""
    import random

    from fonds.archive.visibility import public
    from fonds.catalog import indexer
    from fonds.catalog.ingest import Ingest
    from fonds.search.engine import Search
    from fonds.search.index import IndexStore, read_position

    # Ingested here rather than by `fonds ingest`: the follower only sees the catalog.
    assert Ingest([corpus / "frus" / "tei" / "frus1955-57v20.xml"], jobs=1, status="published").run().errors == []
    env = {**os.environ, "DATABASE_URL": database_url(), "FONDS_HOME": str(tmp_path / "home"),
           "DJANGO_SETTINGS_MODULE": "fonds.site"}
    index = tmp_path / "index"
    later = [seed_file, *sorted((corpus / "frus-history" / "documents").glob("*.xml"))[:2]]
    chance = random.Random(15)
    for round_ in range(4):
        follower = subprocess.Popen([sys.executable, "-c", FOLLOW, str(index)], env=env)
        # Killed a random moment after it took the index folder (so inside its work, not its start-up).
        _until(lambda: _holds(index, follower.pid), 120)
        if round_ % 2 and later:
            Ingest([later.pop()], jobs=1, status="published").run()
        time.sleep(chance.uniform(0.0, 1.0))
        follower.kill()
        follower.wait()
    follower = subprocess.Popen([sys.executable, "-c", FOLLOW, str(index)], env=env)
    try:
        _until(lambda: read_position(IndexStore(index).current_path()) >= indexer.latest_seq(), 180)
    finally:
        follower.kill()
        follower.wait()
    found = Search(index).matching_ids("")
    assert len(found) == len(set(found)) > 300  # each document once
    assert sorted(found) == sorted(public().values_list("id", flat=True))
