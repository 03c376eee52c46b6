"""Ingest into the catalog: one transaction per file, files read in worker processes.

The main process hashes each file, skips the ones already ingested unchanged, and writes each
file's batch in its own transaction, so a bad file stores nothing and the others go on. A reader
that crashes, or a reader process that dies, costs its file only.

A record id belongs to the file that stored it: another file with the same id is refused with an
error naming both, unless the first file no longer exists where it was (it was moved or renamed),
in which case the new file takes the id over and updates the document.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, connection, transaction

from fonds.catalog import models as m
from fonds.catalog.models import PageImage
from fonds.catalog.pages import PAGES_FOLDER, attach_images
from fonds.catalog.store import (INGEST, Origin, authority_snapshot, documents_with_details, stored_findings, to_record,
                                 write_batch)
from fonds.ingest import FileError, prepare, read_file, read_file_for_transfer, received, sha256_of
from fonds.records import Authority, Batch, Finding
from fonds.settings import get_settings


@dataclass
class IngestReport:
    """Counts for the closing summary line, and every file that failed."""

    files: int = 0
    files_unchanged: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[FileError] = field(default_factory=list)
    warnings: list[FileError] = field(default_factory=list)  # what readers could not map; stored all the same
    # Files not stored because of a database error (a lock, a conflict with a concurrent writer):
    # unlike bad input, trying again may store them (the jobs retry these).
    transient: list[str] = field(default_factory=list)

    @property
    def documents(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        failed = len({error.path for error in self.errors})  # a sheet may report several bad rows
        return (f"{self.files} files ({self.files_unchanged} unchanged, {failed} failed): "
                f"{self.created} documents created, {self.updated} updated, {self.unchanged} unchanged")


class Ingest:
    """One ingest run over a list of files; `progress` is told after each file."""

    def __init__(self, files: list[Path], jobs: int = 0, progress: Callable[[Path, int], None] | None = None,
                 refused: list[FileError] = (), origin: Origin = INGEST, status: str | None = None,
                 sheet_files: Path | None = None, analyze: bool = True, known: tuple[int, int] | None = None):
        """`refused`: files `discover` would not read (links out of a folder), reported as failed;
        `status`: what a new document whose file states none gets (default: the ingest_status
        setting); `sheet_files`: where metadata sheets' files are (`--files DIR`); `analyze`:
        refresh the planner statistics after a large run (off for one file of a run split into
        jobs, whose last job does it for the whole run); `known`: link against the authorities
        of that earlier moment (`store.snapshot_mark`; a run split into jobs gives its start)."""
        self.files = files
        self.origin, self.status = origin, status or get_settings().ingest_status
        self.sheet_files = sheet_files
        self.analyze, self.known = analyze, known
        self.jobs = jobs or os.cpu_count() or 1
        self.progress = progress or (lambda path, documents: None)
        self.report = IngestReport(files=len(refused), errors=list(refused))

    def run(self) -> IngestReport:
        """Ingest every file; returns the report (errors included, nothing raised for bad files)."""
        pending = self._changed_files()
        if not pending:
            return self.report
        # The archive's authorities, with every variant, for the enrichers to link against: taken
        # once per run and handed to each reader process once.
        archive = authority_snapshot(self.known)
        if len(pending) > 1 and self.jobs > 1:
            crashed = self._consume(self._pool(self.jobs, archive), pending)
            # A dead reader process takes the files in flight with it; each is read again alone, so
            # only the file that kills its reader fails.
            for path, sha in crashed:
                again = self._consume(self._pool(1, archive), [(path, sha)])
                if again:
                    self._store(path, sha, FileError(str(path), f"{path}: the reader process died while reading "
                                                                "this file (out of memory, or a crash in a library)"))
        else:
            prepare(archive)
            for path, sha in pending:
                self._store(path, sha, read_file(path, sha, self.sheet_files))
        if self.analyze:
            refresh_statistics(self.report.created + self.report.updated)
        return self.report

    @staticmethod
    def _pool(workers: int, archive: list[Authority]) -> ProcessPoolExecutor:
        # Spawned, not forked: reader processes start clean instead of inheriting this process's
        # catalog connection (and whatever transaction it is in); each indexes the archive's
        # authorities once (`prepare`).
        return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=prepare, initargs=(archive, os.getpid()))

    def _changed_files(self) -> list[tuple[Path, str]]:
        known = dict(m.SourceFile.objects.values_list("path", "sha256"))
        pending = []
        for path in self.files:
            self.report.files += 1
            try:
                sha = sha256_of(path)
            except OSError as error:
                self.report.errors.append(FileError(str(path), f"{path}: cannot read: {error.strerror or error}"))
                self.progress(path, 0)
                continue
            if known.get(str(path.resolve())) == sha:
                self.report.files_unchanged += 1
                self.progress(path, 0)
            else:
                pending.append((path, sha))
        return pending

    def _consume(self, pool: Executor, pending: list[tuple[Path, str]]) -> list[tuple[Path, str]]:
        """Read `pending` in `pool` and store each file in the order given, as soon as it and
        the files before it are read; returns the files whose reader process died.

        Storing in the order of the files, not in the order the readers finish, makes the catalog
        the same whatever the number of readers and however they are scheduled: authorities that
        two files both name are created by the first of them (its id, its fields), and the
        change log and history list documents in file order."""
        crashed = []
        with pool:
            futures = {pool.submit(read_file_for_transfer, path, sha, self.sheet_files): (path, sha)
                       for path, sha in pending}
            for future, (path, sha) in futures.items():
                try:
                    outcome = received(future.result())
                except BrokenProcessPool:
                    crashed.append((path, sha))
                    continue
                except Exception as error:  # noqa: BLE001 - e.g. a result that cannot be sent back
                    outcome = FileError(str(path), f"{path}: the reader failed ({type(error).__name__}: {error})")
                self._store(path, sha, outcome)
        return crashed

    def _store(self, path: Path, sha: str, outcome: Batch | FileError) -> None:
        if isinstance(outcome, FileError):
            self.report.errors.append(outcome)
            self.progress(path, 0)
            return
        pages = PagePlacement(outcome, sha)
        try:
            with transaction.atomic():
                _check_ids_are_ours(path, outcome)
                result = write_batch(outcome, self.origin, self.status)
                pages.attach()  # the IIIF manifest and the document page show them
                # A file with problems (a sheet's bad rows) gets no hash, so the next run reads it again.
                m.SourceFile.objects.update_or_create(
                    path=str(path.resolve()),
                    defaults=dict(sha256="" if outcome.problems else sha, format=_format_of(outcome),
                                  records=len(outcome.records)))
        except (DatabaseError, ValueError, OSError) as error:
            pages.undo()
            self.report.errors.append(FileError(str(path), f"{path}: not stored: {error}"))
            if isinstance(error, DatabaseError):
                self.report.transient.append(str(path))
            self.progress(path, 0)
            return
        finally:
            pages.discard_temporary()
        pages.prune()
        self.report.created += len(result.created)
        self.report.updated += len(result.updated)
        self.report.unchanged += len(result.unchanged)
        self.report.errors += [FileError(str(path), f"{path}:{problem}") for problem in outcome.problems]
        self.report.warnings += [FileError(str(path), f"{path}: {warning}") for warning in outcome.warnings]
        self.progress(path, len(outcome.records))


def refresh_statistics(written: int) -> bool:
    """After an ingest that wrote at least `analyze_after` documents, refresh the planner's
    statistics (ANALYZE), so that it keeps choosing indexes by what they select: without them SQLite
    may walk the `status` index (every published document) to find twenty documents by id.
    Returns whether it ran."""
    if written < get_settings().analyze_after:
        return False
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return True


class DuplicateId(ValueError):
    """A record id already stored from another file that still exists."""


def _check_ids_are_ours(path: Path, batch: Batch) -> None:
    """Refuse a batch that would take over a record id stored from another, existing file."""
    incoming = {record.id: (record.provenance.file if record.provenance and record.provenance.file else str(path))
                for record in batch.records}
    stored = m.Document.objects.filter(id__in=list(incoming)).exclude(provenance_file="")
    for doc_id, other in stored.values_list("id", "provenance_file").order_by("id"):
        mine = incoming[doc_id]
        if other != mine and _exists(other) and not _same_file(other, mine):
            raise DuplicateId(f"record id {doc_id!r} is already stored from {other}; a record id belongs to one "
                              "file (change the id, or remove or move the other file to hand the id over)")


def _exists(name: str) -> bool:
    try:
        return Path(name).is_file()
    except (OSError, ValueError):  # a URL (harvested records), or a name the system cannot take
        return False


def _same_file(one: str, other: str) -> bool:
    try:
        return os.path.samefile(one, other)
    except (OSError, ValueError):
        return Path(one).resolve() == Path(other).resolve()


class PagePlacement:
    """Moves the page images a reader made (the batch's `scans`, in the reader's temporary folder)
    into the media folder, inside the file's transaction: each document's images go to a new folder
    media/pages/<record>/<file hash>/, so the images the catalog points at stay untouched until
    the new ones are stored. `undo` removes what a failed store placed, `prune` the images a
    stored document no longer uses, `discard_temporary` the reader's folders. Nothing outside the
    media folder and the reader's own temporary folders is ever moved or deleted."""

    def __init__(self, batch: Batch, sha: str):
        self.root = get_settings().media_dir
        self.scans = {doc_id: [Path(name) for name in names] for doc_id, names in batch.scans.items() if names}
        # Record ids are safe as folder names (no separator, never only dots: fonds.records.Id).
        self.folders = {doc_id: Path(PAGES_FOLDER) / doc_id / sha[:12] for doc_id in self.scans}
        self.created: list[Path] = []
        self.old: list[str] = []
        for record in batch.records:
            if record.id in self.scans and record.source is not None:
                record.source.parts["page_images"] = ",".join(
                    (self.folders[record.id] / image.name).as_posix() for image in self.scans[record.id])

    def attach(self) -> None:
        """Copy each document's images into its new folder and make them its page images."""
        self.old = list(PageImage.objects.filter(document_id__in=list(self.scans)).values_list("path", flat=True))
        for doc_id, images in self.scans.items():
            target = self.root / self.folders[doc_id]
            if not target.exists():
                target.mkdir(parents=True)
                self.created.append(target)
            for image in images:
                shutil.copyfile(image, target / image.name)
            attach_images(doc_id, [target / image.name for image in images],
                          labels=[f"p. {int(image.stem.split('-')[-1])}" for image in images])

    def undo(self) -> None:
        for folder in self.created:
            shutil.rmtree(folder, ignore_errors=True)

    def prune(self) -> None:
        kept = {(self.folders[doc_id] / image.name).as_posix()
                for doc_id, images in self.scans.items() for image in images}
        root = self.root.resolve()
        for name in set(self.old) - kept:
            old = (root / name).resolve()
            if old.is_relative_to(root / PAGES_FOLDER):
                old.unlink(missing_ok=True)
                if not any(old.parent.iterdir()):
                    old.parent.rmdir()

    def discard_temporary(self) -> None:
        for folder in {image.parent for images in self.scans.values() for image in images}:
            if folder.name.startswith("fonds-pages-"):  # made by fonds.readers.ocr.page_folder
                shutil.rmtree(folder, ignore_errors=True)


