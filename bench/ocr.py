"""OCR and plain-text reading throughput, run by hand (not a test).

    .venv/bin/python bench/ocr.py              # 12 generated pages, 317 plain-text documents
    .venv/bin/python bench/ocr.py --pages 40

Pages are full A4 pages of FRUS 1955-1957 vol. XX text (black DejaVu Sans on white, 300 dpi, 10 pt),
made twice from the same lines: a scanned PDF (page images only) and a born-digital PDF with a
text layer. The text-layer reading of the same pages, in the same run, is the peer of the OCR runs;
word recall is the share of the source's words OCR gave back. Plain text: the volume's documents
written as .txt files, read by the text reader alone and with the enrichers (fonds.ingest.read_file).
Prints a Markdown table (machine, versions, data size, rates and each run's ratio to its peer).
Needs the test extra (fpdf2) and Tesseract with eng and rus data.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import textwrap
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "src")]

from tests.scans import page_image, text_pdf  # noqa: E402  (after the path setup)

LINES_PER_PAGE = 44  # what fits an A4 page at 300 dpi with 10 pt type and 1.6 line spacing


def frus_pages(count: int) -> list[list[str]]:
    """`count` full pages of wrapped text from the volume's documents, in order."""
    from fonds.readers import tei

    volume = REPO.parent / "shared" / "corpus" / "frus" / "tei" / "frus1955-57v20.xml"
    lines: list[str] = []
    for record in tei.read(volume).records:
        lines += [line for paragraph in record.texts[0].body.split("\n") for line in textwrap.wrap(paragraph, 95)]
        if len(lines) >= count * LINES_PER_PAGE:
            break
    return [lines[i:i + LINES_PER_PAGE] for i in range(0, count * LINES_PER_PAGE, LINES_PER_PAGE)]


def timed(func, *args):
    started = time.perf_counter()
    result = func(*args)
    return time.perf_counter() - started, result


def read_pdf(path: Path, languages: str | None = None):
    from fonds.readers import pdf

    return pdf.read(path, languages=languages).records[0]


def read_images_parallel(paths: list[Path]) -> list:
    """One page image per worker task, as `fonds ingest` spreads files over its reader processes."""
    from fonds.readers import image

    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        return [batch.records[0] for batch in pool.map(image.read, paths)]


def recall(source: list[list[str]], body: str) -> float:
    """Share of the source's words (3+ letters) found in the OCR text, page by page."""
    found = total = 0
    for lines, page in zip(source, body.split("\f")):
        got = set(re.findall(r"\w{3,}", page.lower()))
        words = re.findall(r"\w{3,}", " ".join(lines).lower())
        found += sum(word in got for word in words)
        total += len(words)
    return found / total if total else 0.0


def plain_text_runs(folder: Path) -> list[tuple[str, int, float]]:
    """(run, documents, seconds) for the text reader alone and with the enrichers."""
    from fonds.ingest import read_file
    from fonds.readers import tei, text

    volume = REPO.parent / "shared" / "corpus" / "frus" / "tei" / "frus1955-57v20.xml"
    paths = []
    for record in tei.read(volume).records:
        path = folder / f"{record.id}.txt"
        path.write_text(record.title + "\n\n" + (record.texts[0].body if record.texts else ""), encoding="utf-8")
        paths.append(path)
    reader_seconds, _ = timed(lambda: [text.read(path) for path in paths])
    enrich_seconds, _ = timed(lambda: [read_file(path, "0" * 64) for path in paths])
    return [("text reader", len(paths), reader_seconds), ("text reader + enrichers (read_file)", len(paths), enrich_seconds)]


def versions() -> str:
    from importlib.metadata import version

    tesseract = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    return (f"Python {platform.python_version()}, {tesseract}, "
            + ", ".join(f"{name} {version(name)}" for name in ("pypdf", "pypdfium2", "Pillow")))


def make_inputs(folder: Path, pages: list[list[str]]) -> tuple[Path, Path, list[Path]]:
    """The same pages as a scanned PDF, a text-layer PDF and one PNG file per page."""
    images = [page_image(lines) for lines in pages]
    scanned = folder / "scanned.pdf"
    colour = [image.convert("RGB") for image in images]
    colour[0].save(scanned, "PDF", save_all=True, append_images=colour[1:], resolution=300)
    singles = [folder / f"page-{number:03d}.png" for number in range(1, len(images) + 1)]
    for path, image in zip(singles, images):
        image.save(path, dpi=(300, 300))
    return scanned, text_pdf(folder / "text-layer.pdf", pages), singles


def ocr_runs(pages: list[list[str]], scanned: Path, born_digital: Path, singles: list[Path]) -> list[tuple]:
    """(run, seconds, OCR confidence, word recall) rows; the text-layer reading first, as the peer."""
    peer, _ = timed(read_pdf, born_digital)
    rows = [("PDF text layer (peer)", peer, None, None)]
    for label, languages in (("PDF scanned, OCR eng+rus, one process", None),
                             ("PDF scanned, OCR eng only, one process", "eng")):
        seconds, record = timed(read_pdf, scanned, languages)
        rows.append((label, seconds, record.source.parts.get("ocr_confidence"), recall(pages, record.texts[0].body)))
    seconds, records = timed(read_images_parallel, singles)
    body = "\f".join(record.texts[0].body for record in records)
    confidence = sum(float(record.source.parts["ocr_confidence"]) for record in records) / len(records)
    rows.append((f"PNG pages, OCR eng+rus, {os.cpu_count()} processes", seconds, f"{confidence:.1f}", recall(pages, body)))
    return rows


def print_ocr_table(rows: list[tuple], count: int) -> None:
    peer = rows[0][1]
    print("| run | seconds | pages/s | time vs peer | OCR confidence | word recall |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, seconds, confidence, found in rows:
        print(f"| {label} | {seconds:.2f} | {count / seconds:.2f} | {seconds / peer:.1f}x | "
              f"{confidence or '-'} | {f'{found:.1%}' if found is not None else '-'} |", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=12)
    args = parser.parse_args()
    from fonds.settings import get_settings

    load = os.getloadavg()[0]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; {versions()}"
    pages = frus_pages(args.pages)
    with tempfile.TemporaryDirectory(prefix="fonds-bench-ocr-") as tmp:
        folder = Path(tmp)
        inputs = make_inputs(folder, pages)
        tempfile.tempdir = tmp  # the readers' page images go with the rest
        rows = ocr_runs(pages, *inputs)
        words = sum(len(" ".join(lines).split()) for lines in pages)
        print(f"Machine: {machine}; load average before the run {load:.1f}")
        print(f"Data: {args.pages} A4 pages of FRUS 1955-57 vol. XX ({words:,} words), rendered at 300 dpi; "
              f"PDF pages rendered for OCR at {get_settings().ocr_dpi} dpi\n")
        print_ocr_table(rows, args.pages)
        print("\n| run | documents | seconds | docs/s |")
        print("|---|---:|---:|---:|")
        for label, documents, seconds in plain_text_runs(folder):
            print(f"| {label} | {documents} | {seconds:.2f} | {documents / seconds:,.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
