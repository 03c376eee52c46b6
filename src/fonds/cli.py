"""The `fonds` command line: init, ingest, export, serve, demo, check.

Errors go to stderr naming the file and the reason; the exit code is 0 only when everything
succeeded. Long work shows a rich progress bar (files, documents, rate, ETA) on stderr.
"""

from __future__ import annotations

import argparse
import getpass
import multiprocessing
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

err = Console(stderr=True)
# The bundled sample sits beside src/ in the repository (samples/), as `make demo` uses it.
SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _setup(home: str | None) -> None:
    """Point the process at an archive home and start Django (after argument parsing)."""
    if home:
        os.environ["FONDS_HOME"] = str(Path(home))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fonds.site")
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def cmd_init(args) -> int:
    """Create the archive home and its catalog (safe to run again)."""
    from fonds.settings import get_settings

    _migrate()
    settings = get_settings()
    for folder in (settings.index_dir, settings.media_dir):
        folder.mkdir(parents=True, exist_ok=True)
    print(f"Archive ready in {settings.home.resolve()}")
    return 0


def _acting_user(args, role: str | None = None, action: str = "", required: bool = False):
    """The user named by --as (FONDS_USER), checked to hold `role` when one is given (the service
    layer checks the others); None when not named and not required (the operator, who has the
    catalog itself, acts). Raises PermissionDenied."""
    from django.core.exceptions import PermissionDenied

    from fonds.archive import roles

    name = args.acting or os.environ.get("FONDS_USER")
    if not name:
        if required:
            raise PermissionDenied(f"{action} needs --as USERNAME (a user with the {role} role)")
        return None
    user = roles.user_named(name)
    if role:
        roles.require(user, role, action)
    return user


def _operator() -> str:
    """How the history names the operator acting without --as."""
    return f"cli:{getpass.getuser()}"


def cmd_ingest(args) -> int:
    """Ingest files and folders; exit 1 when any file failed."""
    from fonds.archive import changes
    from fonds.ingest import discover

    _migrate()
    user = _acting_user(args)
    missing = [p for p in args.paths if not p.exists()]
    for path in missing:
        print(f"error: {path}: no such file or folder", file=sys.stderr)
    if args.files is not None and not args.files.is_dir():
        print(f"error: --files {args.files}: no such folder", file=sys.stderr)
        return 1
    refused: list = []  # links out of an ingested folder
    notes: list[str] = []
    files = list(discover((p for p in args.paths if p.exists()), refused, files=args.files, notes=notes))
    from fonds.jobs.queue import queued

    if queued():
        for note in notes:
            print(f"note: {note}", file=sys.stderr)
        return _queue_ingest(args, user, files, refused) or (1 if missing else 0)
    with _indexing_alongside(len(files)) as alongside:
        report = _run_ingest(lambda *a, **k: changes.ingest(user, *a, operator=_operator(), **k), files, args.jobs,
                             refused=refused, sheet_files=args.files)
    _update_index(names=alongside)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {warning.message}", file=sys.stderr)
    for error in report.errors:
        print(f"error: {error.message}", file=sys.stderr)
    print(report.summary())
    return 0 if not report.errors and not missing else 1


def _run_ingest(make_ingest, files, jobs, **options):
    columns = (TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
               TextColumn("{task.fields[documents]} documents, {task.fields[rate]:.0f} docs/s"),
               TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=False, disable=not err.is_terminal and not os.environ.get("FONDS_PROGRESS")) as progress:
        task = progress.add_task("ingest", total=len(files), documents=0, rate=0.0)
        totals = {"documents": 0}

        def advance(path, documents):
            totals["documents"] += documents
            elapsed = progress.tasks[task].elapsed or 1e-9
            progress.update(task, advance=1, documents=totals["documents"], rate=totals["documents"] / elapsed)

        return make_ingest(files, jobs=jobs, progress=advance, **options).run()


