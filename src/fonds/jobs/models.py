"""The record of one background job: what it does, where it stands, and what went wrong."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy


class Job(models.Model):
    """One unit of background work. An ingest is a parent job whose children are its files; the
    parent's progress counts its children finished."""

    class Kind(models.TextChoices):
        INGEST = "ingest"
        INGEST_FILE = "ingest-file"
        ENRICH = "enrich"
        REINDEX = "reindex"
        EXPORT = "export"

    class State(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        RETRYING = "retrying"  # failed, and waiting for its next try
        DONE = "done"
        FAILED = "failed"  # for good: bad input, or every retry used

    ACTIVE = (State.QUEUED, State.RUNNING, State.RETRYING)

    kind = models.CharField(max_length=20, choices=Kind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED, db_index=True)
    arguments = models.JSONField(default=dict, help_text="What the job works on (files, document ids, a path).")
    user = models.CharField(max_length=150, blank=True, help_text="Staff user it acts as; empty: the operator.")
    operator = models.CharField(max_length=150, blank=True, help_text="How the history names the operator.")
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    outcome = models.JSONField(default=dict, blank=True, help_text="Counts of what the job did.")
    error = models.TextField(blank=True, help_text="Why it failed (its last failure while it retries).")
    retries = models.PositiveIntegerField(default=0, help_text="Retries after a failure.")
    attempts = models.PositiveIntegerField(default=0, help_text="Times started (a job redone after its worker died counts twice).")
    worker = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = gettext_lazy("job")
        verbose_name_plural = gettext_lazy("jobs")
        indexes = [models.Index(fields=["parent", "state"])]

    def __str__(self) -> str:
        return f"job {self.pk} {self.kind} ({self.state})"

    @property
    def finished_state(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    def describe(self) -> str:
        """What the job works on, in a few words."""
        args = self.arguments
        if self.kind == self.Kind.INGEST_FILE:
            return args.get("path", "")
        if self.kind == self.Kind.INGEST:
            return f"{self.total} files"
        if self.kind == self.Kind.ENRICH:
            return "every document" if args.get("all") else f"{len(args.get('ids', []))} documents"
        if self.kind == self.Kind.EXPORT:
            return f"{args.get('format', 'jsonl')} to {args.get('path', '')}"
        return ""
