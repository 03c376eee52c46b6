"""The metadata sheet reader: CSV and XLSX beside a folder of files, per-row problems, mapping files,
and the real ingest (good rows stored, bad rows reported with their row numbers)."""

from __future__ import annotations

import csv
import datetime
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from fonds.enrich import dates
from fonds.ingest import discover
from fonds.readers import read, reader_for, sheet
from fonds.records import ReadError
from tests.scans import frus_document, frus_lines, ocr_ready, page_image, text_pdf  # noqa: F401 (a fixture)

HEADER = ["File Name", "Record Num", "Doc Date", "Doc Type", "From Name", "To Name", "Title", "Num Pages",
          "Agency", "Comments", "Subjects"]


def rows() -> list[list]:
    """A NARA-style release: rows 2-4 good, row 5's file is missing, row 6's date does not parse."""
    title = frus_document().title
    return [
        ["docs/104-10001.pdf", "104-10001", "1955-01-26", "Memorandum", "Joint Chiefs of Staff",
         "Wilson, Charles E.", title, "1", "JCS", "", "Atomic energy; United Kingdom"],
        ["docs/104-10002.md", "104-10002", "January 27, 1955", "Note", "Strauss, Lewis L.", "", "", "",
         "AEC", "Text from a Markdown file", ""],
        ["", "104-10003", "1955-02", "Letter", "CIA", "", "A metadata-only row", "", "CIA", "", ""],
        ["docs/104-10004.pdf", "104-10004", "1955-02-03", "Memorandum", "", "", "Missing file", "", "", "", ""],
        ["docs/104-10001.pdf", "104-10005", "the thirtieth of Febtember", "", "", "", "Bad date", "", "", "", ""],
    ]


@pytest.fixture
def release(tmp_path) -> Path:
    """The release folder without its sheet: the files its rows point at (not 104-10004.pdf)."""
    folder = tmp_path / "release"
    (folder / "docs").mkdir(parents=True)
    text_pdf(folder / "docs" / "104-10001.pdf", [frus_lines(count=15)], title="scan0001.tif")
    (folder / "docs" / "104-10002.md").write_text("# Note for the file\n\nThe AEC has no objection.\n", encoding="utf-8")
    return folder