def _queue_ingest(args, user, files, refused) -> int:
    """Ingest as one job per file on the workers; waits for them unless --detach."""
    from fonds.jobs.queue import submit_ingest, wait

    for error in refused:
        print(f"error: {error.message}", file=sys.stderr)
    parent = submit_ingest(files, user=user.get_username() if user else "", operator=_operator(), sheet_files=args.files)
    if args.detach:
        print(f"job {parent.pk}: {len(files)} files queued (follow with `fonds jobs show {parent.pk}`)")
        return 1 if refused else 0
    columns = (TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TextColumn("files on the workers"),
               TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn())
    with Progress(*columns, console=err, disable=not err.is_terminal and not os.environ.get("FONDS_PROGRESS")) as progress:
        task = progress.add_task("ingest", total=len(files))
        parent = wait(parent, lambda job: progress.update(task, completed=job.done))
    _update_index()
    for child in parent.children.order_by("id"):
        for warning in child.outcome.get("warnings", []):
            print(f"warning: {warning}", file=sys.stderr)
        if child.state == child.State.FAILED:
            print(f"error: {child.error}", file=sys.stderr)
    counts = parent.outcome
    failed = parent.children.filter(state=parent.State.FAILED).count() + len(refused)
    print(f"{len(files) + len(refused)} files ({counts.get('files_unchanged', 0)} unchanged, {failed} failed): "
          f"{counts.get('created', 0)} documents created, {counts.get('updated', 0)} updated, "
          f"{counts.get('unchanged', 0)} unchanged (job {parent.pk})")
    return 1 if failed else 0


@contextmanager
def _indexing_alongside(files: int) -> Iterator[bool]:
    """For a large ingest (`ingest_index_alongside` files or more), follow the change log into this
    node's search index in a process of its own while the ingest writes, so that indexing overlaps
    reading and storing instead of starting when they end. The process is stopped (after its
    current round) when the ingest ends; the ingest then applies what is left (`_update_index`).
    Nothing is started when a follower (`fonds serve` on this node) already keeps the index.
    Yields whether the process was started (its rounds leave the name groups to the end)."""
    from fonds.catalog.follower import follower_running
    from fonds.settings import get_settings

    settings = get_settings()
    if files < settings.ingest_index_alongside or follower_running(settings.index_dir):
        yield False
        return
    context = multiprocessing.get_context("spawn")  # a fresh interpreter, not a fork holding our connection
    stop = context.Event()
    process = context.Process(target=_follow_until, args=(stop, os.getpid()), name="fonds-ingest-indexer", daemon=True)
    process.start()
    try:
        yield True
    finally:
        stop.set()
        process.join()


def _follow_until(stop, parent: int) -> None:
    """The indexing process of a large ingest: follow the change log until `stop` is set or the
    ingest that started it is gone."""
    import django

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the ingest, which then stops this
    django.setup()
    from fonds.catalog.follower import FollowerBusy, follow
    from fonds.settings import get_settings

    settings = get_settings()
    try:
        follow(settings.index_dir, settings.ingest_index_interval, names=False,
               running=lambda: not stop.is_set() and os.getppid() == parent)
    except FollowerBusy:
        pass  # a server's follower took the folder meanwhile: it keeps the index current


def _update_index(names: bool = False) -> None:
    """Bring this node's search index up to date with the catalog's change log; with `names`,
    store its name groups even when no change was left to apply."""
    from fonds.catalog.indexer import catch_up, write_name_groups

    with err.status("updating the search index"):
        catch_up()
        if names:
            write_name_groups()


def _as_job(args, kind: str, arguments: dict) -> int:
    """Run a command as a recorded job (on the workers when a broker is configured), waiting for
    it unless --detach; exit 0 only when it ended done."""
    from fonds.jobs.queue import submit, wait

    user = _acting_user(args)
    job = submit(kind, arguments, user=user.get_username() if user else "", operator=_operator())
    if getattr(args, "detach", False):
        print(f"job {job.pk}: {kind} queued (follow with `fonds jobs show {job.pk}`)")
        return 0
    job = wait(job)
    if job.state == job.State.FAILED:
        print(f"error: job {job.pk} failed: {job.error}", file=sys.stderr)
        return 1
    print(f"job {job.pk} done: " + ", ".join(f"{value} {key}" for key, value in job.outcome.items()))
    return 0


def cmd_reindex(args) -> int:
    """Rebuild the search index from the catalog aside, then switch to it (search stays up)."""
    from fonds.catalog.indexer import rebuild

    _migrate()
    if args.job:
        return _as_job(args, "reindex", {})
    count = rebuild()
    print(f"indexed {count} published documents")
    return 0


