"""The catalog: Django models of documents and authority records, the only source of truth."""
