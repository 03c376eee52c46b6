"""Attaching page images (scans) to documents; `fonds.archive.pages` serves them out again."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from django.db import transaction
from PIL import Image

from fonds.catalog.models import PageImage
from fonds.settings import get_settings

PAGES_FOLDER = "pages"  # under the media folder: pages/<document id>/<position>.<ext>


def media_root() -> Path:
    return get_settings().media_dir


def attach_images(doc_id: str, files: Sequence[str | Path], labels: Sequence[str] | None = None) -> list[PageImage]:
    """Make `files` (in page order) the page images of a document, replacing any it had.

    A file outside the media folder is copied into it, so the archive home holds everything it
    serves. Each file is opened with Pillow first: an unreadable image changes nothing.
    """
    sizes = [_size(Path(f)) for f in files]
    labels = list(labels) if labels is not None else [f"p. {i}" for i in range(1, len(files) + 1)]
    if len(labels) != len(files):
        raise ValueError(f"{len(files)} files but {len(labels)} labels")
    with transaction.atomic():
        PageImage.objects.filter(document_id=doc_id).delete()
        rows = [PageImage(document_id=doc_id, position=i, path=_store(doc_id, i, Path(f)), width=w, height=h,
                          label=label)
                for i, (f, (w, h), label) in enumerate(zip(files, sizes, labels), start=1)]
        return PageImage.objects.bulk_create(rows)


def _size(path: Path) -> tuple[int, int]:
    """Width and height, read from the header (Image.open does not decode the pixels)."""
    try:
        with Image.open(path) as image:
            return image.size
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: not a readable image ({exc})") from exc


def _store(doc_id: str, position: int, source: Path) -> str:
    """The media-relative path of the image, copying it under pages/<doc id>/ when needed."""
    root = media_root().resolve()
    source = source.resolve()
    if source.is_relative_to(root):
        return source.relative_to(root).as_posix()
    target = root / PAGES_FOLDER / doc_id / f"{position}{source.suffix.lower()}"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target.relative_to(root).as_posix()