def cmd_search(args) -> int:
    """Search the archive; --json prints the same JSON as /api/search."""
    import json

    from fonds.archive.search import search
    from fonds.search.engine import SearchRequest

    filters: dict[str, list[str]] = {}
    for item in args.facet:
        name, sep, value = item.partition("=")
        if not sep or not value:
            print(f"error: --facet expects FIELD=VALUE, got {item!r}", file=sys.stderr)
            return 2
        filters.setdefault(name.strip(), []).append(value.strip())
    _migrate()
    response = search(SearchRequest(query=args.query, filters=filters, sort=args.sort, page=args.page,
                                               date_from=args.date_from, date_to=args.date_to, exact_script=args.exact_script))
    if args.json:
        print(json.dumps(response.to_json(), ensure_ascii=False, indent=1))
        return 0
    _print_results(response)
    return 0


def _print_results(response) -> None:
    import re

    from rich.markup import escape

    for message in response.messages:
        err.print(f"[yellow]{escape(message)}[/]")
    out = Console(highlight=False)
    out.print(f"{response.total} documents (page {response.page})")
    for hit in response.hits:
        out.print(f"\n[bold]{escape(hit.title)}[/]  [dim]{escape(hit.id)}[/]")
        out.print(f"  {escape(' · '.join(x for x in (hit.date, hit.type, hit.archive) if x))}")
        if hit.snippet:
            plain = re.sub(r"</?mark>", "", hit.snippet)
            out.print("  " + escape(_unescape(plain)))


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def cmd_export(args) -> int:
    """Write the catalog as JSON Lines, CSV or TEI to a file or stdout."""
    from fonds.archive import roles
    from fonds.archive.visibility import public, public_authorities
    from fonds.catalog import export

    if not args.published_only:
        _acting_user(args, roles.READER, "exporting unpublished documents")
    if args.job:
        if not args.output:
            print("error: --job needs -o FILE (a job writes a file)", file=sys.stderr)
            return 2
        if not Path(args.output).resolve().parent.is_dir():
            print(f"error: -o {args.output}: no such folder", file=sys.stderr)
            return 2
        return _as_job(args, "export", {"format": args.format, "path": str(Path(args.output).resolve()),
                                        "published_only": args.published_only})
    shown = (public(), public_authorities()) if args.published_only else (None, None)
    out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    try:
        count = export.write(args.format, out, *shown)
    finally:
        if args.output:
            out.close()
    err.print(f"exported {count} documents", highlight=False)
    return 0


def cmd_token(args) -> int:
    """Create an API token for a staff user; prints the token once."""
    from fonds.api.tokens import TokenError, create_token, row_for

    _migrate()
    try:
        token = create_token(args.username, label=args.label, scope=args.scope, days=args.days, role=args.role)
    except TokenError as error:
        err.print(f"error: {error}; no token created", highlight=False, soft_wrap=True)
        return 2
    row = row_for(token)
    print(token)
    until = f"until {row.expires:%Y-%m-%d}" if row.expires else "until revoked"
    err.print(f"token {row.pk} ({row.scope}) created for {args.username}, valid {until}; send it as "
              "'Authorization: Bearer <token>'", highlight=False, soft_wrap=True)
    return 0


def cmd_token_list(args) -> int:
    """List API tokens (never their secrets): id, user, scope, status, dates, label."""
    from fonds.api.tokens import tokens

    _migrate()
    print("id\tuser\tscope\tstatus\tcreated\texpires\tlast used\tlabel")
    for row in tokens(args.user):
        dates = [f"{value:%Y-%m-%d}" if value else "-" for value in (row.created, row.expires, row.last_used)]
        print("\t".join([str(row.pk), row.user.username, row.scope, row.status, *dates, row.label]))
    return 0


def cmd_token_revoke(args) -> int:
    """Revoke API tokens by id, or every token of a user; they are refused from then on."""
    from fonds.api.tokens import revoke

    _migrate()
    if not args.ids and not args.user:
        err.print("error: name the token ids to revoke, or --user USERNAME", highlight=False)
        return 2
    count = revoke(args.ids, username=args.user)
    err.print(f"{count} token{'s' if count != 1 else ''} revoked", highlight=False)
    return 0 if count else 1


