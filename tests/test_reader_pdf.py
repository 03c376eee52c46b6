"""The PDF reader: text layer, OCR of scanned pages with the real Tesseract, bad PDFs, and ingest with page images."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from fonds.ingest import sha256_of
from fonds.readers import pdf, read, reader_for
from fonds.records import ReadError
from tests.scans import RUSSIAN, frus_document, frus_lines, ocr_ready, scanned_pdf, text_pdf  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("ocr_ready")
ocr = pytest.mark.ocr


def first() -> list[str]:
    """Lines for page one: the title and start of FRUS 1955-57 vol. XX doc. 4 (a call, so a missing
    corpus skips the test instead of breaking the module's import)."""
    return frus_lines(count=30)[:15]


def second() -> list[str]:
    return frus_lines(count=30)[15:]


def test_text_layer_pages_are_read_without_ocr(tmp_path):
    path = text_pdf(tmp_path / "frus1955-57v20-d4.pdf", [first(), second()], title=frus_document().title)
    record = read(path).records[0]
    assert reader_for(path) is pdf and record.provenance.format == "pdf"
    assert record.id == "frus1955-57v20-d4" and record.title == frus_document().title
    pages = record.texts[0].body.split("\f")
    assert len(pages) == 2 and pages[0].splitlines()[0] == first()[0] and pages[1].splitlines()[-1] == second()[-1]
    assert record.texts[0].kind == "original"
    assert record.source.parts == {"pages": "2"}  # no OCR, no page images


def test_file_name_title_metadata_is_ignored_for_the_first_line(tmp_path):
    path = text_pdf(tmp_path / "memo.pdf", [first()], title="Microsoft Word - memo.docx")
    assert read(path).records[0].title == first()[0]


@ocr
def test_scanned_pdf_is_read_by_ocr_page_by_page(tmp_path):
    path = scanned_pdf(tmp_path / "scan.pdf", [first()[:6], RUSSIAN])
    batch = read(path)
    record = batch.records[0]
    pages = record.texts[0].body.split("\f")
    assert len(pages) == 2
    assert sum(word in pages[0] for word in ["Joint", "Chiefs", "Staff", "Secretary", "Defense", "Washington"]) >= 5
    assert sum(word in pages[1] for word in ["Президиум", "КПСС", "постановляет", "Министерства"]) >= 3
    parts = record.source.parts
    assert parts["pages"] == parts["ocr_pages"] == "2" and 60 <= float(parts["ocr_confidence"]) <= 100
    assert [p.split(":")[0] for p in parts["ocr_page_confidence"].split(",")] == ["1", "2"]
    assert [Path(p).name for p in batch.scans["scan"]] == ["page-0001.png", "page-0002.png"]
    assert "page_images" not in parts  # ingest lists them once they are in the media folder
    assert record.texts[0].kind == "transcription" and record.languages == ["en"]
    assert record.title.startswith("Memorandum From the Joint")  # not Pillow's Title metadata "scan"


@ocr
def test_only_pages_without_a_text_layer_are_ocrd(tmp_path):
    writer = PdfWriter()
    for part in (text_pdf(tmp_path / "a.pdf", [first()]), scanned_pdf(tmp_path / "b.pdf", [second()[:5]])):
        writer.append(str(part))
    path = tmp_path / "mixed.pdf"
    writer.write(path)
    batch = read(path)
    record = batch.records[0]
    layer, scanned = record.texts[0].body.split("\f")
    assert layer.splitlines()[0] == first()[0]  # exactly the text layer
    assert scanned.strip() and record.source.parts["ocr_pages"] == "1"
    assert record.source.parts["ocr_page_confidence"].startswith("2:")
    assert [Path(p).name for p in batch.scans["mixed"]] == ["page-0002.png"]


def _encrypted(tmp_path: Path, user_password: str) -> Path:
    writer = PdfWriter(clone_from=str(text_pdf(tmp_path / "plain.pdf", [first()])))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-128")
    path = tmp_path / f"encrypted-{bool(user_password)}.pdf"
    writer.write(path)
    assert PdfReader(path).is_encrypted
    return path


def test_password_protected_pdf_is_refused(tmp_path):
    path = _encrypted(tmp_path, "secret")
    with pytest.raises(ReadError) as raised:
        read(path)
    assert str(path) in str(raised.value) and "encrypted and needs a password" in str(raised.value)


def test_permissions_only_encryption_is_read(tmp_path):
    """An empty user password (only an owner password restricting printing etc.) opens for anyone."""
    record = read(_encrypted(tmp_path, "")).records[0]
    assert record.texts[0].body.splitlines()[0] == first()[0]


@pytest.mark.parametrize("name, content, message", [
    ("empty.pdf", b"", "the file is empty"),
    ("garbage.pdf", b"%PDF-1.4\n" + b"\x13\x37 not really a pdf " * 40, "damaged PDF"),
    ("renamed.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "not a PDF"),
])
def test_bad_pdfs_raise_clear_errors(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    for reading in (read, pdf.read):
        with pytest.raises(ReadError) as raised:
            reading(path)
        assert str(path) in str(raised.value) and message in str(raised.value)


def test_truncated_pdf_is_refused(tmp_path):
    whole = text_pdf(tmp_path / "whole.pdf", [first()]).read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(whole[: len(whole) // 3])
    with pytest.raises(ReadError, match="damaged PDF|no pages"):
        read(path)


def test_detection_by_magic_bytes_not_suffix(tmp_path):
    path = text_pdf(tmp_path / "download.bin", [first()])
    assert reader_for(path) is pdf


@ocr
@pytest.mark.django_db
def test_ingest_keeps_page_images_in_media_and_refuses_the_encrypted(tmp_path, monkeypatch):
    from fonds.catalog import ingest as catalog_ingest
    from fonds.catalog import models as m
    from fonds.catalog.store import to_record
    from fonds.settings import Settings

    from fonds.catalog import pages
    from fonds.catalog.models import PageImage

    home = tmp_path / "home"

    for module in (catalog_ingest, pages):
        monkeypatch.setattr(module, "get_settings", lambda: Settings(home=home))
    scan = scanned_pdf(tmp_path / "jcs-scan.pdf", [first()[:5]])
    locked = _encrypted(tmp_path, "secret")
    report = catalog_ingest.Ingest([scan, locked], jobs=1).run()
    assert report.created == 1 and [error.path for error in report.errors] == [str(locked)]
    assert "encrypted" in report.errors[0].message
    assert not m.SourceFile.objects.filter(path=str(locked.resolve())).exists()
    stored = to_record(m.Document.objects.get(id="jcs-scan"))
    folder = f"pages/jcs-scan/{sha256_of(scan)[:12]}"
    assert stored.source.parts["page_images"] == f"{folder}/page-0001.png"
    assert (home / "media" / folder / "page-0001.png").is_file()
    assert float(stored.source.parts["ocr_confidence"]) > 60 and "Chiefs" in stored.texts[0].body
    attached = PageImage.objects.get(document_id="jcs-scan")  # for the IIIF manifest
    assert (attached.position, attached.path, attached.label) == (1, f"{folder}/page-0001.png", "p. 1")
    # A changed scan: its images go to a new folder, the old ones are removed once it is stored.
    scanned_pdf(scan, [first()[:5], second()[:4]])
    assert catalog_ingest.Ingest([scan], jobs=1).run().updated == 1
    new_folder = f"pages/jcs-scan/{sha256_of(scan)[:12]}"
    assert list(PageImage.objects.filter(document_id="jcs-scan").values_list("path", flat=True)) == [
        f"{new_folder}/page-0001.png", f"{new_folder}/page-0002.png"]
    assert sorted(p.relative_to(home / "media").as_posix() for p in (home / "media").rglob("*.png")) == [
        f"{new_folder}/page-0001.png", f"{new_folder}/page-0002.png"]


@ocr
def test_ocr_time_is_limited_per_file(tmp_path, monkeypatch):
    from fonds.settings import get_settings

    path = scanned_pdf(tmp_path / "slow.pdf", [first()[:5], second()[:5]])
    monkeypatch.setattr(get_settings(), "ocr_file_timeout", 0.05)
    with pytest.raises(ReadError, match=r"took longer than 0\.05 s \(the ocr_file_timeout setting\)"):
        read(path)
