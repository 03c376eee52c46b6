"""Hostile input is contained: each file of issue 12's list fails on its own with a message naming it
and the limit or rule it broke, nothing outside the archive home is read, moved or deleted, and the
other files of the same ingest are stored. Runs on SQLite and PostgreSQL like the rest."""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
import time
import zipfile
from pathlib import Path

import pytest

from fonds.catalog import models as m
from fonds.catalog.ingest import Ingest
from fonds.ingest import FileError, discover, read_file
from fonds.settings import get_settings
from tests import hostile
from tests.conftest import SEED

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """An archive home of this test's own (media folder included)."""
    folder = tmp_path / "home"
    monkeypatch.setattr(get_settings(), "home", folder)
    return folder


@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder beside the home that no ingest may touch; `snapshot` records its files."""
    folder = tmp_path / "outside"
    (folder / "scans").mkdir(parents=True)
    (folder / "scans" / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n not really a scan")
    (folder / "scans" / "other.txt").write_text("someone else's file")
    (folder / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n")
    return folder


def snapshot(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def good_file(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(SEED, folder / SEED.name))


def ingest(*paths: Path, jobs: int = 1):
    refused: list[FileError] = []
    files = list(discover(paths, refused))
    return Ingest(files, jobs=jobs, refused=refused).run()


def assert_contained(report, bad: Path, reason: str, outside: Path, before: dict) -> None:
    """One error, naming the bad file and the reason; the good seed stored; outside untouched."""
    messages = [error.message for error in report.errors]
    assert len(messages) == 1 and str(bad) in messages[0] and reason in messages[0], messages
    assert "Traceback" not in messages[0]
    assert m.Document.objects.filter(id=SEED.stem).exists() and report.created == 1
    assert snapshot(outside) == before


# ---- one test per hostile file of the issue ----------------------------------------------------------

def test_page_images_naming_a_file_outside_move_and_delete_nothing(tmp_path, home, outside):
    before = snapshot(outside)
    good = good_file(tmp_path / "in")
    bad = hostile.page_images_jsonl(tmp_path / "in" / "grab.jsonl", outside / "scans" / "secret.png")
    report = ingest(bad, good)
    assert_contained(report, bad, "page_images", outside, before)
    assert "line 1" in report.errors[0].message and not m.Document.objects.filter(id="grab").exists()
    assert not (home / "media").exists() or not any((home / "media").rglob("*.png"))


def test_a_symbolic_link_out_of_an_ingested_folder_is_refused(tmp_path, home, outside):
    before = snapshot(outside)
    folder = tmp_path / "release"
    good_file(folder)
    (folder / "passwd.txt").symlink_to(outside / "passwd")
    (folder / "escape").symlink_to(outside / "scans", target_is_directory=True)
    (folder / "again.txt").symlink_to(folder / SEED.name)  # inside the folder: read once, through its target
    report = ingest(folder)
    messages = sorted(error.message for error in report.errors)
    assert len(messages) == 2 and "outside" in messages[0] and "outside" in messages[1]
    assert str(folder / "escape") in messages[0] and str(folder / "passwd.txt") in messages[1]
    assert report.created == 1 and m.Document.objects.count() == 1 and report.summary().startswith("3 files")
    assert not m.Document.objects.filter(title__icontains="root").exists()
    assert snapshot(outside) == before


@pytest.mark.parametrize("build, reason", [
    (lambda folder: hostile.nested_tei(folder / "deep.xml"), "nested deeper than 100 levels (the max_nesting setting)"),
    (lambda folder: hostile.nested_jsonl(folder / "deep.jsonl"), "nested deeper than 100 levels"),
    (lambda folder: hostile.nested_markdown(folder / "deep.md"), "nested deeper than 100 levels"),
], ids=["tei", "json", "markdown"])
def test_deep_nesting_is_a_per_file_error(tmp_path, home, outside, build, reason):
    before = snapshot(outside)
    folder = tmp_path / "in"
    folder.mkdir()
    bad = build(folder)
    report = ingest(bad, good_file(folder))
    assert_contained(report, bad, reason, outside, before)
    assert "line" in report.errors[0].message


def test_a_tiny_pdf_with_a_huge_page_is_refused_before_rendering(tmp_path, home, outside):
    before = snapshot(outside)
    bad = hostile.huge_page_pdf(tmp_path / "huge.pdf")
    assert bad.stat().st_size < 500
    started = time.monotonic()
    report = ingest(bad, good_file(tmp_path / "in"))
    assert_contained(report, bad, "60,000 x 60,000 pixels at 300 dpi", outside, before)
    assert "max_image_pixels" in report.errors[0].message and "page 1" in report.errors[0].message
    assert time.monotonic() - started < 60  # rendering it would take minutes and 7 GB; a bound, not a benchmark


def test_a_png_claiming_120_megapixels_is_refused_from_its_header(tmp_path, home, outside):
    before = snapshot(outside)
    bad = hostile.huge_png(tmp_path / "huge.png")
    report = ingest(bad, good_file(tmp_path / "in"))
    assert_contained(report, bad, "12,000 x 10,000 pixels, more than 100,000,000 (the max_image_pixels setting)",
                     outside, before)


def test_a_small_xlsx_with_a_million_rows_stops_at_the_row_limit(tmp_path, home, outside, monkeypatch):
    before = snapshot(outside)
    bad = hostile.many_rows_xlsx(tmp_path / "rows.xlsx")
    assert bad.stat().st_size < 200_000
    report = ingest(bad, good_file(tmp_path / "in"))
    assert_contained(report, bad, "more than 20,000 rows of 2,048 bytes (the max_sheet_rows setting)", outside, before)
    # Rows small enough to pass the size check are counted as they are read.
    monkeypatch.setattr(get_settings(), "max_sheet_rows", 500)
    report = ingest(hostile.many_rows_xlsx(tmp_path / "some.xlsx", rows=5000))
    assert "row 502: more than 500 rows (the max_sheet_rows setting)" in report.errors[0].message


def test_a_30_mb_json_line_is_refused_at_the_line_limit(tmp_path, home, outside):
    before = snapshot(outside)
    bad = hostile.long_jsonl_line(tmp_path / "big.jsonl")
    assert bad.stat().st_size > 25_000_000
    report = ingest(bad, good_file(tmp_path / "in"))
    assert_contained(report, bad, "longer than 8,388,608 bytes (the max_line_bytes setting)", outside, before)
    assert "line 1" in report.errors[0].message


def test_limits_are_settings(tmp_path, home, monkeypatch):
    """The same files fail under a lower limit and are stored under a higher one."""
    deep = hostile.nested_tei(tmp_path / "deep.xml", depth=150)
    rows = hostile.many_rows_xlsx(tmp_path / "rows.xlsx", rows=30)
    line = tmp_path / "line.jsonl"
    line.write_text('{"id": "long", "title": "Long", "summary": "%s"}\n' % ("x" * 20_000))
    scan = hostile.huge_page_pdf(tmp_path / "a4.pdf", points=842)  # A4's height, square: 12 Mpx at 300 dpi
    for name, value in (("max_sheet_rows", 20), ("max_line_bytes", 16_000), ("max_image_pixels", 10_000_000)):
        monkeypatch.setattr(get_settings(), name, value)
    report = ingest(deep, rows, line, scan)
    messages = sorted(error.message for error in report.errors)
    assert len(messages) == 4 and report.created == 0
    for message, setting in zip(messages, ("max_image_pixels", "max_nesting", "max_line_bytes", "max_sheet_rows")):
        assert f"(the {setting} setting)" in message
    for name, value in (("max_nesting", 400), ("max_sheet_rows", 100), ("max_line_bytes", 32_000)):
        monkeypatch.setattr(get_settings(), name, value)
    report = ingest(deep, rows, line)
    assert report.errors == [] and report.created == 1 + 30 + 1


def _unblock(fifo: Path) -> None:
    """Release a reader blocked opening the FIFO (it gets an empty file)."""
    try:
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    except OSError:
        pass


@pytest.mark.parametrize("padding", [0, 2 << 20], ids=["doctype-first", "doctype-after-2MB"])
def test_a_doctype_never_opens_its_external_dtd(tmp_path, home, padding):
    """The DTD is a FIFO: opening it would block the reader until someone writes to it, so a reader
    still running after 30 s has opened it. (2 MB of comment first hides the DOCTYPE from the
    reader's look at the prolog; the parser must refuse it by itself.)"""
    fifo = tmp_path / "probe.dtd"
    os.mkfifo(fifo)
    bad = hostile.doctype_tei(tmp_path / "doctype.xml", fifo, padding=padding)
    outcome = {}
    reader = threading.Thread(target=lambda: outcome.update(result=read_file(bad, "0" * 64)), daemon=True)
    reader.start()
    reader.join(30)
    opened = reader.is_alive()
    if opened:
        _unblock(fifo)
        reader.join(10)
    assert not opened, "the reader opened the DOCTYPE's external DTD"
    result = outcome["result"]
    assert isinstance(result, FileError) and str(bad) in result.message and "external DTD" in result.message


def test_a_tei_file_without_documents_is_an_error(tmp_path, cli):
    bad = hostile.empty_tei(tmp_path / "intro.xml")
    result = cli("ingest", str(bad), str(SEED))
    assert result.returncode == 1
    assert f"{bad}: no <div type=\"document\">" in result.stderr and "1 documents created" in result.stdout


# ---- the whole list in one parallel batch --------------------------------------------------------

def test_every_hostile_file_in_one_parallel_ingest(tmp_path, home, outside, monkeypatch):
    """All of them among good files, read by two worker processes: each fails alone, the good files
    are stored, nothing outside is touched, and the reader processes survive."""
    before = snapshot(outside)
    folder = tmp_path / "batch"
    folder.mkdir()
    bad = [hostile.nested_tei(folder / "deep.xml"), hostile.nested_jsonl(folder / "deep.jsonl"),
           hostile.nested_markdown(folder / "deep.md"), hostile.huge_page_pdf(folder / "huge.pdf"),
           hostile.many_rows_xlsx(folder / "rows.xlsx"), hostile.long_jsonl_line(folder / "big.jsonl"),
           hostile.doctype_tei(folder / "doctype.xml", outside / "passwd"), hostile.empty_tei(folder / "intro.xml"),
           hostile.page_images_jsonl(folder / "grab.jsonl", outside / "scans" / "secret.png")]
    (folder / "passwd.txt").symlink_to(outside / "passwd")
    good = [good_file(folder)]
    for number in range(3):
        good.append(folder / f"note-{number}.md")
        good[-1].write_text(f"---\nid: note-{number}\ndate: 1959-12-1{number}\n---\n# Note {number}\nText.\n")
    report = ingest(folder, jobs=2)
    failed = sorted(error.path for error in report.errors)
    assert failed == sorted(str(path) for path in [*bad, folder / "passwd.txt"])
    assert all("Traceback" not in error.message and error.message.startswith(error.path) for error in report.errors)
    assert report.created == 4 and m.Document.objects.count() == 4
    assert snapshot(outside) == before


def test_a_reader_that_crashes_or_dies_costs_its_file_only(tmp_path, home, monkeypatch):
    """Fault injection around the real pool (tests.hostile.read_or_crash): an exception escaping a
    reader, and a reader process killed outright. The files in flight with the killed one are read
    again alone, so only the killer fails."""
    from fonds.catalog import ingest as catalog_ingest

    monkeypatch.setattr(catalog_ingest, "read_file_for_transfer", hostile.read_or_crash)
    folder = tmp_path / "batch"
    folder.mkdir()
    for name in ("crash-exit.md", "crash-error.md", *(f"note-{n}.md" for n in range(4))):
        (folder / name).write_text(f"# {name}\nText.\n")
    report = ingest(folder, jobs=2)
    errors = {Path(error.path).name: error.message for error in report.errors}
    assert set(errors) == {"crash-exit.md", "crash-error.md"}
    assert "reader process died" in errors["crash-exit.md"] and "RecursionError" in errors["crash-error.md"]
    assert sorted(m.Document.objects.values_list("id", flat=True)) == [f"note-{n}" for n in range(4)]


def test_a_reader_error_of_an_unexpected_kind_is_a_per_file_error(tmp_path, home):
    """A workbook whose sheet XML is cut off: openpyxl raises a ParseError (not an error the sheet
    reader expects) while rows are read."""
    bad = hostile.many_rows_xlsx(tmp_path / "cut.xlsx", rows=3)
    with zipfile.ZipFile(bad) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"][:-40]
    with zipfile.ZipFile(bad, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    report = ingest(bad, good_file(tmp_path / "in"))
    assert len(report.errors) == 1 and report.errors[0].message.startswith(f"{bad}: ") and report.created == 1
    assert "ParseError" in report.errors[0].message
