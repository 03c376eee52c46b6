"""What each kind of job does, and one try of a job: its state, progress, error and retries.

A try may be repeated: a worker killed in the middle of a job has the job handed to another
worker (the broker's message is acknowledged only when the job ends), and a failed job is tried
again after a delay. Every job is therefore safe to run twice: an ingest skips a file already
stored unchanged and replaces documents by record id; enrichment and reindex start over from
the catalog; an export writes aside and renames.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from pathlib import Path

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from fonds.jobs.models import Job
from fonds.settings import get_settings

State = Job.State


class BadInput(Exception):
    """A job that no retry can mend (a file that cannot be read or stored): it fails at once."""


def _acting(job: Job):
    from fonds.archive import roles

    return roles.user_named(job.user) if job.user else None


def _ingest_file(job: Job) -> dict:
    from fonds.archive import changes

    args = job.arguments
    sheet_files = Path(args["sheet_files"]) if args.get("sheet_files") else None
    # Statistics are refreshed once for the whole run, by its last job (`after_run`); the file is
    # linked against the authorities of the run's start.
    known = tuple(args["known"]) if args.get("known") else None
    report = changes.ingest(_acting(job), [Path(args["path"])], jobs=1, status=args.get("status"),
                            operator=job.operator, sheet_files=sheet_files, analyze=False, known=known).run()
    outcome = {"created": report.created, "updated": report.updated, "unchanged": report.unchanged,
               "files_unchanged": report.files_unchanged,
               "warnings": [warning.message for warning in report.warnings],
               "errors": [error.message for error in report.errors]}
    if report.transient:
        raise RuntimeError("; ".join(outcome["errors"]))
    if report.errors:
        raise BadInput("\n".join(outcome["errors"]))
    return outcome


def _enrich(job: Job) -> dict:
    from fonds.archive import changes
    from fonds.catalog.models import Document

    ids = job.arguments.get("ids") or list(Document.objects.order_by("id").values_list("id", flat=True))
    Job.objects.filter(pk=job.pk).update(total=len(ids), done=0)
    report = changes.enrich(_acting(job), ids, operator=job.operator,
                            progress=lambda count: Job.objects.filter(pk=job.pk).update(done=F("done") + count))
    if report.errors:
        raise RuntimeError("\n".join(report.errors))
    return {"documents": report.documents, "updated": report.updated, "unchanged": report.unchanged}


def _reindex(job: Job) -> dict:
    from fonds.catalog.indexer import rebuild

    return {"documents": rebuild(progress=lambda count: Job.objects.filter(pk=job.pk).update(done=F("done") + count))}


def _export(job: Job) -> dict:
    from fonds.archive import roles
    from fonds.archive.visibility import public, public_authorities
    from fonds.catalog import export

    args = job.arguments
    if not args.get("published_only"):
        user = _acting(job)
        if user is not None:
            roles.require(user, roles.READER, "exporting unpublished documents")
    shown = (public(), public_authorities()) if args.get("published_only") else (None, None)
    target = Path(args["path"])
    partial = target.with_name(f".{target.name}.part")
    with open(partial, "w", encoding="utf-8", newline="") as out:
        count = export.write(args.get("format", "jsonl"), out, *shown)
    os.replace(partial, target)  # readers of the file never see half of it
    return {"documents": count}


RUNNERS: dict[str, Callable[[Job], dict]] = {
    Job.Kind.INGEST_FILE: _ingest_file, Job.Kind.ENRICH: _enrich, Job.Kind.REINDEX: _reindex, Job.Kind.EXPORT: _export,
}


def attempt(job_id: int, retries: int, worker: str = "") -> float | None:
    """Run job `job_id` once (its `retries`-th retry); returns the seconds to wait before trying
    again, or None when the job is over (done, or failed for good)."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        return None
    if job.finished_state:
        # Redelivered after it ended (its worker died before acknowledging): what followed its end
        # may not have been done.
        if job.parent_id:
            after_run(job.parent_id)
        return None
    Job.objects.filter(pk=job_id).update(state=State.RUNNING, attempts=F("attempts") + 1, retries=retries,
                                         started=timezone.now(), worker=worker or socket.gethostname())
    try:
        outcome = RUNNERS[job.kind](job)
    except BadInput as error:
        _finish(job, State.FAILED, error=str(error))
        return None
    except Exception as error:  # noqa: BLE001 - any failure is recorded on the job, never dropped
        message = f"{type(error).__name__}: {error}"
        settings = get_settings()
        if retries >= settings.job_retries:
            _finish(job, State.FAILED, error=f"{message} (after {retries} retries)")
            return None
        Job.objects.filter(pk=job_id).update(state=State.RETRYING, error=message)
        return settings.job_retry_delay * 2 ** retries
    _finish(job, State.DONE, outcome=outcome)
    return None


def _finish(job: Job, state: str, outcome: dict | None = None, error: str = "") -> None:
    """End the job, and count it in its parent; a job ends once, however often it was run. The
    job that ends its parent's last file does what follows the run (`after_run`)."""
    with transaction.atomic():
        ended = Job.objects.filter(pk=job.pk, state__in=Job.ACTIVE).update(
            state=state, outcome=outcome or {}, error=error, finished=timezone.now(),
            done=F("total") if state == State.DONE else F("done"))
        if ended and job.parent_id:
            Job.objects.filter(pk=job.parent_id).update(done=F("done") + 1)
            _close_parent(job.parent_id)
    if job.parent_id:
        after_run(job.parent_id)


def after_run(parent_id: int) -> None:
    """What an in-process ingest does after its files, done once for an ingest split into per-file
    jobs when its last file has ended: refresh the planner statistics when the run wrote at least
    `analyze_after` documents. Marked done in the parent's outcome (`after_run`) afterwards, so a
    worker killed before it ran has it done when its job is redelivered; running it twice is harmless."""
    from fonds.catalog.ingest import refresh_statistics

    parent = Job.objects.filter(pk=parent_id, kind=Job.Kind.INGEST).first()
    if parent is None or not parent.finished_state or parent.outcome.get("after_run"):
        return
    outcome = parent.outcome
    analyzed = refresh_statistics(outcome.get("created", 0) + outcome.get("updated", 0))
    Job.objects.filter(pk=parent_id).update(outcome={**outcome, "after_run": True, "analyzed": analyzed})


def _close_parent(parent_id: int) -> None:
    parent = Job.objects.get(pk=parent_id)
    if parent.done < parent.total:
        return
    failed = parent.children.filter(state=State.FAILED).count()
    totals: dict[str, int] = {}
    for outcome in parent.children.values_list("outcome", flat=True):
        for key, value in outcome.items():
            if isinstance(value, int):
                totals[key] = totals.get(key, 0) + value
    Job.objects.filter(pk=parent_id, state__in=Job.ACTIVE).update(
        state=State.FAILED if failed else State.DONE, outcome=totals, finished=timezone.now(),
        error=f"{failed} of {parent.total} files failed" if failed else "")
