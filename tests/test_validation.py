"""Values are validated at the door, in the record types, so every reader, JSON Lines, harvests and
curated values get the same rules: EDTF and ISO days, embargo days, http(s) rights URIs, ids in a
safe character set; and a record id belongs to one file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from fonds.catalog import models as m
from fonds.catalog.ingest import Ingest
from fonds.records import DateValue, Link, Record, Rights, Source
from tests.conftest import SEED


@pytest.mark.parametrize("edtf", ["1959", "1959-12", "1959-12-14", "1959-12~", "1959?", "1959-12-14/1959-12-18",
                                  "../1960", "1959/..", "1959-21", "195X", "1959-12-14T10:00:00Z"])
def test_edtf_dates_are_accepted(edtf):
    assert DateValue(edtf=edtf).edtf == edtf


@pytest.mark.parametrize("date, key", [({"edtf": "not-a-date"}, "edtf"), ({"edtf": "1959-02-30"}, "edtf"),
                                       ({"edtf": "1959-13"}, "edtf"), ({"edtf": "1959-12-18/1959-12-14"}, "edtf"),
                                       ({"edtf": "1959", "min": "1959-02-30"}, "min"),
                                       ({"edtf": "1959", "max": "14.12.1959"}, "max"),
                                       ({"edtf": "1959", "min": "1959-12-31", "max": "1959-01-01"}, "after")])
def test_bad_dates_are_refused(date, key):
    with pytest.raises(ValidationError, match=key):
        DateValue(**date)


@pytest.mark.parametrize("value", ["next tuesday", "2030-02-30", "01/02/2030", "2030"])
def test_embargo_must_be_a_real_day(value):
    with pytest.raises(ValidationError, match="embargo_until"):
        Record(id="a", title="A", embargo_until=value)
    assert Record(id="a", title="A", embargo_until="2030-01-31").embargo_until == "2030-01-31"


@pytest.mark.parametrize("uri", ["javascript:alert(1)", "data:text/html,<script>x</script>", "ftp://example.org/x",
                                 "//example.org/x", "http:///nohost", "http://exa mple.org/"])
def test_rights_uri_must_be_http_or_https(uri):
    with pytest.raises(ValidationError, match="not an http or https URI"):
        Rights(uri=uri)
    assert Rights(uri="https://rightsstatements.org/vocab/NoC-US/1.0/").uri.startswith("https://")


@pytest.mark.parametrize("bad", ["a/b", "a?b", "a#b", "100%", "a\\b", "..", ".", "tab\there", "<x>"])
def test_ids_outside_the_safe_set_are_refused(bad):
    with pytest.raises(ValidationError, match="not a usable id"):
        Record(id=bad, title="A")
    with pytest.raises(ValidationError, match="not a usable id"):
        Link(id=bad, name="A")


@pytest.mark.parametrize("good", ["frus1955-57v20-d1", "000_6e32ea4dc738cddf", "104-10326-10014[c00564689]",
                                  "Хрущёв-1959", "memo 1959 (copy)", "geonames:524901"])
def test_real_ids_are_accepted(good):
    assert Record(id=good, title="A").id == good


@pytest.mark.parametrize("name", ["/etc/passwd", "../../etc/passwd", "pages/../../x.png", "C:\\\\x.png"])
def test_page_images_must_stay_in_the_media_folder(name):
    with pytest.raises(ValidationError, match="page_images"):
        Source(parts={"page_images": name})
    assert Source(parts={"page_images": "pages/d1/abc/page-0001.png"}).parts


# ---- through a real ingest --------------------------------------------------------------------------

def ingest(*paths: Path):
    return Ingest(list(paths), jobs=1).run()


BAD_LINES = {
    "edtf": ({"date": {"edtf": "not-a-date"}}, "date.edtf"),
    "min": ({"date": {"edtf": "1959-02", "min": "1959-02-30"}}, "date.min"),
    "embargo": ({"embargo_until": "next tuesday"}, "embargo_until"),
    "uri": ({"rights": {"uri": "javascript:alert(1)"}}, "rights.uri"),
    "slash": ({"id": "a/b"}, "id"),
    "question": ({"id": "a?b"}, "id"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(BAD_LINES))
def test_bad_values_fail_their_file_with_the_key_and_line(tmp_path, case):
    change, key = BAD_LINES[case]
    bad = tmp_path / f"{case}.jsonl"
    bad.write_text(json.dumps({"id": "ok-1", "title": "Fine"}) + "\n" + json.dumps({"id": "x", "title": "X", **change}) + "\n")
    good = Path(shutil.copy(SEED, tmp_path / SEED.name))
    report = ingest(bad, good)
    [error] = report.errors
    assert error.message.startswith(f"{bad}:line 2: {key}:"), error.message
    assert report.created == 1 and not m.Document.objects.filter(id__in=["ok-1", "x", "a/b", "a?b"]).exists()


@pytest.mark.django_db
def test_embargo_in_front_matter_is_refused_not_dropped(tmp_path):
    bad = tmp_path / "memo.md"
    bad.write_text("---\nembargo_until: next tuesday\n---\n# Memo\nText.\n")
    [error] = ingest(bad).errors
    assert str(bad) in error.message and "embargo_until" in error.message and "next tuesday" in error.message
    assert not m.Document.objects.exists()


# ---- one id, one file ---------------------------------------------------------------------------------

def _memo(path: Path, title: str, doc_id: str = "cia-1959-0042") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\nid: {doc_id}\n---\n# {title}\nText.\n")
    return path


@pytest.mark.django_db
def test_a_second_file_with_the_same_id_in_one_ingest_is_refused(tmp_path):
    first, second = _memo(tmp_path / "a" / "memo.md", "First"), _memo(tmp_path / "b" / "memo.md", "Second")
    report = ingest(first, second)
    [error] = report.errors
    assert error.message.startswith(f"{second}: not stored: record id 'cia-1959-0042' is already stored from {first}")
    assert m.Document.objects.get(id="cia-1959-0042").title == "First" and report.created == 1


@pytest.mark.django_db
def test_a_file_with_an_id_stored_from_another_file_is_refused_until_that_file_is_gone(tmp_path):
    first = _memo(tmp_path / "a" / "memo.md", "First")
    assert ingest(first).created == 1
    second = _memo(tmp_path / "b" / "copy.md", "Second")
    [error] = ingest(second).errors
    assert str(second) in error.message and str(first) in error.message
    assert m.Document.objects.get(id="cia-1959-0042").title == "First"
    # The first file moved away (renamed, say): the id goes with the new file.
    first.rename(tmp_path / "a" / "renamed.txt")
    report = ingest(second)
    assert report.errors == [] and report.updated == 1
    doc = m.Document.objects.get(id="cia-1959-0042")
    assert doc.title == "Second" and doc.provenance_file == str(second)


@pytest.mark.django_db
def test_the_same_file_by_another_path_and_an_export_keep_their_ids(tmp_path, monkeypatch):
    from fonds.catalog import export

    memo = _memo(tmp_path / "a" / "memo.md", "First")
    assert ingest(memo).created == 1
    monkeypatch.chdir(tmp_path)
    _memo(memo, "First, revised")
    assert ingest(Path("a/memo.md")).updated == 1  # a relative path to the same file
    dump = tmp_path / "export.jsonl"
    with open(dump, "w", encoding="utf-8") as out:
        export.write_jsonl(out)
    dump.write_text(dump.read_text().replace("First, revised", "From the export"))
    report = ingest(dump)  # records of an export keep their original file as provenance
    assert report.errors == [] and report.updated == 1