def cmd_user(args) -> int:
    """Create a staff user with a role (default editor; --admin: administrator) or change their password."""
    from fonds.archive.roles import ADMINISTRATOR, create_user

    _migrate()
    if sys.stdin.isatty():
        password = getpass.getpass(f"password for {args.username}: ")
        if getpass.getpass("again: ") != password:
            err.print("the passwords differ; nothing changed", highlight=False)
            return 2
    else:
        password = sys.stdin.readline().rstrip("\n")  # scripts: echo "$PASSWORD" | fonds user create NAME
    role = ADMINISTRATOR if args.admin else args.role
    try:
        create_user(args.username, password, role=role)
    except ValueError as error:
        err.print(f"error: {error}; nothing changed", highlight=False, soft_wrap=True)
        return 2
    err.print(f"{args.username} can sign in at /admin/ as {role}", highlight=False)
    return 0


def cmd_user_unlock(args) -> int:
    """Lift a sign-in lockout (after too many failed sign-ins) of a user name."""
    from axes.utils import reset

    _migrate()
    count = reset(username=args.username)
    err.print(f"{args.username}: {count} failed sign-in{'s' if count != 1 else ''} forgotten; they may sign in again",
              highlight=False)
    return 0


def cmd_workflow(args) -> int:
    """Take a workflow action on documents (submit, return, publish, withdraw) as --as USER."""
    from fonds.archive import changes

    _migrate()
    _, _, role = changes.ACTIONS[args.action]
    user = _acting_user(args, role, args.action, required=True)
    result = changes.bulk(user, args.ids, args.action) if len(args.ids) > 1 else None
    if result is None:
        try:
            record = changes.transition(user, args.ids[0], args.action, changes.Road.CLI, args.note or "")
        except changes.ChangeError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        print(f"{record.id}: {record.status}")
    else:
        for doc_id in result.done:
            print(f"{doc_id}: done")
        for doc_id, reason in result.failed.items():
            print(f"error: {doc_id}: {reason}", file=sys.stderr)
    _update_index()
    return 0 if result is None or not result.failed else 1


def cmd_history(args) -> int:
    """Show a document's versions (who, when, road, what changed); --restore N brings one back."""
    import json

    from fonds.archive import changes, roles

    _migrate()
    if args.restore:
        user = _acting_user(args, roles.EDITOR, "restore", required=True)
        try:
            changes.restore(user, args.id, args.restore, changes.Road.CLI)
        except changes.ChangeError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        _update_index()
        print(f"{args.id}: version {args.restore} restored")
        return 0
    user = _acting_user(args, roles.READER, "reading the history")
    from fonds.catalog.models import Revision

    for rev in (changes.history(user, "document", args.id) if user else Revision.objects.filter(
            kind="document", object_id=args.id).order_by("-id")):
        print(f"{rev.pk}\t{rev.at:%Y-%m-%d %H:%M:%S}\t{rev.user or '-'}\t{rev.road}\t{rev.note}")
        for key, (old, new) in sorted(rev.differences().items()):
            print(f"\t{key}: {json.dumps(old, ensure_ascii=False)} -> {json.dumps(new, ensure_ascii=False)}")
    return 0


def cmd_embargo(args) -> int:
    """Give documents whose embargo ended a fresh datestamp (run daily, e.g. from cron)."""
    from fonds.archive.changes import release_embargoes

    _migrate()
    released = release_embargoes()
    _update_index()
    print(f"{len(released)} documents released from embargo")
    return 0


def cmd_serve(args) -> int:
    """Run the production web server (gunicorn) on the archive."""
    from fonds.server import serve
    from fonds.settings import get_settings

    _migrate()
    settings = get_settings()
    serve(host=args.host or settings.host, port=args.port or settings.port, workers=args.workers or settings.workers)
    return 0


def cmd_demo(args) -> int:
    """Create a home, ingest the bundled samples and serve them."""
    from fonds.archive import changes
    from fonds.ingest import discover

    _migrate()
    samples = [path for path in discover([SAMPLES]) if path.name != "README.md"]  # the README describes them
    # The demo shows a reading room at once: its samples are published, whatever ingest_status says.
    report = _run_ingest(lambda *a, **k: changes.ingest(None, *a, status="published", operator=_operator(), **k),
                         samples, 0)
    _update_index()
    print(report.summary())
    if report.errors:
        for error in report.errors:
            print(f"error: {error.message}", file=sys.stderr)
        return 1
    if args.no_serve:
        return 0
    from fonds.catalog.models import Document

    from fonds.settings import get_settings

    seed = Document.objects.filter(provenance_format="archive-page").first()
    settings = get_settings()
    host, port = args.host or settings.host, args.port or settings.port
    if seed:
        print(f"Open http://{host}:{port}{seed.get_absolute_url()}")
    return cmd_serve(argparse.Namespace(host=host, port=port, workers=args.workers))


