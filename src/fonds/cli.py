"""The `fonds` command line: init, ingest, export, serve, demo, check.

Errors go to stderr naming the file and the reason; the exit code is 0 only when everything
succeeded. Long work shows a rich progress bar (files, documents, rate, ETA) on stderr.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
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


def cmd_ingest(args) -> int:
    """Ingest files and folders; exit 1 when any file failed."""
    from fonds.catalog.ingest import Ingest
    from fonds.ingest import discover

    _migrate()
    missing = [p for p in args.paths if not p.exists()]
    for path in missing:
        print(f"error: {path}: no such file or folder", file=sys.stderr)
    if args.files is not None and not args.files.is_dir():
        print(f"error: --files {args.files}: no such folder", file=sys.stderr)
        return 1
    notes: list[str] = []
    files = list(discover((p for p in args.paths if p.exists()), files=args.files, notes=notes))
    report = _run_ingest(Ingest, files, args.jobs, args.files)
    _update_index()
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {warning.message}", file=sys.stderr)
    for error in report.errors:
        print(f"error: {error.message}", file=sys.stderr)
    print(report.summary())
    return 0 if not report.errors and not missing else 1


def _run_ingest(ingest_class, files, jobs, sheet_files=None):
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

        return ingest_class(files, jobs=jobs, progress=advance, sheet_files=sheet_files).run()


def _update_index() -> None:
    """Bring this node's search index up to date with the catalog's change log."""
    from fonds.catalog.indexer import catch_up

    with err.status("updating the search index"):
        catch_up()


def cmd_reindex(args) -> int:
    """Rebuild the search index from the catalog aside, then switch to it (search stays up)."""
    from fonds.catalog.indexer import rebuild

    _migrate()
    count = rebuild()
    print(f"indexed {count} published documents")
    return 0


def cmd_search(args) -> int:
    """Search the archive; --json prints the same JSON as /api/search."""
    import json

    from fonds.catalog.indexer import catch_up, searcher
    from fonds.search.engine import SearchRequest

    filters: dict[str, list[str]] = {}
    for item in args.facet:
        name, sep, value = item.partition("=")
        if not sep or not value:
            print(f"error: --facet expects FIELD=VALUE, got {item!r}", file=sys.stderr)
            return 2
        filters.setdefault(name.strip(), []).append(value.strip())
    _migrate()
    catch_up()
    response = searcher().search(SearchRequest(query=args.query, filters=filters, sort=args.sort, page=args.page,
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
    from fonds.catalog import export

    out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    try:
        count = export.write(args.format, out, published_only=args.published_only)
    finally:
        if args.output:
            out.close()
    err.print(f"exported {count} documents", highlight=False)
    return 0


def cmd_token(args) -> int:
    """Create an API token for a staff user (created if missing); prints the token once."""
    from fonds.api.tokens import create_token

    _migrate()
    print(create_token(args.username, label=args.label))
    err.print(f"token created for {args.username}; send it as 'Authorization: Bearer <token>'", highlight=False)
    return 0


def cmd_user(args) -> int:
    """Create a staff user (a curator, or with --admin an administrator) or change their password."""
    from fonds.catalog.curators import create_user

    _migrate()
    if sys.stdin.isatty():
        password = getpass.getpass(f"password for {args.username}: ")
        if getpass.getpass("again: ") != password:
            err.print("the passwords differ; nothing changed", highlight=False)
            return 2
    else:
        password = sys.stdin.readline().rstrip("\n")  # scripts: echo "$PASSWORD" | fonds user create NAME
    try:
        create_user(args.username, password, admin=args.admin)
    except ValueError as error:
        err.print(f"error: {error}; nothing changed", highlight=False)
        return 2
    role = "administrator" if args.admin else "curator"
    err.print(f"{args.username} can sign in at /admin/ as {role}", highlight=False)
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
    from fonds.catalog.ingest import Ingest
    from fonds.ingest import discover

    _migrate()
    samples = [path for path in discover([SAMPLES]) if path.name != "README.md"]  # the README describes them
    report = _run_ingest(Ingest, samples, 0)
    _update_index()
    print(report.summary())
    if report.errors:
        for error in report.errors:
            print(f"error: {error.message}", file=sys.stderr)
        return 1
    if args.no_serve:
        return 0
    from fonds.catalog.models import Document

    seed = Document.objects.filter(provenance_format="archive-page").first()
    host, port = args.host or "127.0.0.1", args.port or 8000
    if seed:
        print(f"Open http://{host}:{port}{seed.get_absolute_url()}")
    return cmd_serve(argparse.Namespace(host=host, port=port, workers=args.workers))


def cmd_check(args) -> int:
    """Django's system checks plus a catalog connection."""
    from django.core.management import call_command
    from django.db import connection

    call_command("check")
    connection.ensure_connection()
    print(f"catalog: {connection.vendor} ok")
    return 0


