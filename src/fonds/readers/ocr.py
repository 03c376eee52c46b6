"""Scanned pages, shared by the PDF and image readers: OCR with Tesseract and the page images.

Not a reader itself (no FORMAT). Tesseract runs as the `tesseract` program, once per page, with
TSV output: that one run gives the words with their line layout (the page text) and each word's
confidence (0-100), whose mean is recorded as the page's OCR confidence.

How a scanned document is laid out in its record (see `scanned_record`):
- one text layer; its body is the page texts joined by form feeds ("\\f"), so page N is
  `body.split("\\f")[N - 1]` (a blank page is an empty string between two form feeds);
- `source.parts` holds `pages` (page count), `ocr_pages` (pages read by OCR), `ocr_confidence`
  (mean word confidence over those pages) and `ocr_page_confidence` ("3:87.5,4:91.0", page:mean).
  The reader writes the page images to a temporary folder and lists them in the batch's `scans`;
  `fonds ingest` copies them into the archive's media folder once the record is stored
  (`media/pages/<record>/<file hash>/page-0003.png`) and lists them, relative to that folder, in
  `source.parts["page_images"]`.
- OCR of one file may take `ocr_file_timeout` seconds in all (`deadline`), one page `ocr_page_timeout`.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from fonds.records import Provenance, ReadError, Record, Source, Text
from fonds.settings import get_settings

TESSERACT = "tesseract"
# Tesseract's language codes and the ISO 639-1 code a record carries; the Cyrillic ones are told
# apart from the Latin ones by the script of the recognised text.
ISO_639_1 = {"eng": "en", "rus": "ru", "ukr": "uk", "bel": "be", "bul": "bg", "srp": "sr", "mkd": "mk",
             "deu": "de", "fra": "fr", "spa": "es", "ita": "it", "pol": "pl", "ces": "cs", "slk": "sk",
             "hun": "hu", "ron": "ro", "por": "pt", "nld": "nl", "lit": "lt", "lav": "lv", "est": "et"}
CYRILLIC_LANGUAGES = {"rus", "ukr", "bel", "bul", "srp", "mkd"}
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


@dataclass
class Page:
    """One page of a scanned (or partly scanned) document."""

    number: int
    text: str
    confidence: float | None = None  # mean OCR word confidence; None for a text-layer page
    words: int = 0  # words OCR found (weights the document's mean confidence)
    image: Path | None = None  # the page image kept as media, when there is one


def ocr_languages(languages: str | None = None) -> str:
    """The Tesseract languages to use: the argument, else the `ocr_languages` setting."""
    return languages or get_settings().ocr_languages


@contextmanager
def page_folder() -> Iterator[Path]:
    """A temporary folder for one file's page images; removed again if reading the file fails."""
    folder = Path(tempfile.mkdtemp(prefix="fonds-pages-"))
    try:
        yield folder
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if not any(folder.iterdir()):
        folder.rmdir()


def save_page_image(image: Image.Image, folder: Path, number: int, dpi: float | None = None) -> Path:
    """Write a page image: PNG for black-and-white and grey pages, JPEG for colour (PNG of a colour
    photograph would be several times larger). The DPI is stored so Tesseract scales correctly."""
    extra = {"dpi": (dpi, dpi)} if dpi else {}
    if image.mode in ("1", "L"):
        target = folder / f"page-{number:04d}.png"
        image.save(target, "PNG", **extra)
    else:
        target = folder / f"page-{number:04d}.jpg"
        image.convert("RGB").save(target, "JPEG", quality=90, **extra)
    return target


def deadline() -> float:
    """The monotonic time by which OCR of the file begun now must end (the ocr_file_timeout setting)."""
    return time.monotonic() + get_settings().ocr_file_timeout