def _format_of(batch: Batch) -> str:
    first = batch.records[0].provenance if batch.records else None
    return first.format if first else ""


@dataclass
class EnrichReport:
    """What `fonds enrich` did."""

    documents: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.documents} documents enriched again: {self.updated} updated, {self.unchanged} unchanged, "
                f"{len(self.errors)} failed")


def enrich_stored(ids: list[str], origin: Origin, chunk: int = 200,
                  progress: Callable[[int], None] | None = None) -> EnrichReport:
    """Run the enrichers again over stored documents: each starts from what its source gave (the
    values its findings say the enrichers set are taken off), is linked against the archive's
    authorities as they are now, and is written back through `write_batch` (curated values applied
    again, a change-log row per changed document, so search follows). One transaction per chunk."""
    from fonds.enrich import pipeline

    report = EnrichReport()
    base = pipeline.base_index(authority_snapshot())
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        docs = list(documents_with_details(m.Document.objects.filter(id__in=part), with_pending=True))
        found: dict[str, list[Finding]] = {}
        for finding in stored_findings(part):
            found.setdefault(finding.record, []).append(finding)
        records = [pipeline.unenriched(to_record(doc), found.get(doc.id, [])) for doc in docs]
        # Reader findings (the reconciliation's) are kept: they stay true of the source's links.
        kept = [f for doc in docs for f in found.get(doc.id, []) if f.enricher not in pipeline.ENRICHERS]
        batch = pipeline.enrich(Batch(records=records, findings=kept), base=base)
        try:
            with transaction.atomic():
                result = write_batch(batch, origin)
        except (DatabaseError, ValueError) as error:
            report.errors.append(f"documents {part[0]}..{part[-1]}: not stored: {error}")
            continue
        report.documents += len(records)
        report.updated += len(result.updated)
        report.unchanged += len(result.unchanged)
        if progress:
            progress(len(records))
    return report
