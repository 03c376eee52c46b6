"""Ingest into the catalog: one transaction per file, files read in worker processes.

The main process hashes each file, skips the ones already ingested unchanged, and writes each
file's batch in its own transaction, so a bad file stores nothing and the others go on.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, transaction

from fonds.catalog import models as m
from fonds.catalog.store import write_batch
from fonds.ingest import FileError, read_file, sha256_of
from fonds.records import Batch


@dataclass
class IngestReport:
    """Counts for the closing summary line, and every file that failed."""

    files: int = 0
    files_unchanged: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[FileError] = field(default_factory=list)

    @property
    def documents(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        return (f"{self.files} files ({self.files_unchanged} unchanged, {len(self.errors)} failed): "
                f"{self.created} documents created, {self.updated} updated, {self.unchanged} unchanged")


class Ingest:
    """One ingest run over a list of files; `progress` is told after each file."""

    def __init__(self, files: list[Path], jobs: int = 0, progress: Callable[[Path, int], None] | None = None):
        self.files = files
        self.jobs = jobs or os.cpu_count() or 1
        self.progress = progress or (lambda path, documents: None)
        self.report = IngestReport()

    def run(self) -> IngestReport:
        """Ingest every file; returns the report (errors included, nothing raised for bad files)."""
        pending = self._changed_files()
        if len(pending) > 1 and self.jobs > 1:
            with ProcessPoolExecutor(max_workers=self.jobs) as pool:
                self._consume(pool, pending)
        else:
            for path, sha in pending:
                self._store(path, sha, read_file(path, sha))
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
        futures = {pool.submit(read_file, path, sha): (path, sha) for path, sha in pending}
        for future in as_completed(futures):
            path, sha = futures[future]
            self._store(path, sha, future.result())

    def _store(self, path: Path, sha: str, outcome: Batch | FileError) -> None:
        if isinstance(outcome, FileError):
            self.report.errors.append(outcome)
            self.progress(path, 0)
            return
        try:
            with transaction.atomic():
                result = write_batch(outcome)
                m.SourceFile.objects.update_or_create(
                    path=str(path.resolve()),
                    defaults=dict(sha256=sha, format=_format_of(outcome), records=len(outcome.records)))
        except (DatabaseError, ValueError) as error:
            self.report.errors.append(FileError(str(path), f"{path}: not stored: {error}"))
            self.progress(path, 0)
            return
        self.report.created += len(result.created)
        self.report.updated += len(result.updated)
        self.report.unchanged += len(result.unchanged)
        self.progress(path, len(outcome.records))


def _format_of(batch: Batch) -> str:
    first = batch.records[0].provenance if batch.records else None
    return first.format if first else ""
