"""IIIF: page images attached to a document, its Presentation 3 manifest and the level-0 image service."""

from __future__ import annotations

import io

import pytest
from iiif_prezi3 import Manifest
from PIL import Image

from fonds.catalog import models as m
from fonds.catalog.models import PageImage
from fonds.archive.pages import page_images_for
from fonds.catalog.pages import attach_images

SEED = "000_6e32ea4dc738cddf"


@pytest.fixture
def media(tmp_path, monkeypatch):
    """This test's own media folder."""
    from fonds.catalog import pages

    root = tmp_path / "media"
    root.mkdir()
    monkeypatch.setattr(pages, "media_root", lambda: root)
    monkeypatch.setattr("fonds.iiif.service.media_root", lambda: root)
    return root


@pytest.fixture
def scans(tmp_path):
    """Two real page images: a JPEG and a PNG, of different sizes."""
    jpeg, png = tmp_path / "page1.jpg", tmp_path / "page2.png"
    Image.new("RGB", (800, 1100), (240, 235, 220)).save(jpeg, "JPEG", quality=85)
    Image.new("L", (640, 900), 200).save(png, "PNG")
    return [jpeg, png]


@pytest.fixture
def with_pages(sample_catalog, db, media, scans):
    return attach_images(SEED, scans, labels=["f. 36", "f. 36v"])


def test_attach_stores_files_and_sizes(with_pages, media):
    first, second = with_pages
    assert (first.position, first.width, first.height, first.label) == (1, 800, 1100, "f. 36")
    assert (second.width, second.height) == (640, 900)
    assert (media / first.path).read_bytes().startswith(b"\xff\xd8")
    assert first.path == f"pages/{SEED}/1.jpg"


def test_attach_replaces_and_rejects_unreadable_files(with_pages, scans, tmp_path):
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not an image")
    with pytest.raises(ValueError, match="broken.jpg"):
        attach_images(SEED, [scans[0], broken])
    assert PageImage.objects.filter(document_id=SEED).count() == 2  # nothing changed
    attach_images(SEED, [scans[1]])
    assert list(PageImage.objects.filter(document_id=SEED).values_list("position", "width")) == [(1, 640)]


def test_manifest_is_valid_presentation_3(client, with_pages):
    response = client.get(f"/iiif/{SEED}/manifest.json")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["@context"] == "http://iiif.io/api/presentation/3/context.json"
    manifest = Manifest(**data)  # iiif-prezi3 validates every field
    assert str(manifest.id.root if hasattr(manifest.id, "root") else manifest.id).endswith(f"/iiif/{SEED}/manifest.json")
    assert data["label"]["en"][0].startswith("CC CPSU Presidium Decision")
    canvases = data["items"]
    assert [(c["width"], c["height"]) for c in canvases] == [(800, 1100), (640, 900)]
    assert canvases[1]["label"] == {"none": ["f. 36v"]}
    body = canvases[0]["items"][0]["items"][0]["body"]
    assert body["type"] == "Image" and body["format"] == "image/jpeg"
    assert body["service"][0]["type"] == "ImageService3" and body["service"][0]["profile"] == "level0"
    assert canvases[0]["items"][0]["items"][0]["target"] == canvases[0]["id"]


def test_image_service_serves_the_bytes(client, with_pages, scans, media):
    manifest = client.get(f"/iiif/{SEED}/manifest.json").json()
    first, second = (c["items"][0]["items"][0]["body"] for c in manifest["items"])
    full = client.get(first["id"].replace("http://testserver", ""))
    assert full.status_code == 200 and full["Content-Type"] == "image/jpeg"
    assert b"".join(full.streaming_content) == scans[0].read_bytes()  # the JPEG original, byte for byte
    converted = client.get(second["id"].replace("http://testserver", ""))
    with Image.open(io.BytesIO(b"".join(converted.streaming_content))) as img:
        assert (img.format, img.size) == ("JPEG", (640, 900))  # the PNG, served as JPEG


def test_info_json_and_fixed_sizes(client, with_pages):
    info = client.get(f"/iiif/{SEED}/1/info.json")
    assert info.status_code == 200 and info["Access-Control-Allow-Origin"] == "*"
    data = info.json()
    assert data["@context"] == "http://iiif.io/api/image/3/context.json" and data["profile"] == "level0"
    assert data["id"] == f"http://testserver/iiif/{SEED}/1" and (data["width"], data["height"]) == (800, 1100)
    assert {"width": 150, "height": 206} in data["sizes"] and {"width": 800, "height": 1100} in data["sizes"]
    small = client.get(f"/iiif/{SEED}/1/full/150,206/0/default.jpg")
    with Image.open(io.BytesIO(b"".join(small.streaming_content))) as img:
        assert img.size == (150, 206)
    assert client.get(f"/iiif/{SEED}/1").status_code == 302
    assert client.get(f"/iiif/{SEED}/1/full/151,206/0/default.jpg").status_code == 404  # level 0: listed sizes only
    assert client.get(f"/iiif/{SEED}/9/info.json").status_code == 404


def test_no_manifest_without_pages_or_for_drafts(client, with_pages):
    other = m.Document.objects.exclude(id=SEED).first()
    assert client.get(f"/iiif/{other.id}/manifest.json").status_code == 404
    m.Document.objects.filter(id=SEED).update(status="draft")
    assert client.get(f"/iiif/{SEED}/manifest.json").status_code == 404
    assert client.get(f"/iiif/{SEED}/1/full/max/0/default.jpg").status_code == 404


def test_page_images_for_and_the_scans_snippet(with_pages):
    from django.template.loader import render_to_string

    pages = page_images_for(SEED)
    assert [p["label"] for p in pages] == ["f. 36", "f. 36v"]
    assert pages[0]["full"] == f"/iiif/{SEED}/1/full/max/0/default.jpg"
    assert pages[0]["thumbnail"] == f"/iiif/{SEED}/1/full/150,206/0/default.jpg"
    doc = m.Document.objects.get(id=SEED)
    html = render_to_string("fonds/_scans.html", {"page_images": pages, "doc": doc})
    assert 'id="scans"' in html and pages[0]["thumbnail"] in html and f"/iiif/{SEED}/manifest.json" in html
    assert render_to_string("fonds/_scans.html", {"page_images": [], "doc": doc}).strip() == ""


def test_document_page_shows_the_scans_beside_the_text(client, with_pages):
    doc = with_pages[0].document
    html = client.get(doc.get_absolute_url()).content.decode()
    assert 'class="with-scans"' in html and 'id="scans"' in html
    assert html.index('id="text-h"') < html.index('id="scans"') < html.index('id="associated"')
    assert f'/iiif/{SEED}/manifest.json' in html and html.count('<img src="') == 2
    assert 'alt="f. 36 of “CC CPSU Presidium Decision' in html


def test_a_page_image_shows_the_text_page_its_reader_named():
    from fonds.archive.pages import text_page

    # A PDF whose first two pages have a text layer keeps images of pages 3 and 4 only.
    assert text_page(PageImage(position=1, path="pages/memo/0123456789ab/page-0003.png")) == 3
    assert text_page(PageImage(position=2, path="pages/memo/0123456789ab/page-0004.jpg")) == 4
    # Images attached by hand are in page order.
    assert text_page(PageImage(position=2, path="pages/memo/2.jpg")) == 2
    assert text_page(PageImage(position=1, path="pages/memo/scan-page-7.jpg")) == 1