def recognise(path: Path, image: Path, number: int, languages: str | None = None, until: float | None = None) -> Page:
    """OCR one page image with Tesseract; `path` is the file being read, for error messages, and
    `until` the file's deadline (from `deadline()`)."""
    settings = get_settings()
    timeout = min(settings.ocr_page_timeout, (until - time.monotonic()) if until is not None else float("inf"))
    if timeout <= 0:
        raise ReadError(path, f"OCR of the file took longer than {settings.ocr_file_timeout:g} s (the ocr_file_timeout "
                              "setting)", where=f"page {number}")
    if shutil.which(TESSERACT) is None:
        raise ReadError(path, "this file needs OCR, but the tesseract program is not installed "
                              "(apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus)")
    # One OpenMP thread per Tesseract: ingest already runs one reader process per core, and more
    # threads per page only contend for the same cores.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    command = [TESSERACT, str(image), "stdout", "-l", ocr_languages(languages), "--psm", "3", "tsv"]
    try:
        done = subprocess.run(command, capture_output=True, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        # Name the limit that ran out, with its setting's value (not what was left of the file's time).
        limit = "ocr_page_timeout" if timeout == settings.ocr_page_timeout else "ocr_file_timeout"
        raise ReadError(path, f"OCR took longer than {getattr(settings, limit):g} s (the {limit} setting)",
                        where=f"page {number}") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ReadError(path, f"OCR failed: {reason[-1] if reason else 'tesseract exit code ' + str(done.returncode)}",
                        where=f"page {number}")
    text, confidences = parse_tsv(done.stdout.decode("utf-8", "replace"))
    mean = round(sum(confidences) / len(confidences), 1) if confidences else None
    return Page(number=number, text=text, confidence=mean, words=len(confidences), image=image)


def parse_tsv(tsv: str) -> tuple[str, list[float]]:
    """The text of Tesseract's TSV output (lines joined by newlines, paragraphs by a blank line)
    and the confidence of each word."""
    lines: dict[tuple[str, str, str], list[str]] = {}
    confidences: list[float] = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        word = (row.get("text") or "").strip()
        if row.get("level") != "5" or not word:
            continue
        lines.setdefault((row["block_num"], row["par_num"], row["line_num"]), []).append(word)
        confidences.append(float(row["conf"]))
    out: list[str] = []
    previous = None
    for (block, paragraph, _line), words in lines.items():
        if previous is not None and previous != (block, paragraph):
            out.append("")
        out.append(" ".join(words))
        previous = (block, paragraph)
    return "\n".join(out), confidences


def language_of(text: str, languages: str | None = None) -> str | None:
    """The ISO 639-1 code of the configured OCR language that fits the text's script: the first
    Cyrillic-script language when Cyrillic letters are the majority, else the first Latin one."""
    cyrillic, latin = len(_CYRILLIC.findall(text)), len(_LATIN.findall(text))
    if not cyrillic and not latin:
        return None
    for code in ocr_languages(languages).split("+"):
        if (code in CYRILLIC_LANGUAGES) == (cyrillic > latin):
            return ISO_639_1.get(code)
    return None


def scanned_record(path: Path, fmt: str, pages: list[Page], title: str | None = None,
                   languages: str | None = None) -> Record:
    """The record of a paged document (layout in the module docstring). The text is a
    `transcription` when any page was OCR'd (a machine reading of the original), else `original`."""
    body = "\f".join(page.text for page in pages)
    scanned = [page for page in pages if page.confidence is not None or page.image is not None]
    language = language_of(body, languages) if scanned else None
    parts = {"pages": str(len(pages))}
    if scanned:
        parts.update(_ocr_parts(scanned))
    texts = [Text(kind="transcription" if scanned else "original", language=language, body=body)] if body.strip() else []
    return Record(id=path.stem, title=title or _first_line(body) or path.stem, languages=[language] if language else [],
                  texts=texts, source=Source(parts=parts), provenance=Provenance(format=fmt, file=str(path)))


def _ocr_parts(scanned: list[Page]) -> dict[str, str]:
    """OCR confidence (document mean over all words, and per page) and the page images."""
    words = sum(page.words for page in scanned)
    weighted = sum((page.confidence or 0) * page.words for page in scanned)
    parts = {"ocr_pages": str(len(scanned))}
    if words:  # pages where OCR found no word (blank pages) have no confidence
        parts["ocr_confidence"] = f"{weighted / words:.1f}"
        parts["ocr_page_confidence"] = ",".join(f"{page.number}:{page.confidence:.1f}" for page in scanned
                                                if page.confidence is not None)
    return parts


def scans(record: Record, pages: list[Page]) -> dict[str, list[str]]:
    """The batch's `scans` for a paged document: its page images, if any were kept."""
    images = [str(page.image) for page in pages if page.image]
    return {record.id: images} if images else {}


def _first_line(body: str) -> str | None:
    """The first non-blank line, cut at 200 characters (OCR can run a whole paragraph together)."""
    line = next((line.strip() for line in body.splitlines() if line.strip()), None)
    return line[:200] if line else None
