"""IIIF Presentation 3 manifests and a level-0 image service for documents with page images."""
