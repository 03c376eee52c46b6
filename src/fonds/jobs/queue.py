"""Submitting jobs: to Celery workers through the broker when `broker_url` is set, else run here.

Each job is a `Job` row first, then a message naming the row: the row says where the job stands
whichever process runs it. Messages are acknowledged only when the job ends (`acks_late`), so a
worker killed mid-job (kill -9, a lost machine) leaves its message to be handed to another worker
after `job_visibility_timeout`; a failed try is retried with a doubling delay.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from celery import Celery
from django.db import DatabaseError, transaction

from fonds.jobs import tasks
from fonds.jobs.models import Job
from fonds.settings import Settings, get_settings

app = Celery("fonds")
TASK = "fonds.jobs.run"
QUEUE = "fonds"


def configure(settings: Settings | None = None) -> Celery:
    """Point the Celery app at the broker of `settings`."""
    settings = settings or get_settings()
    visibility = settings.job_visibility_timeout
    app.conf.update(
        broker_url=settings.broker_url,
        task_ignore_result=True,  # a job's outcome is on its Job row
        task_acks_late=True,
        task_reject_on_worker_lost=True,  # a job process that dies: its job goes back to the queue
        worker_prefetch_multiplier=1,  # a worker holds only the jobs it runs, so the others go to idle workers
        task_default_queue=QUEUE,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        # Messages of a worker that vanished come back after visibility_timeout; look for them often.
        broker_transport_options={"visibility_timeout": visibility, "unacked_restore_interval": min(10, visibility),
                                  "unacked_restore_throttle": 1},
    )
    return app


@app.task(name=TASK, bind=True)
def run_job(self, job_id: int) -> None:
    """The Celery task: one try of a job; a failed try is sent back with its delay."""
    try:
        delay = tasks.attempt(job_id, self.request.retries, worker=self.request.hostname or "")
    except DatabaseError as error:
        # The catalog itself is out of reach, so the job's row cannot record anything: keep the
        # message going round until it is back, instead of letting it be acknowledged and lost.
        wait = get_settings().job_retry_delay * 2 ** min(self.request.retries, 6)
        raise self.retry(exc=error, countdown=wait, max_retries=None) from error
    if delay is not None:
        raise self.retry(countdown=delay, max_retries=None)


def queued() -> bool:
    """Whether jobs go to workers (a broker is configured)."""
    return bool(get_settings().broker_url)


def run_here(job_id: int) -> None:
    """Run a job in this process, retries and their delays included."""
    retries = 0
    while (delay := tasks.attempt(job_id, retries)) is not None:
        time.sleep(delay)
        retries += 1


def _dispatch(jobs: Iterable[Job]) -> None:
    ids = [job.pk for job in jobs]
    if queued():
        configure()
        # After the rows are committed, so a fast worker never looks for a row not there yet.
        transaction.on_commit(lambda: [run_job.apply_async((job_id,), queue=QUEUE) for job_id in ids])
    else:
        for job_id in ids:
            run_here(job_id)


def submit(kind: str, arguments: dict, user: str = "", operator: str = "") -> Job:
    """Record a job and send it to the workers (or run it now, without a broker)."""
    job = Job.objects.create(kind=kind, arguments=arguments, user=user, operator=operator)
    _dispatch([job])
    return job


def submit_ingest(files: list[Path], user: str = "", operator: str = "", status: str | None = None,
                  sheet_files: Path | None = None) -> Job:
    """An ingest as one job per file under a parent job that counts them. Every file is linked
    against the authorities of the run's start, whichever order the workers take the files in
    (as an in-process run links them)."""
    from fonds.catalog.store import snapshot_mark

    common = {"status": status, "sheet_files": str(sheet_files.resolve()) if sheet_files else None,
              "known": list(snapshot_mark())}
    with transaction.atomic():
        parent = Job.objects.create(kind=Job.Kind.INGEST, arguments=common, user=user, operator=operator,
                                    total=len(files), state=Job.State.RUNNING if files else Job.State.DONE)
        children = Job.objects.bulk_create(
            Job(kind=Job.Kind.INGEST_FILE, parent=parent, arguments={**common, "path": str(path.resolve())},
                user=user, operator=operator, total=1) for path in files)
        if queued():
            _dispatch(children)
    if not queued():
        _dispatch(children)
    return parent


def wait(job: Job, progress: Callable[[Job], None] | None = None, poll: float = 0.5) -> Job:
    """Wait until `job` ends, telling `progress` of each change; returns the ended job."""
    seen = None
    while True:
        job.refresh_from_db()
        if (job.state, job.done) != seen and progress:
            progress(job)
        seen = (job.state, job.done)
        if job.finished_state:
            return job
        time.sleep(poll)


def workers(timeout: float = 1.0) -> list[str]:
    """Names of the workers answering a ping through the broker (empty without one)."""
    if not queued():
        return []
    replies = configure().control.ping(timeout=timeout) or []
    return sorted(name for reply in replies for name in reply)
