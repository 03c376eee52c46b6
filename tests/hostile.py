"""Hostile input files, built on the spot (no binaries in the repository): each is small on disk and
would make a careless reader use gigabytes, minutes, a file outside the archive, or Python's
whole stack. Used by tests/test_hostile_input.py and bench/hostile.py (before/after figures)."""

from __future__ import annotations

import json
import os
import signal
import zipfile
import zlib
from pathlib import Path

TEI_NS = "http://www.tei-c.org/ns/1.0"


def tei(path: Path, body: str, doctype: str = "", prolog: str = "") -> Path:
    """A FRUS-like TEI volume around `body` (the inside of <body>)."""
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}{doctype}'
                    f'<TEI xmlns="{TEI_NS}"><teiHeader/><text><body>{body}</body></text></TEI>\n', encoding="utf-8")
    return path


def document(inner: str = "<p>Text.</p>", doc_id: str = "d1") -> str:
    return f'<div type="document" xml:id="{doc_id}" n="1"><head>1. Memorandum</head>{inner}</div>'


def nested_tei(path: Path, depth: int = 2000) -> Path:
    """A document whose paragraph nests `depth` elements (libxml2 itself allows 2048 with huge_tree)."""
    return tei(path, document("<p>" + "<hi>" * depth + "deep" + "</hi>" * depth + "</p>"))


def doctype_tei(path: Path, dtd: Path, padding: int = 0) -> Path:
    """A TEI file whose DOCTYPE names `dtd` as its external subset; `padding` bytes of comment before
    it put the DOCTYPE past the reader's first look at the prolog."""
    prolog = f"<!-- {TEI_NS} {'x' * padding} -->\n" if padding else ""  # the namespace: still detected as TEI
    return tei(path, document(), doctype=f'<!DOCTYPE TEI SYSTEM "{dtd.as_uri()}">\n', prolog=prolog)


def empty_tei(path: Path) -> Path:
    """A well-formed TEI file without a single <div type="document">."""
    return tei(path, '<div type="chapter"><p>An introduction, no documents.</p></div>')


def nested_jsonl(path: Path, depth: int = 100_000) -> Path:
    line = '{"id": "deep", "title": "Deep", "source": {"parts": ' + "[" * depth + "]" * depth + "}}"
    path.write_text(line + "\n", encoding="utf-8")
    return path


def nested_markdown(path: Path, depth: int = 30_000) -> Path:
    """Markdown whose YAML front matter nests `depth` flow sequences (PyYAML composes recursively)."""
    path.write_text(f"---\ntitle: Deep\nsubjects: {'[' * depth}{']' * depth}\n---\n# Deep\nText.\n", encoding="utf-8")
    return path


def long_jsonl_line(path: Path, megabytes: int = 30) -> Path:
    """One record of `megabytes` MB: a million small links, the costliest shape to validate."""
    people = [{"id": f"p{i}", "name": "P"} for i in range(megabytes * 1_000_000 // 26)]
    path.write_text(json.dumps({"id": "big", "title": "Big", "people": people}) + "\n", encoding="utf-8")
    return path


def huge_page_pdf(path: Path, points: int = 14400) -> Path:
    """A one-page PDF of a few hundred bytes whose page is `points`/72 inches square (14400 points,
    200 inches, is the largest the PDF standard allows): no text layer, so a reader renders it for OCR."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {points} {points}] >>"]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(out)
    return path


def huge_png(path: Path, width: int = 12_000, height: int = 10_000) -> Path:
    """A PNG whose header claims `width` x `height` grey pixels, with a few bytes of image data: a
    reader that decodes before it checks the size allocates the whole image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
                     + chunk(b"IEND", b""))
    return path


_XLSX_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',  # noqa: E501
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',  # noqa: E501
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',  # noqa: E501
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',  # noqa: E501
}


def many_rows_xlsx(path: Path, rows: int = 900_000) -> Path:
    """A workbook of about 45 KB holding `rows` identical rows: the repetition compresses ~1000:1."""
    row = '<row><c t="inlineStr"><is><t>A title</t></is></c></row>'
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<sheetData><row><c t="inlineStr"><is><t>Title</t></is></c></row>' + row * rows + "</sheetData></worksheet>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in _XLSX_PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def page_images_jsonl(path: Path, victim: Path) -> Path:
    """A record that names a file outside the archive as its page image."""
    record = {"id": "grab", "title": "Grab", "source": {"parts": {"page_images": str(victim)}}}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


def read_or_crash(path: Path, sha256: str, files: Path | None = None):
    """Fault injection for the ingest's worker pool (spawned processes import this by name): a file
    named crash-exit* kills its reader process outright, as the kernel's out-of-memory killer or a
    crash in a C library would; crash-error* raises inside the reader; others are read for real."""
    from fonds.ingest import read_file_for_transfer

    if path.name.startswith("crash-exit"):
        os.kill(os.getpid(), signal.SIGKILL)
    if path.name.startswith("crash-error"):
        raise RecursionError("maximum recursion depth exceeded")
    return read_file_for_transfer(path, sha256, files)
