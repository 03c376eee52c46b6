"""Ingest into the catalog: one transaction per file, files read in worker processes.

The main process hashes each file, skips the ones already ingested unchanged, and writes each
file's batch in its own transaction, so a bad file stores nothing and the others go on.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, transaction

from fonds.catalog import models as m
from fonds.catalog.store import write_batch
from fonds.iiif.pages import attach_images
from fonds.ingest import FileError, exit_with_parent, read_file, sha256_of
from fonds.names import slug
from fonds.records import Batch
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
                 sheet_files: Path | None = None):
        self.files = files
        self.sheet_files = sheet_files  # where metadata sheets' files are (`--files DIR`)
        self.jobs = jobs or os.cpu_count() or 1
        self.progress = progress or (lambda path, documents: None)
        self.report = IngestReport()

    def run(self) -> IngestReport:
        """Ingest every file; returns the report (errors included, nothing raised for bad files)."""
        pending = self._changed_files()
        if len(pending) > 1 and self.jobs > 1:
            # Spawned, not forked: reader processes start clean instead of inheriting this process's
            # catalog connection (and whatever transaction it is in).
            with ProcessPoolExecutor(max_workers=self.jobs, mp_context=multiprocessing.get_context("spawn"),
                                     initializer=exit_with_parent, initargs=(os.getpid(),)) as pool:
                self._consume(pool, pending)
        else:
            for path, sha in pending:
                self._store(path, sha, read_file(path, sha, self.sheet_files))
        return self.report

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

    def _consume(self, pool: Executor, pending: list[tuple[Path, str]]) -> None:
        futures = {pool.submit(read_file, path, sha, self.sheet_files): (path, sha) for path, sha in pending}
        for future in as_completed(futures):
            path, sha = futures[future]
            self._store(path, sha, future.result())

    def _store(self, path: Path, sha: str, outcome: Batch | FileError) -> None:
        if isinstance(outcome, FileError):
            self.report.errors.append(outcome)
            self.progress(path, 0)
            return
        try:
            kept = _keep_page_images(outcome)
            with transaction.atomic():
                result = write_batch(outcome)
                for doc_id, images in kept.items():  # the IIIF manifest and the document page show them
                    attach_images(doc_id, images, labels=[f"p. {int(image.stem.split('-')[-1])}" for image in images])
                # A file with problems (a sheet's bad rows) gets no hash, so the next run reads it again.
                m.SourceFile.objects.update_or_create(
                    path=str(path.resolve()),
                    defaults=dict(sha256="" if outcome.problems else sha, format=_format_of(outcome),
                                  records=len(outcome.records)))
        except (DatabaseError, ValueError, OSError) as error:
            self.report.errors.append(FileError(str(path), f"{path}: not stored: {error}"))
            self.progress(path, 0)
            return
        self.report.created += len(result.created)
        self.report.updated += len(result.updated)
        self.report.unchanged += len(result.unchanged)
        self.report.errors += [FileError(str(path), f"{path}:{problem}") for problem in outcome.problems]
        self.report.warnings += [FileError(str(path), f"{path}: {warning}") for warning in outcome.warnings]
        self.progress(path, len(outcome.records))


def _keep_page_images(batch: Batch) -> dict[str, list[Path]]:
    """Move the page images a reader left in a temporary folder (absolute paths in
    source.parts["page_images"], named page-NNNN.*) to media/pages/<record>/, and point the record
    at them there, relative to the media folder; returns the moved images by record id. Paths
    already relative (from an export) are left alone."""
    kept: dict[str, list[Path]] = {}
    for record in batch.records:
        parts = record.source.parts if record.source else {}
        images = [Path(name) for name in parts.get("page_images", "").split(",") if name]
        if not images or not all(image.is_absolute() for image in images):
            continue
        folder = Path("pages") / slug(record.id, max_length=160)
        target = get_settings().media_dir / folder
        shutil.rmtree(target, ignore_errors=True)  # a changed file may have fewer pages now
        target.mkdir(parents=True)
        for image in images:
            shutil.move(image, target / image.name)
        for temporary in {image.parent for image in images}:
            shutil.rmtree(temporary, ignore_errors=True)
        parts["page_images"] = ",".join(str(folder / image.name) for image in images)
        kept[record.id] = [target / image.name for image in images]
    return kept


def _format_of(batch: Batch) -> str:
    first = batch.records[0].provenance if batch.records else None
    return first.format if first else ""
