"""The state of one node of the archive, for `/health` and `fonds status`: the catalog answers,
how far this node's search index is behind the catalog's change log, whether the job broker
answers, and which workers do."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.db import DatabaseError, connection

from fonds.catalog import indexer
from fonds.search.index import POINTER, read_position
from fonds.settings import get_settings


@dataclass
class Health:
    """Each part's state; `ok` is false only when the catalog cannot be read (the node is down).
    An index behind, or a broker or workers missing, leave it up but `degraded`."""

    catalog: dict = field(default_factory=dict)
    index: dict = field(default_factory=dict)
    broker: dict = field(default_factory=dict)
    workers: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.catalog.get("ok"))

    @property
    def status(self) -> str:
        if not self.ok:
            return "down"
        broker_missing = self.broker.get("configured") and not (self.broker.get("ok") and self.workers)
        return "degraded" if broker_missing or self.index.get("behind") else "ok"

    def to_json(self, errors: bool = True) -> dict:
        """As JSON; without `errors` the failures' messages (which may name hosts) are left out."""
        data = {"status": self.status, **asdict(self)}
        if not errors:
            for part in ("catalog", "broker"):
                data[part].pop("error", None)
        return data


def index_position(root: Path) -> int | None:
    """The change-log position this node's index has applied; None when it has no index yet."""
    pointer = root / POINTER
    if not pointer.exists():
        return None
    return read_position(root / pointer.read_text().strip())


def check(worker_timeout: float = 0.5) -> Health:
    """Look at every part (each answers or is reported down; nothing raises)."""
    health = Health()
    try:
        latest = indexer.latest_seq()
        health.catalog = {"ok": True, "engine": connection.vendor, "latest_change": latest}
    except DatabaseError as error:
        health.catalog = {"ok": False, "engine": connection.vendor, "error": str(error).strip()}
        latest = None
    position = index_position(indexer.index_root())
    health.index = {"position": position, "behind": None if latest is None else latest - (position or 0)}
    health.broker, health.workers = _broker(worker_timeout)
    return health


def _broker(timeout: float) -> tuple[dict, list[str]]:
    if not get_settings().broker_url:
        return {"configured": False}, []
    from fonds.jobs.queue import configure, workers

    try:
        with configure().connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
        return {"configured": True, "ok": True}, workers(timeout)
    except Exception as error:  # noqa: BLE001 - any broker failure is a state to report
        return {"configured": True, "ok": False, "error": f"{type(error).__name__}: {error}"}, []
