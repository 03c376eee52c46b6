"""Reader for PDF files: the text layer where a page has one, OCR with Tesseract where it does not.

One PDF is one record. pypdf reads each page's text layer; a page without one (a scan) is
rendered with pdfium (pypdfium2) at the `ocr_dpi` setting and read by Tesseract (`fonds.readers.ocr`),
and its image is kept as media. The page texts are one text layer separated by form feeds, and
the OCR confidence and page count are in `source.parts` (layout in `fonds.readers.ocr`).

Title: the PDF's own Title metadata unless it is a file name, else the first line of text, else
the file name. The id is the file name without `.pdf`. Encrypted PDFs are read only when they
open with an empty password (owner-password "permissions" PDFs); others are refused.
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2
from pypdf import PdfReader
from pypdf.errors import DependencyError

from fonds.readers import guards, ocr
from fonds.records import Batch, ReadError
from fonds.settings import get_settings

FORMAT = "pdf"
MAGIC = b"%PDF-"
# A page counts as having a text layer when it yields at least this many letters or digits: a
# scan often carries a stray page number or stamp as text, which is no transcription of the page.
MIN_LAYER_CHARS = 20
# Title metadata that only names the file it was made from ("Microsoft Word - memo.docx", "scan0001.tif").
_FILE_NAME_TITLE = re.compile(r"^(?:microsoft \w+ - .*|.*\.\w{2,4})$", re.IGNORECASE)


def detect(path: Path, head: bytes) -> bool:
    """%PDF- in the first kilobyte (the standard lets junk precede it); a `.pdf` without it is
    still claimed, so that it gets a "not a PDF" error rather than "unrecognised format"."""
    return MAGIC in head[:1024] or path.suffix.lower() == ".pdf"


def read(path: Path, languages: str | None = None) -> Batch:
    """Read one PDF into a one-record batch; `languages` overrides the `ocr_languages` setting."""
    pdf = _open(path)
    layers = [_text_layer(page) for page in pdf.pages]
    with ocr.page_folder() as folder:
        scanned = _ocr_pages(path, _numbers_without_layer(layers), folder, languages)
    pages = [scanned.get(number) or ocr.Page(number=number, text=layers[number - 1] or "")
             for number in range(1, len(layers) + 1)]
    record = ocr.scanned_record(path, FORMAT, pages, title=_title(pdf, path), languages=languages)
    return Batch(records=[record], scans=ocr.scans(record, pages))


def _open(path: Path) -> PdfReader:
    """The parsed PDF, or ReadError for an empty, damaged or password-protected file."""
    with open(path, "rb") as handle:
        head = handle.read(1024)
    if not head:
        raise ReadError(path, "the file is empty")
    if MAGIC not in head:
        raise ReadError(path, "not a PDF (no %PDF- header)")
    try:
        pdf = PdfReader(path, strict=False)
        if pdf.is_encrypted and not pdf.decrypt(""):
            raise ReadError(path, "the PDF is encrypted and needs a password")
        if not len(pdf.pages):
            raise ReadError(path, "the PDF has no pages")
    except ReadError:
        raise
    except DependencyError as error:
        raise ReadError(path, f"the PDF is encrypted with a method this installation cannot open: {error}") from None
    except Exception as error:  # pypdf raises many exception types (not only PdfReadError) on damaged files
        raise ReadError(path, f"damaged PDF: {error or type(error).__name__}") from None
    return pdf


def _text_layer(page) -> str | None:
    """The page's text layer, or None when it has none worth keeping (see MIN_LAYER_CHARS)."""
    try:
        text = page.extract_text() or ""
    except Exception:  # a broken content stream: OCR of the rendered page is the better reading
        return None
    text = "\n".join(line.rstrip() for line in text.replace("\f", "\n").splitlines()).strip()
    return text if sum(ch.isalnum() for ch in text) >= MIN_LAYER_CHARS else None


def _numbers_without_layer(layers: list[str | None]) -> list[int]:
    return [number for number, layer in enumerate(layers, start=1) if layer is None]


def _ocr_pages(path: Path, numbers: list[int], folder: Path, languages: str | None) -> dict[int, ocr.Page]:
    """Render the pages `numbers` (1-based) in grey at the ocr_dpi setting, keep their images, OCR them."""
    if not numbers:
        return {}
    dpi = get_settings().ocr_dpi
    try:
        # An empty password opens the "permissions only" encrypted PDFs that pypdf opened in _open.
        document = pypdfium2.PdfDocument(str(path), password="")
    except pypdfium2.PdfiumError as error:
        raise ReadError(path, f"cannot render the PDF for OCR: {error}") from None
    until = ocr.deadline()
    try:
        return {number: ocr.recognise(path, _render(path, document, number, folder, dpi), number, languages, until)
                for number in numbers}
    finally:
        document.close()


def _render(path: Path, document: pypdfium2.PdfDocument, number: int, folder: Path, dpi: int) -> Path:
    """Page `number` as a grey image file in `folder`, unless it would be larger than max_image_pixels
    (a tiny PDF can declare a page of 200 x 200 inches, gigabytes once rendered)."""
    try:
        page = document[number - 1]
        width, height = page.get_size()  # points, 1/72 inch
        guards.check_pixels(path, round(width * dpi / 72), round(height * dpi / 72), where=f"page {number}", dpi=dpi)
        bitmap = page.render(scale=dpi / 72, grayscale=True)
    except pypdfium2.PdfiumError as error:
        raise ReadError(path, f"cannot render the page for OCR: {error}", where=f"page {number}") from None
    return ocr.save_page_image(bitmap.to_pil().convert("L"), folder, number, dpi)


def _title(pdf: PdfReader, path: Path) -> str | None:
    """The Title metadata, unless it is missing, blank or only a file name (Pillow, for one,
    writes the file name there)."""
    try:
        title = (pdf.metadata or {}).get("/Title")
    except Exception:  # damaged metadata is no reason to refuse the document
        return None
    title = " ".join(str(title or "").split())
    return title if title and not _FILE_NAME_TITLE.match(title) and title != path.stem else None
