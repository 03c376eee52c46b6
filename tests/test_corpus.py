"""The whole corpora of ../shared/corpus through the real `fonds ingest` (make test-corpus).

These read the large sets, so `make test` leaves them out; CI runs them with `make test-corpus`.
"""

from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path

import pytest

from tests.conftest import REPO, require

pytestmark = pytest.mark.corpus
# Whole sets take minutes (the NARA release about two on an idle 2-core machine); a slow or busy CI
# machine must not turn that into a failure, so each run may take half an hour.
TIMEOUT = 1800
# The large corpora beside the checkout: only this module, the `corpus` target, reads them.
SHARED_CORPUS = Path(os.environ.get("FONDS_CORPUS", REPO.parent / "shared" / "corpus"))


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    """The whole corpora (../shared/corpus, or $FONDS_CORPUS)."""
    require(SHARED_CORPUS.is_dir(), f"shared corpus not found at {SHARED_CORPUS} (set FONDS_CORPUS)")
    return SHARED_CORPUS


def test_frus_volumes_and_seed_ingest_whole(cli, shared_corpus):
    volumes = sorted((shared_corpus / "frus" / "tei").glob("*.xml"))
    result = cli("ingest", str(shared_corpus / "seed"), *map(str, volumes), timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr
    exported = cli("export", check=True, timeout=TIMEOUT).stdout.splitlines()
    documents = [json.loads(line) for line in exported if '"authority"' not in line[:14]]
    ids = [doc["id"] for doc in documents]
    assert len(ids) == len(set(ids)) == 1 + 317 + 390


def _documents(cli) -> list[dict]:
    exported = cli("export", check=True, timeout=TIMEOUT).stdout.splitlines()
    return [record for record in map(json.loads, exported) if "authority" not in record]


def _stderr(result, kind: str) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith(f"{kind}:")]


def test_russian_set_ingests_whole(cli, shared_corpus):
    """711 texts with their metadata sheet: one document per row, nothing else (the README is left out)."""
    folder = shared_corpus / "russian"
    result = cli("ingest", str(folder), timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert _stderr(result, "note") == [f"note: {folder / 'README.md'}: left out, it describes the folder (name it to ingest it)"]
    documents = _documents(cli)
    ids = sorted(record["id"] for record in documents)
    with open(folder / "metadata.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert ids == sorted(Path(row["file"]).stem for row in rows)
    assert all(record["date"] and record["type"] and record["texts"][0]["language"] == "ru" for record in documents)


def test_delegates_set_ingests_whole(cli, shared_corpus):
    folder = shared_corpus / "delegates"
    result = cli("ingest", str(folder), timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr
    documents = _documents(cli)
    with open(folder / "metadata.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(record["id"] for record in documents) == sorted(row["id"] for row in rows)
    assert all(record["provenance"]["format"] == "metadata-sheet" for record in documents)


def test_nara_release_ingests_whole_and_names_every_missing_file(cli, shared_corpus):
    """The 2023 JFK release as NARA publishes it (sheet at the top, texts below): every row with a
    text is stored once, under its record number (each version of the 13 re-released records and of
    the 3 listed twice under its file's path); each of the 72 rows whose text this copy lacks is
    refused with its row and file named; no text is also stored on its own."""
    folder = shared_corpus / "nara-jfk-2023"
    missing = re.findall(r"^- `(2023/\S+\.pdf)`", (folder / "README.md").read_text(encoding="utf-8"), re.MULTILINE)
    assert len(missing) == 72
    result = cli("ingest", str(folder), timeout=TIMEOUT)
    assert result.returncode == 1
    errors = _stderr(result, "error")
    sheet = folder / "national-archives-jfk-assassination-records-2023-release.xlsx"
    assert len(errors) == 72
    assert {re.search(r":row \d+: file '(\S+)' not found in ", line).group(1) for line in errors} == set(missing)
    assert all(line.startswith(f"error: {sheet}:row ") for line in errors)
    assert _stderr(result, "note") == [
        f"note: {folder / 'README.md'}: left out, it describes the folder (name it to ingest it)",
        f"note: {folder / 'national-archives-jfk-assassination-records-2023-release.csv'}: left out, it holds the same "
        f"rows as {sheet.name}"]
    documents = _documents(cli)
    ids = [record["id"] for record in documents]
    assert len(ids) == len(set(ids)) == 2693 - 72
    assert all(record["provenance"]["format"] == "metadata-sheet" for record in documents)
    with open(folder / "national-archives-jfk-assassination-records-2023-release.csv", encoding="utf-8", newline="") as handle:
        files = {row["File Name"] for row in csv.DictReader(handle)}
    assert {record["source"]["parts"]["file"] for record in documents} == files - set(missing)