def write_csv(folder: Path, header=HEADER, body=None, name="releases.csv") -> Path:
    path = folder / name
    with open(path, "w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([header, *(rows() if body is None else body)])
    return path


def write_xlsx(folder: Path) -> Path:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.append(HEADER)
    for row in rows():
        # As spreadsheets hold them: real dates and numbers, not strings.
        row = [datetime.datetime.fromisoformat(cell) if i == 2 and len(cell) == 10 and cell[:2] == "19" else cell
               for i, cell in enumerate(row)]
        row[7] = int(row[7]) if row[7] else None
        worksheet.append(row)
    path = folder / "releases.xlsx"
    workbook.save(path)
    return path


def check_release(batch) -> None:
    """What both the CSV and the XLSX release must give."""
    by_id = {record.id: record for record in batch.records}
    assert sorted(by_id) == ["104-10001", "104-10002", "104-10003"]
    folder = Path(batch.records[0].provenance.file).parent
    assert batch.problems == [
        f"row 5: file 'docs/104-10004.pdf' not found in {folder} (nor a file named 104-10004.* below it)",
        f"row 6: date: 'the thirtieth of Febtember' is not a date: {dates.EXPECTED}",
    ]
    pdf_row = by_id["104-10001"]
    assert pdf_row.title == frus_document().title  # the sheet's title over the PDF's first line
    assert "Joint Chiefs of Staff recommend" in pdf_row.texts[0].body  # the text comes from the file
    assert pdf_row.date.edtf == "1955-01-26" and pdf_row.type == "Memorandum"
    assert [(a.id, a.name) for a in pdf_row.authors] == [("joint-chiefs-of-staff", "Joint Chiefs of Staff")]
    assert [a.name for a in pdf_row.recipients] == ["Wilson, Charles E."]
    assert pdf_row.subjects == ["Atomic energy", "United Kingdom"]
    assert pdf_row.source.parts == {"pages": "1", "agency": "JCS", "file": "docs/104-10001.pdf",
                                    "from": "Joint Chiefs of Staff", "to": "Wilson, Charles E."}
    assert pdf_row.organizations[0].name == "Joint Chiefs of Staff"  # an office: an organization link
    assert pdf_row.provenance.format == "metadata-sheet"
    note = by_id["104-10002"]
    assert note.title == "Note for the file" and note.date.edtf == "1955-01-27"  # title from the file, date written
    assert note.source.parts["comments"] == "Text from a Markdown file"
    bare = by_id["104-10003"]
    assert bare.texts == [] and bare.date.edtf == "1955-02" and bare.title == "A metadata-only row"
    kinds = {a.name: a.kind for a in batch.authorities}
    assert kinds["CIA"] == "organization" and kinds["Joint Chiefs of Staff"] == "organization"
    assert kinds["Strauss, Lewis L."] == "person"


def test_csv_release(release):
    path = write_csv(release)
    assert reader_for(path) is sheet
    check_release(read(path))


def test_xlsx_release(release):
    path = write_xlsx(release)
    assert reader_for(path) is sheet
    check_release(read(path))


def test_semicolon_csv_and_case_insensitive_columns(release):
    path = release / "semi.csv"
    path.write_text("TITLE;DOCUMENT DATE;file\nA memo;14 December 1959;docs/104-10002.md\n", encoding="utf-8")
    record = read(path).records[0]
    assert (record.title, record.date.edtf, record.id) == ("A memo", "1959-12-14", "104-10002")


def test_unknown_column_fails_the_sheet_at_row_1(release):
    path = write_csv(release, header=[*HEADER[:-1], "Reviewer Initials"])
    with pytest.raises(ReadError) as raised:
        read(path)
    assert raised.value.where == "row 1"
    assert "unknown column 'Reviewer Initials'" in raised.value.reason and "releases.mapping.yaml" in raised.value.reason


def test_mapping_file_maps_ignores_and_keeps_parts(release):
    header = ["Document", "Headline", "Written", "Reviewer Initials", "Box"]
    path = write_csv(release, header=header, body=[["docs/104-10002.md", "Mapped title", "1955-03-01", "JD", "12"]])
    (release / "releases.mapping.yaml").write_text(
        "Document: file\nHeadline: title\nwritten: date\nReviewer Initials: null\nBox: parts.box\n", encoding="utf-8")
    record = read(path).records[0]
    assert (record.title, record.date.edtf, record.source.parts["box"]) == ("Mapped title", "1955-03-01", "12")
    (release / "releases.mapping.yaml").write_text("Headline: titel\n", encoding="utf-8")
    with pytest.raises(ReadError, match="column 'Headline': unknown record key 'titel'") as raised:
        read(path)
    assert raised.value.path.endswith("releases.mapping.yaml")
    (release / "releases.mapping.yaml").write_text("Heading: title\n", encoding="utf-8")
    with pytest.raises(ReadError, match="maps column 'Heading', which releases.csv does not have"):
        read(path)


def test_rows_that_escape_the_folder_repeat_an_id_or_lack_a_title(release):
    body = [["../outside.md", "x-1", "", "", "", "", "T", "", "", "", ""],
            ["docs/104-10002.md", "x-2", "", "", "", "", "", "", "", "", ""],
            ["", "x-2", "", "", "", "", "Again", "", "", "", ""],
            ["", "x-3", "", "", "", "", "", "", "", "", ""],
            ["", "", "", "", "", "", "", "", "", "", ""]]
    (release.parent / "outside.md").write_text("Outside\n", encoding="utf-8")
    batch = read(write_csv(release, body=body))
    assert [record.id for record in batch.records] == ["x-2"]
    assert [problem.split(":")[0] for problem in batch.problems] == ["row 2", "row 4", "row 5"]
    assert "outside the sheet's folder" in batch.problems[0] and "already used" in batch.problems[1]
    assert "no title" in batch.problems[2]


def test_bad_sheets_fail_whole(release):
    empty = release / "empty.csv"
    empty.write_text("Title,Date\n", encoding="utf-8")
    with pytest.raises(ReadError, match="no rows below its header"):
        read(empty)
    latin = release / "latin.csv"
    latin.write_bytes("Title,Date\nCaf\xe9,1959\n".encode("latin-1"))
    with pytest.raises(ReadError, match="not UTF-8") as raised:
        read(latin)
    assert raised.value.where == "line 2"
    broken = release / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is no workbook")
    with pytest.raises(ReadError, match="not a readable XLSX workbook"):
        read(broken)


def test_folder_discovery_leaves_the_sheets_files_to_the_sheet(release):
    write_csv(release)
    (release / "releases.mapping.yaml").write_text("Agency: parts.agency\n", encoding="utf-8")
    (release / "unrelated.md").write_text("# Unrelated\n\nText.\n", encoding="utf-8")
    found = [path.relative_to(release).as_posix() for path in discover([release])]
    assert found == ["releases.csv", "unrelated.md"]
    # A file named on the command line is read on its own, as asked.
    assert list(discover([release / "docs" / "104-10002.md"])) == [release / "docs" / "104-10002.md"]


@pytest.mark.ocr
def test_row_pointing_at_a_page_image_is_ocrd(release, ocr_ready):
    page_image(frus_lines(count=5)).save(release / "docs" / "scan.png", dpi=(300, 300))
    body = [["docs/scan.png", "img-1", "1955-01-26", "", "", "", "", "", "", "", ""]]
    record = read(write_csv(release, body=body)).records[0]
    assert "Chiefs" in record.texts[0].body and record.title.startswith("Memorandum From the Joint")
    assert float(record.source.parts["ocr_confidence"]) > 60 and record.source.parts["file"] == "docs/scan.png"


@pytest.mark.django_db
def test_ingest_stores_good_rows_and_reports_bad_ones(release):
    from fonds.catalog import models as m
    from fonds.catalog.ingest import Ingest

    path = write_csv(release)
    report = Ingest(list(discover([release])), jobs=1).run()
    assert report.files == 1 and report.created == 3
    assert [error.message for error in report.errors] == [
        f"{path}:row 5: file 'docs/104-10004.pdf' not found in {release} (nor a file named 104-10004.* below it)",
        f"{path}:row 6: date: 'the thirtieth of Febtember' is not a date: {dates.EXPECTED}",
    ]
    assert "1 failed" in report.summary()
    assert sorted(m.Document.objects.values_list("id", flat=True)) == ["104-10001", "104-10002", "104-10003"]
    assert not m.Document.objects.filter(id__in=["104-10004", "104-10005"]).exists()
    # The sheet is read again next time (its problems are not "done"): adding the missing file stores that row.
    text_pdf(release / "docs" / "104-10004.pdf", [["The missing memorandum, found again."]])
    again = Ingest(list(discover([release])), jobs=1).run()
    assert (again.created, again.unchanged, len(again.errors)) == (1, 3, 1)
    assert m.Document.objects.get(id="104-10004").title == "Missing file"


@pytest.mark.django_db
def test_ingest_of_a_sheet_with_only_bad_rows_stores_nothing(release):
    from fonds.catalog import models as m
    from fonds.catalog.ingest import Ingest

    shutil.rmtree(release / "docs")
    path = write_csv(release, body=rows()[3:])
    report = Ingest([path], jobs=1).run()
    assert report.created == 0 and len(report.errors) == 2
    assert m.Document.objects.count() == 0


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>',
    '<!DOCTYPE w [<!ENTITY secret SYSTEM "file:///etc/passwd">]>',
])
def test_xlsx_with_xml_entities_is_refused(tmp_path, doctype):
    """A workbook is XML inside a zip: an entity bomb or an external entity must not be expanded."""
    plain = tmp_path / "plain.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["Title", "Date"])
    workbook.active.append(["&c; &secret;", "1959"])
    workbook.save(plain)
    crafted = tmp_path / "crafted.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(crafted, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = re.sub(r"^<\?xml[^>]*\?>", "", data.decode()).replace("&amp;c; &amp;secret;", "&c; &secret;")
                data = ('<?xml version="1.0"?>' + doctype + body).encode()
            out.writestr(item, data)
    with pytest.raises(ReadError, match="not a readable XLSX workbook"):
        read(crafted)


