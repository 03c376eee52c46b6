"""Page images as the reading room and the IIIF service offer them: sizes and URLs."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from django.urls import reverse

from fonds.catalog.models import PageImage
from fonds.settings import get_settings


def image_base(page: PageImage) -> str:
    """The IIIF image service's base URI (path part): /iiif/<doc id>/<position>."""
    return reverse("iiif-image-base", kwargs={"doc_id": page.document_id, "position": page.position})


def image_path(page: PageImage, size: tuple[int, int] | None = None) -> str:
    """The path of a page's JPEG at a size offered by `sizes` (None: the original size)."""
    label = "max" if size is None else f"{size[0]},{size[1]}"
    return reverse("iiif-image", kwargs={"doc_id": page.document_id, "position": page.position, "size": label})


def sizes(page: PageImage) -> list[tuple[int, int]]:
    """The fixed sizes offered: the configured widths below the original's, then the original."""
    widths = sorted({w for w in get_settings().iiif_sizes if 0 < w < page.width})
    return [(w, max(1, round(page.height * w / page.width))) for w in widths] + [(page.width, page.height)]


def thumbnail_size(page: PageImage) -> tuple[int, int]:
    return sizes(page)[0]


_READER_IMAGE = re.compile(r"page-(\d+)")  # the name the PDF and image readers give page N's image


def text_page(page: PageImage) -> int:
    """The page of the document's text that a page image shows: the number the readers put in
    the image's file name (page-0003.png is page 3; a PDF's born-digital pages have no image, so
    the third image need not be page 3), else its position among the images."""
    match = _READER_IMAGE.fullmatch(PurePosixPath(page.path).stem)
    return int(match[1]) if match else page.position


def page_images_for(doc_id: str) -> list[dict]:
    """The page images of a document for templates: label, size, full and thumbnail URLs, the page
    of the text each shows (`text_page`), in order."""
    return [{"position": p.position, "label": p.label or f"p. {p.position}", "width": p.width, "height": p.height,
             "text_page": text_page(p),
             "full": image_path(p), "thumbnail": image_path(p, thumbnail_size(p)),
             "info": reverse("iiif-image-info", kwargs={"doc_id": p.document_id, "position": p.position}),
             "manifest": reverse("iiif-manifest", kwargs={"doc_id": p.document_id})}
            for p in PageImage.objects.filter(document_id=doc_id).order_by("position")]
