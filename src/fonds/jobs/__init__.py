"""Background jobs: ingest (one task per file), enrichment, reindex and export as recorded jobs,
run by Celery workers when a broker is configured and in the calling process otherwise."""
