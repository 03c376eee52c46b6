"""Background jobs: real Celery workers (`fonds worker` processes) on the real Redis, against the
test database (SQLite file or PostgreSQL); one is killed with SIGKILL in the middle of a file.

The broker is the Redis at $FONDS_TEST_BROKER_URL (default redis://127.0.0.1:6379/1), a database
number these tests own: it is emptied before they start.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import CORPUS, SEED, database_url, require

BROKER = os.environ.get("FONDS_TEST_BROKER_URL", "redis://127.0.0.1:6379/1")
VOLUME = CORPUS / "frus" / "tei" / "frus1955-57v20.xml"  # a few seconds to ingest: long enough to be killed in
ANALYZE_AFTER = 318  # the workers' analyze_after: the volume and the seed page together reach it, neither alone


@pytest.fixture(scope="module")
def broker():
    import redis

    try:
        client = redis.Redis.from_url(BROKER)
        client.ping()
    except redis.ConnectionError:
        require(False, f"no Redis at {BROKER} (set FONDS_TEST_BROKER_URL)")
    client.flushdb()
    return BROKER


@pytest.fixture
def queue_settings(monkeypatch, broker):
    """This process submits to the broker, with short retry delays."""
    from fonds.settings import get_settings

    settings = get_settings()
    monkeypatch.setattr(settings, "broker_url", broker)
    monkeypatch.setattr(settings, "job_retry_delay", 0.1)
    return settings


class Workers:
    """`fonds worker` processes against the test database, each in its own process group."""

    def __init__(self, home: Path, broker: str):
        self.env = {**os.environ, "DATABASE_URL": database_url(), "FONDS_HOME": str(home), "FONDS_BROKER_URL": broker,
                    "FONDS_JOB_RETRIES": "2", "FONDS_JOB_RETRY_DELAY": "0.1", "FONDS_JOB_VISIBILITY_TIMEOUT": "2",
                    "FONDS_ANALYZE_AFTER": str(ANALYZE_AFTER)}
        self.log = home.parent / "workers.log"
        self.processes: list[subprocess.Popen] = []

    def start(self) -> subprocess.Popen:
        with open(self.log, "a") as log:
            process = subprocess.Popen([sys.executable, "-m", "fonds", "worker", "--concurrency", "1"], env=self.env,
                                       stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL the worker and its job processes at once: nothing of them gets to clean up."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)

    def alive(self) -> list[subprocess.Popen]:
        return [process for process in self.processes if process.poll() is None]


@pytest.fixture(scope="module")
def worker_pool(tmp_path_factory, broker):
    """Workers shared by the module's tests (a worker left running by one test serves the next:
    starting one costs more than most of these tests)."""
    pool = Workers(tmp_path_factory.mktemp("workers") / "home", broker)
    yield pool
    pool.stop()


@pytest.fixture
def workers(transactional_db, worker_pool):
    return worker_pool


def _until(condition, timeout: float = 180, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _records_in(paths: list[Path]) -> set[str]:
    """The record ids the files hold, read by the readers in this process."""
    from fonds.ingest import read_file, sha256_of

    return {record.id for path in paths for record in read_file(path, sha256_of(path)).records}


def test_worker_killed_mid_file_has_its_file_redone_once(workers, queue_settings):
    from django.db.models import Count

    from fonds.catalog import models as m
    from fonds.jobs.models import Job
    from fonds.jobs.queue import submit_ingest, wait

    for running in workers.alive():  # the victim must be the only worker
        workers.kill(running)
    first = workers.start()
    files = [VOLUME, CORPUS / "seed" / SEED.name]  # one worker process: the volume's job runs first
    parent = submit_ingest(files, status="published")
    victim = None

    def running():
        nonlocal victim
        victim = Job.objects.filter(parent=parent, state=Job.State.RUNNING).first()
        return victim is not None

    _until(running, what="a file's job to start")
    time.sleep(0.5)
    workers.kill(first)
    victim.refresh_from_db()
    assert victim.state == Job.State.RUNNING, "the worker was to be killed in the middle of a file"
    workers.start()
    parent = wait(parent, poll=0.2)
    assert parent.state == Job.State.DONE, [child.error for child in parent.children.all()]
    victim.refresh_from_db()
    assert victim.state == Job.State.DONE and victim.attempts == 2
    expected = _records_in(files)
    assert set(m.Document.objects.values_list("id", flat=True)) == expected
    # Each document written once: one revision each, however often its file was started.
    twice = m.Revision.objects.filter(kind="document").values("object_id").annotate(n=Count("id")).filter(n__gt=1)
    assert list(twice) == []
    assert parent.outcome["created"] + parent.outcome["unchanged"] == len(expected)
    assert m.SourceFile.objects.count() == len(files)
    # The run as a whole wrote enough to refresh the planner statistics: done once, after its last
    # file (by the job that closed the run, just after it marked the run done).
    assert len(expected) >= ANALYZE_AFTER > max(len(_records_in([path])) for path in files)
    _until(lambda: "after_run" in Job.objects.get(pk=parent.pk).outcome, timeout=60, what="the run's closing step")
    parent.refresh_from_db()
    assert parent.outcome["after_run"] is True and parent.outcome["analyzed"] is True


def test_failing_jobs_retry_with_backoff_then_fail_visibly(workers, queue_settings, tmp_path):
    from fonds import health
    from fonds.jobs.models import Job
    from fonds.jobs.queue import submit, submit_ingest, wait, workers as answering

    if not workers.alive():
        workers.start()
    _until(lambda: answering(), timeout=60, what="the worker to answer")
    state = health.check(worker_timeout=1.0)
    assert state.broker == {"configured": True, "ok": True} and state.workers == answering()
    missing = tmp_path / "no-such-folder" / "out.jsonl"
    export = wait(submit(Job.Kind.EXPORT, {"format": "jsonl", "path": str(missing)}), poll=0.2)
    assert export.state == Job.State.FAILED
    assert export.retries == 2 and export.attempts == 3  # FONDS_JOB_RETRIES=2 in the worker
    assert "no-such-folder" in export.error and "after 2 retries" in export.error
    bad = tmp_path / "broken.xml"
    bad.write_text("<TEI><text>unclosed", encoding="utf-8")
    ingest = wait(submit_ingest([bad]), poll=0.2)
    child = ingest.children.get()
    # Bad input is not retried: it fails at once, naming the file.
    assert child.state == Job.State.FAILED and child.retries == 0 and str(bad) in child.error
    assert ingest.state == Job.State.FAILED and ingest.error == "1 of 1 files failed"


def test_without_a_broker_jobs_run_here(transactional_db, tmp_path, monkeypatch):
    from fonds.catalog import models as m
    from fonds.jobs.models import Job
    from fonds.jobs.queue import submit, submit_ingest
    from fonds.settings import get_settings

    monkeypatch.setattr(get_settings(), "broker_url", None)
    monkeypatch.setattr(get_settings(), "job_retry_delay", 0.01)
    ingest = submit_ingest([CORPUS / "seed" / SEED.name], status="published")
    ingest.refresh_from_db()
    assert ingest.state == Job.State.DONE and ingest.outcome["created"] == 1
    assert ingest.outcome["after_run"] is True and ingest.outcome["analyzed"] is False  # one document: no ANALYZE
    out = tmp_path / "all.jsonl"
    export = submit(Job.Kind.EXPORT, {"format": "jsonl", "path": str(out)})
    export.refresh_from_db()
    assert export.state == Job.State.DONE and export.outcome == {"documents": 1}
    assert out.read_text(encoding="utf-8").count("\n") >= m.Document.objects.count()
    failing = submit(Job.Kind.EXPORT, {"format": "jsonl", "path": str(tmp_path / "nowhere" / "x.jsonl")})
    failing.refresh_from_db()
    assert failing.state == Job.State.FAILED and failing.retries == get_settings().job_retries


def test_jobs_on_the_command_line_and_the_staff_page(cli, tmp_path, admin_client):
    from fonds.jobs.models import Job

    done = cli("export", "--job", "-o", str(tmp_path / "out.jsonl"), check=True)
    assert "done" in done.stdout
    refused = cli("export", "--job", "-o", str(tmp_path / "nowhere" / "out.jsonl"))
    assert refused.returncode == 2 and "no such folder" in refused.stderr
    failed = Job.objects.create(kind=Job.Kind.EXPORT, state=Job.State.FAILED, retries=3, error="OSError: disk full")
    listing = cli("jobs", check=True).stdout
    assert f"{failed.pk}\texport\tfailed" in listing and "OSError: disk full" in listing
    shown = cli("jobs", "show", str(failed.pk), check=True).stdout
    assert "retries: 3" in shown and "error: OSError: disk full" in shown
    assert cli("jobs", "show", "999999").returncode == 1
    page = admin_client.get("/admin/fonds_jobs/job/")
    assert page.status_code == 200
    assert "OSError: disk full" in page.content.decode() and "failed" in page.content.decode()


def _catalog_as_exported() -> list[dict]:
    """Every record and authority of the catalog as `fonds export` writes them (the ingest time left out)."""
    import io
    import json

    from fonds.catalog import export

    out = io.StringIO()
    export.write("jsonl", out, None, None)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    for row in rows:
        if row.get("provenance"):
            row["provenance"]["ingested_at"] = None
    return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True))


def test_a_run_split_into_file_jobs_stores_what_an_in_process_run_stores(transactional_db, monkeypatch):
    """Each file's job links against the authorities of the run's start, as the files of one
    in-process run are: a person an earlier file of the run made known ("Slany, William Z." of the
    1976 memorandum) is not linked from a later file's bare mention (the 1988 minutes) by the one
    and not by the other, whatever order the jobs run in. (The jobs run here, without a broker:
    the same code a worker runs.)"""
    from fonds.catalog.ingest import Ingest
    from fonds.jobs.models import Job
    from fonds.jobs.queue import submit_ingest
    from fonds.settings import get_settings
    from tests.conftest import empty_catalog

    monkeypatch.setattr(get_settings(), "broker_url", None)
    files = sorted((CORPUS / "frus-history" / "documents").glob("*.xml"))
    assert Ingest(files, jobs=1, status="published").run().errors == []
    in_process = _catalog_as_exported()
    empty_catalog()
    parent = submit_ingest(files, status="published")
    parent.refresh_from_db()
    assert parent.state == Job.State.DONE
    assert _catalog_as_exported() == in_process
