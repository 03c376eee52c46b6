"""The staff page of background jobs (Django admin): state, progress, retries and errors, read only."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from fonds.archive import roles
from fonds.jobs.models import Job


class FileJobInline(admin.TabularInline):
    """An ingest's jobs, one per file."""

    model = Job
    fk_name = "parent"
    fields = readonly_fields = ("id", "state", "what", "retries", "attempts", "worker", "error")
    extra = 0
    can_delete = False
    verbose_name = gettext_lazy("file")

    @admin.display(description=gettext_lazy("file"))
    def what(self, job: Job) -> str:
        return job.describe()

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Every job, newest first; staff with the reader role see them, nobody edits them."""

    list_display = ("id", "kind", "shown_state", "progress", "retries", "what", "created", "finished", "short_error")
    list_filter = ("state", "kind")
    fields = readonly_fields = ("kind", "state", "what", "user", "operator", "progress", "attempts", "retries", "worker",
                                "created", "started", "finished", "outcome", "error")
    inlines = [FileJobInline]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(parent__isnull=True)  # a file's job shows in its ingest

    @admin.display(description=gettext_lazy("state"), ordering="state")
    def shown_state(self, job: Job):
        colours = {Job.State.FAILED: "#a00", Job.State.DONE: "#060", Job.State.RETRYING: "#a60"}
        return format_html('<strong style="color:{}">{}</strong>', colours.get(job.state, "inherit"), job.state)

    @admin.display(description=gettext_lazy("progress"))
    def progress(self, job: Job) -> str:
        return f"{job.done}/{job.total}" if job.total else "-"

    @admin.display(description=gettext_lazy("what"))
    def what(self, job: Job) -> str:
        return job.describe()

    @admin.display(description=gettext_lazy("error"))
    def short_error(self, job: Job) -> str:
        return job.error.splitlines()[0][:200] if job.error else ""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return roles.has_role(request.user, roles.READER)

    def has_module_permission(self, request) -> bool:
        return roles.has_role(request.user, roles.READER)