def cmd_check(args) -> int:
    """Django's system checks, a catalog connection, and a warning for each insecure setting."""
    from django.core.management import call_command
    from django.db import connection

    from fonds.settings import get_settings

    call_command("check")
    connection.ensure_connection()
    print(f"catalog: {connection.vendor} ok")
    for warning in get_settings().insecure():
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def cmd_enrich(args) -> int:
    """Run the enrichers again over stored documents (all, or those a search finds), keeping curated values."""
    from fonds.archive import changes
    from fonds.catalog.indexer import catch_up, searcher
    from fonds.catalog.models import Document

    if args.all == bool(args.query):
        print("error: give a QUERY or --all (not both)", file=sys.stderr)
        return 2
    _migrate()
    ids: list[str] = []  # --all: listed by the job itself
    if args.query:
        catch_up()
        ids = searcher().matching_ids(args.query, exact_script=args.exact_script)
    if args.job:
        return _as_job(args, "enrich", {"all": args.all, "ids": ids})
    user = _acting_user(args)
    if args.all:
        ids = list(Document.objects.order_by("id").values_list("id", flat=True))
    columns = (TextColumn("[bold]enrich"), BarColumn(), MofNCompleteColumn(), TextColumn("documents"),
               TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn())
    with Progress(*columns, console=err, disable=not err.is_terminal and not os.environ.get("FONDS_PROGRESS")) as progress:
        task = progress.add_task("enrich", total=len(ids))
        report = changes.enrich(user, ids, operator=_operator(), progress=lambda done: progress.update(task, advance=done))
    _update_index()
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)
    print(report.summary())
    return 0 if not report.errors else 1


def cmd_harvest(args) -> int:
    """Import records from another OAI-PMH repository (only changes, on later runs)."""
    from fonds.archive import changes
    from fonds.oai.client import HarvestError

    _migrate()
    user = _acting_user(args)
    try:
        with err.status("harvesting") as status:
            report = changes.harvest(user, args.url, operator=_operator(), set_spec=args.set, since=args.date_from,
                                     progress=lambda rep: status.update(f"harvesting: {rep.pages} pages, {rep.received} records"))
    except HarvestError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    _update_index()
    print(report.summary())
    return 0


def cmd_worker(args) -> int:
    """Run a Celery worker for the archive's jobs (needs broker_url)."""
    from django.db import connections

    from fonds.jobs.queue import QUEUE, configure
    from fonds.settings import get_settings

    settings = get_settings()
    if not settings.broker_url:
        print("error: no broker configured: set FONDS_BROKER_URL=redis://host:6379/0 (or broker_url in fonds.toml)",
              file=sys.stderr)
        return 2
    _migrate()
    connections.close_all()  # the job processes are forked from this one: each opens its own
    concurrency = args.concurrency or settings.worker_concurrency
    configure(settings).worker_main(["worker", "--loglevel", args.loglevel, "--concurrency", str(concurrency),
                                     "--queues", QUEUE, "--hostname", f"fonds-{os.getpid()}@%h"])
    return 0


def cmd_jobs(args) -> int:
    """List recent jobs (state, progress, retries, error)."""
    from fonds.jobs.models import Job

    _migrate()
    jobs = Job.objects.filter(parent__isnull=True) if not args.all else Job.objects.all()
    if args.state:
        jobs = jobs.filter(state=args.state)
    print("id\tkind\tstate\tprogress\tretries\tcreated\twhat\terror")
    for job in jobs[:args.limit]:
        print("\t".join([str(job.pk), job.kind, job.state, f"{job.done}/{job.total}", str(job.retries),
                         f"{job.created:%Y-%m-%d %H:%M:%S}", job.describe(), job.error.splitlines()[0] if job.error else ""]))
    return 0