# ---------------------------------------------------------------- a real NARA release (trimmed)

NARA_SHEET = "national-archives-jfk-assassination-records-2023-release"


@pytest.fixture(scope="module")
def nara_release(corpus) -> Path:
    """12 rows of the 2023 JFK release sheet (.csv and .xlsx) and the texts of 10 of them under files/."""
    return corpus / "nara-jfk-2023"


@pytest.fixture(scope="module")
def nara_batch(nara_release):
    from fonds.enrich import pipeline

    return pipeline.enrich(read(nara_release / f"{NARA_SHEET}.csv"))


def test_nara_rows_find_their_texts_by_name_below_the_sheet(nara_batch, nara_release):
    """The sheet names `2023/104-10014-10064.pdf`; the text is `files/2023/104-10014-10064.txt`."""
    by_id = {record.id: record for record in nara_batch.records}
    assert len(by_id) == 10
    memo = by_id["104-10014-10064"]
    assert memo.title == "CABLE: KGB OFFICIAL NIKONOV" and "NIKONOV" in memo.texts[0].body
    assert memo.source.parts["file"] == "2023/104-10014-10064.pdf"


def test_nara_rows_without_their_file_name_the_file_and_where_it_is_not(nara_batch, nara_release):
    assert nara_batch.problems == [
        f"row 6: file '2023/104-10150-10136.pdf' not found in {nara_release} (nor a file named 104-10150-10136.* "
        "below it)",
        # The August re-release's text is here, the first release's is not: never taken for it.
        f"row 13: file '2023/180-10141-10238.pdf' not found in {nara_release} (nor a file named 180-10141-10238.* "
        "below it); a file of that name is at files/2023/08/180-10141-10238.txt, not in a folder 2023/",
    ]