def cmd_harvest(args) -> int:
    """Import records from another OAI-PMH repository (only changes, on later runs)."""
    from fonds.oai.client import HarvestError
    from fonds.oai.harvest import harvest

    _migrate()
    try:
        with err.status("harvesting") as status:
            report = harvest(args.url, set_spec=args.set, since=args.date_from,
                             progress=lambda rep: status.update(f"harvesting: {rep.pages} pages, {rep.received} records"))
    except HarvestError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    _update_index()
    print(report.summary())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fonds", description="A digital archive for historical primary-source documents.")
    parser.add_argument("--home", help="archive home folder (default: $FONDS_HOME or ./fonds-data)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("init", help=cmd_init.__doc__).set_defaults(func=cmd_init)
    ingest = sub.add_parser("ingest", help=cmd_ingest.__doc__)
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ingest.add_argument("--jobs", type=int, default=0, help="reader processes (default: all cores)")
    ingest.add_argument("--files", type=Path, metavar="DIR",
                        help="where the files that metadata sheets name are (default: the sheet's folder)")
    ingest.set_defaults(func=cmd_ingest)
    export = sub.add_parser("export", help=cmd_export.__doc__)
    export.add_argument("--format", choices=("jsonl", "csv", "tei"), default="jsonl")
    export.add_argument("-o", "--output", help="file to write (default: standard output)")
    export.add_argument("--published-only", action="store_true", help="only published documents (public dumps)")
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
    token = sub.add_parser("token", help="API tokens for staff").add_subparsers(dest="action", required=True, metavar="ACTION")
    token_create = token.add_parser("create", help=cmd_token.__doc__)
    token_create.add_argument("username", metavar="USERNAME")
    token_create.add_argument("--label", default="", help="a note on what the token is for")
    token_create.set_defaults(func=cmd_token)
    user = sub.add_parser("user", help="staff accounts").add_subparsers(dest="action", required=True, metavar="ACTION")
    user_create = user.add_parser("create", help=cmd_user.__doc__)
    user_create.add_argument("username", metavar="USERNAME")
    user_create.add_argument("--admin", action="store_true", help="an administrator instead of a curator")
    user_create.set_defaults(func=cmd_user)
    harvest = sub.add_parser("harvest", help=cmd_harvest.__doc__)
    harvest.add_argument("url", metavar="URL", help="the repository's OAI-PMH base URL")
    harvest.add_argument("--set", help="harvest only this set (setSpec)")
    harvest.add_argument("--from", dest="date_from", metavar="DATE",
                         help="records changed from DATE (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ); default: since the last run")
    harvest.set_defaults(func=cmd_harvest)
    sub.add_parser("reindex", help=cmd_reindex.__doc__).set_defaults(func=cmd_reindex)
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
    _setup(args.home)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted: every file finished before this point is stored; run again to complete", file=sys.stderr)
        return 130
