"""Reader for page images: TIFF (one page per frame, so multi-page TIFFs are one document), JPEG, PNG.

One image file is one record, read by Tesseract page by page exactly as a scanned PDF is (text
layout, OCR confidence and page images in `fonds.readers.ocr`). Pillow decodes the image; EXIF
orientation is applied first, since phone and camera scans are often stored rotated.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image, ImageOps, ImageSequence

from fonds.readers import guards, ocr
from fonds.records import Batch, ReadError

FORMAT = "page-image"
MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
# Pillow modes Tesseract reads as they are; others (palette, alpha, 16-bit, CMYK) are converted.
_OCR_MODES = ("1", "L", "RGB")


def detect(path: Path, head: bytes) -> bool:
    """PNG, JPEG or TIFF by their magic bytes; a file with an image suffix is claimed too, so a
    damaged one is reported as such rather than as an unrecognised format."""
    return head.startswith(MAGIC) or path.suffix.lower() in SUFFIXES


def read(path: Path, languages: str | None = None) -> Batch:
    """OCR every page (frame) of the image into a one-record batch."""
    until = ocr.deadline()
    with ocr.page_folder() as folder:
        pages = [ocr.recognise(path, ocr.save_page_image(frame, folder, number, dpi), number, languages, until)
                 for number, frame, dpi in _frames(path)]
    record = ocr.scanned_record(path, FORMAT, pages, languages=languages)
    return Batch(records=[record], scans=ocr.scans(record, pages))


def _frames(path: Path):
    """(page number, decoded frame, its DPI or None) for each frame; ReadError if undecodable."""
    if path.stat().st_size == 0:
        raise ReadError(path, "the file is empty")
    try:
        with warnings.catch_warnings():
            # Pillow warns above ~89 megapixels and raises above twice that (a decompression bomb);
            # below that, the max_image_pixels setting decides (guards.check_pixels).
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
                    # The header's size, checked before the pixels are decoded.
                    guards.check_pixels(path, *frame.size, where=f"page {number}")
                    yield number, _for_ocr(frame), _dpi(frame)
    except ReadError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise ReadError(path, f"image too large to read safely: {error}") from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        # Pillow reports unknown or damaged data as OSError ("cannot identify image file",
        # "image file is truncated"), and some decoders as SyntaxError or ValueError.
        raise ReadError(path, f"damaged or unreadable image: {error}") from None


def _for_ocr(frame: Image.Image) -> Image.Image:
    """A decoded, upright copy of the frame in a mode Tesseract reads."""
    frame = ImageOps.exif_transpose(frame)  # also forces decoding, so damage shows here
    if frame.mode not in _OCR_MODES:
        frame = frame.convert("L" if frame.mode in ("LA", "I", "I;16", "F") else "RGB")
    return frame


def _dpi(frame: Image.Image) -> float | None:
    """The resolution stored in the image, if it is a plausible scan resolution."""
    dpi = frame.info.get("dpi")
    value = float(dpi[0]) if dpi else 0.0
    return value if 70 <= value <= 2400 else None