def cmd_jobs_show(args) -> int:
    """One job in full, with its files' jobs; exit 1 when there is no such job."""
    import json

    from fonds.jobs.models import Job

    _migrate()
    job = Job.objects.filter(pk=args.id).first()
    if job is None:
        print(f"error: no job {args.id}", file=sys.stderr)
        return 1
    for label, value in (("job", job.pk), ("kind", job.kind), ("state", job.state), ("progress", f"{job.done}/{job.total}"),
                         ("what", job.describe()), ("user", job.user or job.operator), ("attempts", job.attempts),
                         ("retries", job.retries), ("worker", job.worker), ("created", job.created),
                         ("started", job.started), ("finished", job.finished),
                         ("outcome", json.dumps(job.outcome, ensure_ascii=False)), ("error", job.error)):
        print(f"{label}: {value if value not in (None, '') else '-'}")
    for child in job.children.order_by("id"):
        print(f"  {child.pk}\t{child.state}\tretries {child.retries}\t{child.describe()}"
              + (f"\t{child.error}" if child.error else ""))
    return 0


def cmd_backup(args) -> int:
    """Back up the archive (catalog, media, settings file) to a new folder DEST."""
    from fonds.catalog.backup import BackupError, backup
    from fonds.settings import get_settings

    _migrate()
    try:
        with err.status("backing up"):
            manifest = backup(get_settings(), args.dest)
    except BackupError as error:
        print(f"error: {error}; nothing written", file=sys.stderr)
        return 1
    print(f"backed up {manifest.documents} documents ({manifest.engine} catalog, change {manifest.changes}) to {args.dest}")
    return 0


def cmd_restore(args) -> int:
    """Restore a backup into a new home (--home): catalog, media; then migrate and rebuild the index."""
    from fonds.catalog.backup import RESTORED_CONFIG, BackupError, restore
    from fonds.catalog.indexer import rebuild
    from fonds.settings import get_settings

    settings = get_settings()
    try:
        manifest = restore(args.source, settings)
    except BackupError as error:
        print(f"error: {error}; nothing changed", file=sys.stderr)
        return 1
    _migrate()  # a backup of an older version is brought up to date
    with err.status("rebuilding the search index"):
        indexed = rebuild()
    print(f"restored {manifest.documents} documents (backup of {manifest.created}) into {settings.home}; "
          f"{indexed} published documents indexed")
    if (settings.home / RESTORED_CONFIG).exists():
        print(f"note: the backup's settings file is in {settings.home / RESTORED_CONFIG}: review it, then rename it "
              "to fonds.toml", file=sys.stderr)
    return 0


