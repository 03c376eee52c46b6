"""IIIF under /iiif/: manifests and the level-0 image service of document page images."""

from django.urls import path, re_path

from fonds.iiif import manifest, service

urlpatterns = [
    path("<str:doc_id>/manifest.json", manifest.manifest, name="iiif-manifest"),
    path("<str:doc_id>/<int:position>", service.base, name="iiif-image-base"),
    path("<str:doc_id>/<int:position>/info.json", service.info, name="iiif-image-info"),
    re_path(r"^(?P<doc_id>[^/]+)/(?P<position>[0-9]+)/full/(?P<size>max|[0-9]+,[0-9]+)/0/default\.jpg$", service.image,
            name="iiif-image"),
]