def test_nara_re_released_records_keep_an_id_per_version(nara_batch):
    """124-90055-10231 is in 2023/ and in 2023/08/: each version is stored under its file's path."""
    by_id = {record.id: record for record in nara_batch.records}
    first, again = by_id["2023-124-90055-10231"], by_id["2023-08-124-90055-10231"]
    assert first.source.parts["record_number"] == again.source.parts["record_number"] == "124-90055-10231"
    assert (first.declassification.release_date, again.declassification.release_date) == ("2023-06-27", "2023-08-24")
    assert first.texts[0].body != again.texts[0].body


def test_nara_columns_mean_what_nara_means(nara_batch):
    by_id = {record.id: record for record in nara_batch.records}
    notes = by_id["178-10004-10314"]  # docid-32105704: Doc Type NOTES, To [RESTRICTED], Originator WH
    assert notes.type == "Note" and notes.date.edtf == "1975-10-13"
    assert [a.name for a in notes.authors] == ["SCOWCROFT, BRENT"] and notes.recipients == []
    assert [o.name for o in notes.organizations] == ["WH"]
    assert notes.declassification.withheld[0].marker == "To: [RESTRICTED]"
    cable = by_id["104-10014-10064"]  # From and To WITHHELD, a physical form for Doc Type
    assert cable.authors == [] and [w.marker for w in cable.declassification.withheld] == ["From: WITHHELD", "To: WITHHELD"]
    assert cable.type != "PAPER - TEXTUAL DOCUMENT" and cable.source.parts["physical_form"] == "PAPER - TEXTUAL DOCUMENT"
    fbi = by_id["124-10221-10231"]  # From "SAC, MM", To "DIRECTOR, FBI": offices, not people
    kinds = {(a.id, a.kind) for a in nara_batch.authorities}
    assert [a.name for a in fbi.authors] == ["SAC, MM"] and ("sac-mm", "organization") in kinds
    # SCOWCROFT, BRENT is the packaged seed's Brent C. Scowcroft (reconciled before enrichment).
    assert ("director-fbi", "organization") in kinds and ("scowcroft-brent-c", "person") in kinds
    assert {"SAC, MM", "DIRECTOR, FBI", "FBI"} <= {o.name for o in fbi.organizations}
    assert fbi.declassification.status == "Redact" and fbi.declassification.review_date == "2023-06-15"
    assert fbi.declassification.has_withheld_text()


