"""The whole corpora of ../shared/corpus through the real `fonds ingest` (make test-corpus).

These read the large sets, so `make test` leaves them out; CI runs them with `make test-corpus`.
"""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.corpus


def test_frus_volumes_and_seed_ingest_whole(cli, shared_corpus):
    volumes = sorted((shared_corpus / "frus" / "tei").glob("*.xml"))
    result = cli("ingest", str(shared_corpus / "seed"), *map(str, volumes))
    assert result.returncode == 0, result.stderr
    exported = cli("export", check=True).stdout.splitlines()
    documents = [json.loads(line) for line in exported if '"authority"' not in line[:14]]
    ids = [doc["id"] for doc in documents]
    assert len(ids) == len(set(ids)) == 1 + 317 + 390
