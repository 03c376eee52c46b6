"""Enrichers: plain-Python functions that derive structured values (dates, classification,
document type, people) from the text a reader found. They import no Django."""