def cmd_status(args) -> int:
    """This node's state: catalog, index lag, broker, workers and jobs; exit 1 when the catalog is down."""
    import json

    from django.db import DatabaseError
    from django.db.models import Count

    from fonds import health
    from fonds.jobs.models import Job

    state = health.check(worker_timeout=1.0)
    data = state.to_json()
    try:
        data["jobs"] = dict(Job.objects.filter(parent__isnull=True).values_list("state").annotate(n=Count("id")))
    except DatabaseError:
        data["jobs"] = {}
    if args.json:
        print(json.dumps(data, indent=1, default=str))
        return 0 if state.ok else 1
    catalog, index, broker = data["catalog"], data["index"], data["broker"]
    print(f"status: {data['status']}")
    print(f"catalog: {catalog['engine']} " + (f"ok, change {catalog['latest_change']}" if catalog["ok"]
                                             else f"DOWN: {catalog.get('error', '')}"))
    print(f"index: at change {index['position'] if index['position'] is not None else '- (none built)'}"
          + (f", {index['behind']} behind" if index["behind"] is not None else ""))
    if not broker["configured"]:
        print("broker: none (jobs run in the calling process)")
    else:
        print("broker: " + ("ok" if broker["ok"] else f"DOWN: {broker.get('error', '')}"))
        print(f"workers: {', '.join(data['workers']) or 'none answering'}")
    print("jobs: " + (", ".join(f"{count} {name}" for name, count in sorted(data["jobs"].items())) or "none"))
    return 0 if state.ok else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fonds", description="A digital archive for historical primary-source documents.")
    parser.add_argument("--home", help="archive home folder (default: $FONDS_HOME or ./fonds-data)")
    parser.add_argument("--as", dest="acting", metavar="USERNAME",
                        help="act as this staff user, whose role is checked (default: $FONDS_USER; else the operator)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("init", help=cmd_init.__doc__).set_defaults(func=cmd_init)
    ingest = sub.add_parser("ingest", help=cmd_ingest.__doc__)
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ingest.add_argument("--jobs", type=int, default=0, help="reader processes (default: all cores)")
    ingest.add_argument("--files", type=Path, metavar="DIR",
                        help="where the files that metadata sheets name are (default: the sheet's folder)")
    ingest.add_argument("--detach", action="store_true",
                        help="with a broker: queue the files' jobs and return without waiting")
    ingest.set_defaults(func=cmd_ingest)
    worker = sub.add_parser("worker", help=cmd_worker.__doc__)
    worker.add_argument("--concurrency", type=int, help="job processes (default: worker_concurrency)")
    worker.add_argument("--loglevel", default="INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    worker.set_defaults(func=cmd_worker)
    jobs = sub.add_parser("jobs", help=cmd_jobs.__doc__)
    jobs.add_argument("--state", choices=("queued", "running", "retrying", "done", "failed"))
    jobs.add_argument("--all", action="store_true", help="also each file's job of an ingest")
    jobs.add_argument("--limit", type=int, default=50)
    jobs.set_defaults(func=cmd_jobs)
    jobs_sub = jobs.add_subparsers(dest="action", metavar="ACTION")
    jobs_list = jobs_sub.add_parser("list", help=cmd_jobs.__doc__)
    jobs_list.add_argument("--state", choices=("queued", "running", "retrying", "done", "failed"))
    jobs_list.add_argument("--all", action="store_true", help="also each file's job of an ingest")
    jobs_list.add_argument("--limit", type=int, default=50)
    jobs_list.set_defaults(func=cmd_jobs)
    jobs_show = jobs_sub.add_parser("show", help=cmd_jobs_show.__doc__)
    jobs_show.add_argument("id", type=int, metavar="ID")
    jobs_show.set_defaults(func=cmd_jobs_show)
    export = sub.add_parser("export", help=cmd_export.__doc__)
    export.add_argument("--format", choices=("jsonl", "csv", "tei"), default="jsonl")
    export.add_argument("-o", "--output", help="file to write (default: standard output)")
    export.add_argument("--published-only", action="store_true", help="only what the public sees: published documents out of embargo, and their authorities")
    export.add_argument("--job", action="store_true", help="run as a recorded job (on the workers with a broker)")
    export.add_argument("--detach", action="store_true", help="with --job: do not wait for it")
    export.set_defaults(func=cmd_export)
    for name, func in (("serve", cmd_serve), ("demo", cmd_demo)):
        p = sub.add_parser(name, help=func.__doc__)
        p.add_argument("--host")
        p.add_argument("--port", type=int)
        p.add_argument("--workers", type=int)
        p.set_defaults(func=func)
        if name == "demo":
            p.add_argument("--no-serve", action="store_true", help="ingest the samples, then stop")
    sub.add_parser("check", help=cmd_check.__doc__).set_defaults(func=cmd_check)
    status = sub.add_parser("status", help=cmd_status.__doc__)
    status.add_argument("--json", action="store_true", help="print the state as one JSON document")
    status.set_defaults(func=cmd_status)
    backup = sub.add_parser("backup", help=cmd_backup.__doc__)
    backup.add_argument("dest", type=Path, metavar="DEST", help="a new folder for the backup")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help=cmd_restore.__doc__)
    restore.add_argument("source", type=Path, metavar="SRC", help="a folder `fonds backup` wrote")
    # Also accepted after the verb (`fonds restore SRC --home NEW`); its own name, as a subparser's
    # default would overwrite the global option's value.
    restore.add_argument("--home", dest="restore_home", metavar="NEW", help="the new archive home to restore into")
    restore.set_defaults(func=cmd_restore)
    token = sub.add_parser("token", help="API tokens for staff").add_subparsers(dest="action", required=True, metavar="ACTION")
    token_create = token.add_parser("create", help=cmd_token.__doc__)
    token_create.add_argument("username", metavar="USERNAME")
    token_create.add_argument("--label", default="", help="a note on what the token is for")
    token_create.add_argument("--scope", choices=("read", "write"), default="write",
                              help="read: the user's view of the archive; write: also change records (default)")
    token_create.add_argument("--days", type=int, help="days the token stays valid (default: api_token_days; 0: until revoked)")
    token_create.add_argument("--role", choices=("reader", "contributor", "editor", "administrator"),
                              help="give the user this role (created without a password if missing)")
    token_create.set_defaults(func=cmd_token)
    token_list = token.add_parser("list", help=cmd_token_list.__doc__)
    token_list.add_argument("--user", help="only this user's tokens")
    token_list.set_defaults(func=cmd_token_list)
    token_revoke = token.add_parser("revoke", help=cmd_token_revoke.__doc__)
    token_revoke.add_argument("ids", nargs="*", type=int, metavar="ID", help="token ids, as `fonds token list` shows them")
    token_revoke.add_argument("--user", help="revoke every token of this user")
    token_revoke.set_defaults(func=cmd_token_revoke)
    user = sub.add_parser("user", help="staff accounts").add_subparsers(dest="action", required=True, metavar="ACTION")
    user_create = user.add_parser("create", help=cmd_user.__doc__)
    user_create.add_argument("username", metavar="USERNAME")
    user_create.add_argument("--role", choices=("reader", "contributor", "editor", "administrator"), default="editor")
    user_create.add_argument("--admin", action="store_true", help="same as --role administrator")
    user_create.set_defaults(func=cmd_user)
    user_unlock = user.add_parser("unlock", help=cmd_user_unlock.__doc__)
    user_unlock.add_argument("username", metavar="USERNAME")
    user_unlock.set_defaults(func=cmd_user_unlock)
    workflow = sub.add_parser("workflow", help=cmd_workflow.__doc__)
    workflow.add_argument("action", choices=("submit", "return", "publish", "withdraw"))
    workflow.add_argument("ids", nargs="+", metavar="ID")
    workflow.add_argument("--note", help="why (kept in the history)")
    workflow.set_defaults(func=cmd_workflow)
    history = sub.add_parser("history", help=cmd_history.__doc__)
    history.add_argument("id", metavar="ID")
    history.add_argument("--restore", type=int, metavar="VERSION", help="restore this version (editor)")
    history.set_defaults(func=cmd_history)
    sub.add_parser("embargo", help=cmd_embargo.__doc__).set_defaults(func=cmd_embargo)
    harvest = sub.add_parser("harvest", help=cmd_harvest.__doc__)
    harvest.add_argument("url", metavar="URL", help="the repository's OAI-PMH base URL")
    harvest.add_argument("--set", help="harvest only this set (setSpec)")
    harvest.add_argument("--from", dest="date_from", metavar="DATE",
                         help="records changed from DATE (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ); default: since the last run")
    harvest.set_defaults(func=cmd_harvest)
    enrich = sub.add_parser("enrich", help=cmd_enrich.__doc__)
    enrich.add_argument("query", nargs="?", metavar="QUERY", help="the documents a search finds (published ones)")
    enrich.add_argument("--all", action="store_true", help="every document of the catalog")
    enrich.add_argument("--exact-script", action="store_true", help="search QUERY without transliteration or folding")
    enrich.add_argument("--job", action="store_true", help="run as a recorded job (on the workers with a broker)")
    enrich.add_argument("--detach", action="store_true", help="with --job: do not wait for it")
    enrich.set_defaults(func=cmd_enrich)
    reindex = sub.add_parser("reindex", help=cmd_reindex.__doc__)
    reindex.add_argument("--job", action="store_true", help="run as a recorded job (on the workers with a broker)")
    reindex.add_argument("--detach", action="store_true", help="with --job: do not wait for it")
    reindex.set_defaults(func=cmd_reindex)
    search = sub.add_parser("search", help=cmd_search.__doc__)
    search.add_argument("query", metavar="QUERY", help="query text (see `fonds search --help` and /search/help)")
    search.add_argument("--facet", action="append", default=[], metavar="FIELD=VALUE", help="facet filter, repeatable")
    search.add_argument("--sort", choices=("relevance", "date-asc", "date-desc"), default="relevance")
    search.add_argument("--page", type=int, default=1)
    search.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    search.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
    search.add_argument("--exact-script", action="store_true", help="no transliteration or folding")
    search.add_argument("--json", action="store_true", help="print the result as one JSON document")
    search.set_defaults(func=cmd_search)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _setup(getattr(args, "restore_home", None) or args.home)
    from django.core.exceptions import PermissionDenied

    try:
        return args.func(args)
    except PermissionDenied as error:
        print(f"error: {error}; nothing changed", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("interrupted: every file finished before this point is stored; run again to complete", file=sys.stderr)
        return 130