def test_nara_doubled_quotes_survive_the_csv(nara_batch):
    """The Comments cell "Includes ""Advice and Waiver"" statement." is read as RFC 4180 writes it."""
    stein = next(record for record in nara_batch.records if record.id == "178-10004-10396")
    assert stein.source.parts["comments"] == 'Includes "Advice and Waiver" statement.'


def test_nara_placeholder_dates_are_read_and_reported(nara_batch):
    by_id = {record.id: record for record in nara_batch.records}
    assert by_id["104-10120-10293"].date is None  # 01/01/0000
    assert by_id["157-10008-10234"].date.edtf == "1976"  # 00/00/1976
    notes = {f.record: f.evidence for f in nara_batch.findings if f.enricher == "sheet"}
    assert "placeholder for an unknown date" in notes["104-10120-10293"]
    assert "gives no month or day" in notes["157-10008-10234"]


def test_nara_identification_form_is_read_not_dated_from(nara_batch, nara_release):
    """docid-32105704 opens with NARA's identification form: its marking and restrictions are read,
    and read alone (without the sheet) the text is never dated by the form's dates."""
    from fonds.enrich import pipeline

    notes = next(record for record in nara_batch.records if record.id == "178-10004-10314")
    assert notes.classification.marking == "Secret" and notes.declassification.restrictions == ["1B", "1C"]
    alone = pipeline.enrich(read(nara_release / "files" / "2023" / "docid-32105704.txt")).records[0]
    assert alone.declassification.status == "Redact" and alone.declassification.review_date == "1993-08-12"
    assert alone.classification.marking == "Secret" and "WH" in [o.name for o in alone.organizations]
    assert alone.date is None or alone.date.min not in ("1975-10-13", "1993-08-12")


def test_nara_xlsx_reads_as_the_csv(nara_batch, nara_release):
    from fonds.enrich import pipeline

    from_xlsx = pipeline.enrich(read(nara_release / f"{NARA_SHEET}.xlsx"))

    def content(batch):
        return [{**record.to_json(), "provenance": None} for record in batch.records]

    assert content(from_xlsx) == content(nara_batch)
    assert from_xlsx.problems == nara_batch.problems


def test_nara_folder_is_the_sheet_once_and_no_stray_texts(nara_release):
    notes: list[str] = []
    found = [path.relative_to(nara_release).as_posix() for path in discover([nara_release], notes=notes)]
    assert found == [f"{NARA_SHEET}.xlsx"]  # every text is claimed; the .csv repeats the .xlsx
    assert notes == [f"{nara_release / NARA_SHEET}.csv: left out, it holds the same rows as {NARA_SHEET}.xlsx"]


def test_ambiguous_file_names_its_candidates(tmp_path, nara_release):
    release = tmp_path / "release"
    shutil.copytree(nara_release, release)
    shutil.copy(release / "files" / "2023" / "157-10008-10234.txt", release / "files" / "2023" / "157-10008-10234.md")
    batch = read(release / f"{NARA_SHEET}.csv")
    (problem,) = [p for p in batch.problems if "157-10008-10234" in p]
    assert "is ambiguous: 2 files below" in problem
    assert "files/2023/157-10008-10234.md, files/2023/157-10008-10234.txt" in problem
    assert problem.endswith("give its path relative to the sheet")


def test_cli_ingest_with_files_elsewhere(cli, tmp_path, nara_release):
    """`fonds ingest SHEET --files DIR`: the sheet away from its texts; each missing row named, exit 1."""
    sheet_copy = tmp_path / "sheet.csv"
    shutil.copy(nara_release / f"{NARA_SHEET}.csv", sheet_copy)
    result = cli("ingest", str(sheet_copy), "--files", str(nara_release / "files"))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2 and all("not found in" in line for line in errors)
    assert "10 documents created" in result.stdout
    missing = cli("ingest", str(sheet_copy), "--files", str(tmp_path / "nowhere"))
    assert missing.returncode == 1 and "--files" in missing.stderr and "no such folder" in missing.stderr
