"""A node's index follower: keeps this node's search index current from the catalog's change log.

`fonds serve` starts one follower process beside its web workers, so no request ever applies
changes itself: a request only waits, for at most `search_wait` seconds, for the follower to
reach the change that was latest when the request came in (`wait_for`). The follower holds a
lock file in the index folder for as long as it runs, so that one process at most writes the
folder: a second server on the same machine and folder leaves the following to the first (and
takes it over should that one stop). A process with no follower beside it (`fonds search`, the
test client, `runserver`) catches up itself.

A node whose index is empty builds it from the whole catalog first (`indexer.rebuild`, by
document, far quicker than replaying every change), then follows the change log.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

from fonds.catalog import indexer
from fonds.catalog import models as m
from fonds.search.index import IndexStore, read_position

FOLLOWER_LOCK = "follower.lock"
POLL = 0.02  # seconds between two looks at the index position by a waiting request

log = logging.getLogger(__name__)


_followed_elsewhere = False


def followed_elsewhere() -> None:
    """Say that a follower process keeps this process's index current (`fonds serve` says so before
    its web workers start): a request then never catches up itself, even while the follower restarts."""
    global _followed_elsewhere
    _followed_elsewhere = True


class FollowerBusy(RuntimeError):
    """Another process already follows the change log into this index folder."""


def follower_running(root: Path) -> bool:
    """Whether a follower holds this index folder's follower lock (in any process, this one included)."""
    path = Path(root) / FOLLOWER_LOCK
    if not path.exists():
        return False
    with open(path) as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


@dataclass
class Lag:
    """How far an index is behind the catalog: change-log positions, and the age of the oldest
    change it lacks (0 and 0.0 when current)."""

    changes: int = 0
    seconds: float = 0.0


def lag(root: Path, latest: int | None = None) -> Lag:
    """The lag of the index in `root` behind the catalog (two primary-key lookups, whatever the size)."""
    position = read_position(IndexStore(root).current_path())
    latest = indexer.latest_seq() if latest is None else latest
    if position >= latest:
        return Lag()
    oldest = m.Change.objects.filter(seq__gt=position).order_by("seq").values_list("at", flat=True).first()
    age = (time.time() - oldest.timestamp()) if oldest else 0.0
    # Sequence numbers can skip (a rolled-back transaction): the difference is an upper bound.
    return Lag(changes=latest - position, seconds=round(max(age, 0.0), 1))


def wait_for(root: Path, seconds: float) -> Lag:
    """Bring the index in `root` up to the catalog's latest change, or as near as `seconds` allow:
    wait for the node's follower, or (no follower in this node) catch up here. Returns the lag left."""
    latest = indexer.latest_seq()
    if not _followed_elsewhere and not follower_running(root):
        indexer.catch_up(root, timeout=seconds)
        return lag(root, latest)
    store = IndexStore(root)
    deadline = time.monotonic() + seconds
    while read_position(store.current_path()) < latest and time.monotonic() < deadline:
        time.sleep(POLL)
    return lag(root, latest)


def _empty(root: Path) -> bool:
    return read_position(IndexStore(root).current_path()) == 0


def step(root: Path, names: bool = True) -> int:
    """One round of following: build the index if it has never been built, else apply new changes
    (with `names`, then store the name groups: see `indexer.catch_up`)."""
    if _empty(root) and indexer.latest_seq() > 0:
        log.info("building the search index in %s from the catalog", root)
        return indexer.rebuild(root)
    return indexer.catch_up(root, timeout=None, names=names)


def follow(root: Path, interval: float, ready: Callable[[], None] = lambda: None,
           running: Callable[[], bool] = lambda: True, names: bool = True) -> None:
    """Follow the change log into the index in `root` until `running()` turns false. Calls
    `ready()` once it holds the follower lock. A failing round (catalog unreachable) is logged
    and tried again after `interval`; the index stays as it was (the position is written after
    tantivy commits). `names=False` leaves the name groups to whoever stops the follower."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / FOLLOWER_LOCK, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FollowerBusy(f"{root}: another process follows the change log into this index folder") from None
        handle.truncate(0)
        handle.write(str(os.getpid()))
        handle.flush()
        ready()
        while running():
            try:
                step(root, names)
            except Exception:  # noqa: BLE001 - a follower must outlive a bad round; the next one retries
                log.exception("index follower round failed; retrying in %s s", interval)
                connection.close()  # a fresh connection next round, should this one be broken
            _pause(interval, running)


def _pause(seconds: float, running: Callable[[], bool]) -> None:
    """Sleep `seconds`, or less if `running()` turns false meanwhile (an ingest's indexing process
    waits seconds between rounds, and its ingest must not wait that long for it to stop)."""
    deadline = time.monotonic() + seconds
    while running() and (left := deadline - time.monotonic()) > 0:
        time.sleep(min(0.1, left))
