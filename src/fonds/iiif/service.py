"""A IIIF Image API 3 level-0 service: info.json, the full image and a few fixed sizes.

Level 0 means no arbitrary regions, rotations or sizes: a client asks only for what info.json
lists. JPEG originals are served byte for byte; other formats and the smaller sizes are made once
with Pillow and kept beside the originals (iiif-cache/ in the media folder).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from PIL import Image

from fonds.archive.pages import image_base, sizes
from fonds.archive.urls import absolute
from fonds.archive.visibility import is_public, visible_to
from fonds.catalog.models import PageImage
from fonds.catalog.pages import media_root
from fonds.settings import get_settings

CACHE_FOLDER = "iiif-cache"
IMAGE_CONTEXT = "http://iiif.io/api/image/3/context.json"


def allow_any_origin(response: HttpResponse) -> None:
    """IIIF viewers run on other sites and fetch manifests, info.json and images from here."""
    response["Access-Control-Allow-Origin"] = "*"


def readable_page(request: HttpRequest, doc_id: str, position: int) -> PageImage:
    """A page image of a document the visitor may read (staff: drafts too), else 404."""
    page = PageImage.objects.select_related("document").filter(
        document__in=visible_to(request.user).filter(pk=doc_id), position=position).first()
    if page is None:
        raise Http404(f"no page {position} of a public document {doc_id}")
    return page


def cache_for(response: HttpResponse, doc) -> None:
    """Public documents' images may sit in shared caches for a day; others never."""
    public = is_public(doc.status, doc.embargo_until)
    response["Cache-Control"] = "public, max-age=86400" if public else "private, no-store"


def base(request: HttpRequest, doc_id: str, position: int) -> HttpResponse:
    """The service's base URI redirects to its info.json, as the Image API recommends."""
    readable_page(request, doc_id, position)
    return redirect("iiif-image-info", doc_id=doc_id, position=position, permanent=False)


def info(request: HttpRequest, doc_id: str, position: int) -> JsonResponse:
    """info.json: what this level-0 service can deliver for one page."""
    page = readable_page(request, doc_id, position)
    data = {
        "@context": IMAGE_CONTEXT, "id": absolute(request, image_base(page)), "type": "ImageService3",
        "protocol": "http://iiif.io/api/image", "profile": "level0", "width": page.width, "height": page.height,
        "sizes": [{"width": w, "height": h} for w, h in sizes(page)],
    }
    response = JsonResponse(data, content_type='application/ld+json;profile="http://iiif.io/api/image/3/context.json"')
    allow_any_origin(response)
    cache_for(response, page.document)
    return response


def image(request: HttpRequest, doc_id: str, position: int, size: str) -> HttpResponse:
    """full/<size>/0/default.jpg where size is "max" or one of the listed "w,h"."""
    page = readable_page(request, doc_id, position)
    wanted = (page.width, page.height) if size == "max" else _parse_size(size)
    if wanted not in sizes(page):
        raise Http404(f"size {size} is not offered (level 0: see info.json)")
    response = FileResponse(open(_jpeg(page, wanted), "rb"), content_type="image/jpeg")
    allow_any_origin(response)
    cache_for(response, page.document)
    return response


def _parse_size(size: str) -> tuple[int, int]:
    width, _, height = size.partition(",")
    if not (width.isdigit() and height.isdigit()):
        raise Http404(f"size {size!r} is not w,h")
    return int(width), int(height)


def _jpeg(page: PageImage, size: tuple[int, int]) -> Path:
    """The JPEG file for a page at a size: the original when it already is one, else a cached copy."""
    original = media_root() / page.path
    if not original.is_file():
        raise Http404(f"the image file of {page} is missing")
    if size == (page.width, page.height) and original.suffix.lower() in (".jpg", ".jpeg"):
        return original
    cached = media_root() / CACHE_FOLDER / page.document_id / str(page.position) / f"{size[0]},{size[1]}.jpg"
    if not cached.is_file():
        _make(original, size, cached)
    return cached


def _make(original: Path, size: tuple[int, int], target: Path) -> None:
    """Write a resized JPEG atomically (temp file, then rename), so a reader never sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(original) as img:
        img = img.convert("RGB")
        if img.size != size:
            img = img.resize(size, Image.Resampling.LANCZOS)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            img.save(out, "JPEG", quality=get_settings().iiif_jpeg_quality)
    os.replace(tmp, target)
