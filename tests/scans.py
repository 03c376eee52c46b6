"""Test material for the PDF, image and sheet readers: real FRUS text rendered as page images
(black DejaVu Sans on white at 300 dpi, as a scanner makes them) and as PDFs with or without a
text layer. Rendering is done here, in the tests, so no binary fixtures are kept in the repository."""

from __future__ import annotations

import shutil
import tempfile
import textwrap
from functools import lru_cache
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from tests.conftest import CORPUS, require

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
VOLUME = CORPUS / "frus" / "tei" / "frus1955-57v20.xml"
DPI = 300
# A Russian line for the rus OCR data (the start of a CC CPSU Presidium decision).
RUSSIAN = ["Президиум ЦК КПСС постановляет:", "одобрить предложения Министерства иностранных дел",
           "о дальнейших шагах по разоружению."]


def require_ocr() -> None:
    """Tesseract with its English and Russian data, and the DejaVu font, or skip (fail in CI)."""
    require(shutil.which("tesseract") is not None,
            "tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus)")
    require(FONT.exists(), f"DejaVu font missing at {FONT} (apt-get install fonts-dejavu-core)")


@pytest.fixture
def ocr_ready(tmp_path, monkeypatch) -> Path:
    """Tesseract present, and the readers' temporary page folders inside this test's tmp_path
    (so they are cleaned up with it); returns that temporary folder."""
    require_ocr()
    folder = tmp_path / "temporary"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@lru_cache(maxsize=None)
def frus_document(doc_id: str = "frus1955-57v20-d4"):
    """One FRUS document read through the TEI reader (d4: a one-page JCS memorandum)."""
    from fonds.readers import tei

    return next(record for record in tei.read(VOLUME).records if record.id == doc_id)


def frus_lines(doc_id: str = "frus1955-57v20-d4", count: int = 12, width: int = 70) -> list[str]:
    """The first `count` lines of the document's title and text, wrapped at `width` characters."""
    record = frus_document(doc_id)
    lines = textwrap.wrap(record.title, width)
    for paragraph in record.texts[0].body.split("\n"):
        lines += textwrap.wrap(paragraph, width) or [""]
    return [line for line in lines if line.strip()][:count]


def page_image(lines: list[str], size: int = 42) -> Image.Image:
    """The lines as a grey page image at 300 dpi: 42 px is 10 pt type, as on a typed page."""
    font = ImageFont.truetype(str(FONT), size)
    step = int(size * 1.6)
    image = Image.new("L", (2480, 240 + step * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((150, 120 + number * step), line, font=font, fill=0)
    image.info["dpi"] = (DPI, DPI)
    return image


def scanned_pdf(path: Path, pages: list[list[str]]) -> Path:
    """A PDF of page images only (no text layer), as a scanner writes it."""
    images = [page_image(lines).convert("RGB") for lines in pages]
    images[0].save(path, "PDF", save_all=True, append_images=images[1:], resolution=DPI)
    return path


def text_pdf(path: Path, pages: list[list[str]], title: str | None = None) -> Path:
    """A born-digital PDF with a text layer (fpdf2 with the DejaVu font, which has Cyrillic)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=11)
    if title:
        pdf.set_title(title)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path
