"""The page image reader with the real Tesseract: FRUS text and a Russian line rendered as scans."""

from __future__ import annotations

from pathlib import Path

import pytest

from fonds.readers import image, read, reader_for
from fonds.records import ReadError
from tests.scans import RUSSIAN, frus_lines, ocr_ready, page_image  # noqa: F401 (ocr_ready is a fixture)

pytestmark = [pytest.mark.ocr, pytest.mark.usefixtures("ocr_ready"), pytest.mark.database_independent]


def words_found(body: str, words: list[str]) -> list[str]:
    """The expected words OCR found (case-insensitive), allowing noise elsewhere."""
    return [word for word in words if word.lower() in body.lower()]


def test_png_page_is_read_by_ocr_with_confidence(tmp_path):
    path = tmp_path / "jcs-memo.png"
    page_image(frus_lines(count=8)).save(path, dpi=(300, 300))
    batch = read(path)
    record = batch.records[0]
    assert reader_for(path) is image and record.provenance.format == "page-image"
    expected = ["Joint", "Chiefs", "Staff", "Secretary", "Defense", "Washington", "1955", "Atomic", "Energy"]
    assert len(words_found(record.texts[0].body, expected)) >= 8
    assert record.title.startswith("Memorandum From the Joint")
    assert (record.texts[0].kind, record.texts[0].language, record.languages) == ("transcription", "en", ["en"])
    parts = record.source.parts
    assert parts["pages"] == parts["ocr_pages"] == "1"
    assert 60 <= float(parts["ocr_confidence"]) <= 100 and parts["ocr_page_confidence"].startswith("1:")
    [kept] = map(Path, batch.scans["jcs-memo"])
    assert kept.is_file() and kept.name == "page-0001.png" and "page_images" not in parts


def test_multipage_tiff_gives_one_text_with_a_form_feed_per_page(tmp_path):
    path = tmp_path / "scan.tif"
    first, second = page_image(frus_lines(count=4)), page_image(RUSSIAN)
    first.save(path, save_all=True, append_images=[second], compression="tiff_lzw", dpi=(300, 300))
    batch = read(path)
    record = batch.records[0]
    pages = record.texts[0].body.split("\f")
    assert len(pages) == 2 and record.source.parts["pages"] == "2"
    assert "Joint" in pages[0] and "Chiefs" in pages[0]
    assert len(words_found(pages[1], ["Президиум", "КПСС", "постановляет", "Министерства", "разоружению"])) >= 4
    assert len(record.source.parts["ocr_page_confidence"].split(",")) == 2
    assert len(batch.scans["scan"]) == 2


def test_russian_scan_is_recognised_as_russian(tmp_path):
    path = tmp_path / "decision.jpg"
    page_image(RUSSIAN).convert("RGB").save(path, quality=90, dpi=(300, 300))
    batch = read(path)
    record = batch.records[0]
    assert len(words_found(record.texts[0].body, ["Президиум", "ЦК", "постановляет", "иностранных", "разоружению"])) >= 4
    assert record.languages == ["ru"] and record.texts[0].language == "ru"
    assert batch.scans["decision"][0].endswith("page-0001.jpg")  # colour pages are kept as JPEG


def test_detection_is_by_content_not_suffix(tmp_path):
    path = tmp_path / "scan-without-suffix"
    page_image(["x"]).save(path, "PNG")
    assert reader_for(path) is image


@pytest.mark.parametrize("name, content, message", [
    ("empty.png", b"", "empty"),
    ("truncated.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "damaged or unreadable image"),
    ("noise.jpg", b"\xff\xd8\xff\xe0" + b"\x13" * 200, "damaged or unreadable image"),
    ("text.tiff", b"not a tiff at all", "damaged or unreadable image"),
])
def test_bad_images_raise_clear_errors(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReadError) as raised:
        image.read(path)
    assert str(path) in str(raised.value) and message in str(raised.value)


def test_truncated_real_image_is_refused_and_leaves_no_temporary_pages(tmp_path, ocr_ready):
    path = tmp_path / "cut.png"
    page_image(frus_lines(count=3)).save(path)
    path.write_bytes(path.read_bytes()[:600])
    with pytest.raises(ReadError, match="damaged or unreadable image"):
        read(path)
    assert list(ocr_ready.iterdir()) == []


def test_ocr_languages_setting_and_argument(tmp_path, monkeypatch):
    from fonds.settings import get_settings

    path = tmp_path / "ru.png"
    page_image(RUSSIAN[:1]).save(path, dpi=(300, 300))
    monkeypatch.setenv("FONDS_OCR_LANGUAGES", "eng")
    get_settings.cache_clear()
    try:
        english_only = image.read(path).records[0]
        assert "Президиум" not in english_only.texts[0].body  # eng data alone cannot read Cyrillic
        assert "Президиум" in image.read(path, languages="rus").records[0].texts[0].body
        with pytest.raises(ReadError, match="OCR failed"):
            image.read(path, languages="xyz")
    finally:
        get_settings.cache_clear()
