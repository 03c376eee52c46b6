"""Citations: CSL styles through citeproc-py, BibTeX, RIS, CSL-JSON, Zotero-readable metadata."""
