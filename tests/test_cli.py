"""The `fonds` command as users run it: a subprocess against the test catalog."""

from __future__ import annotations

import json

import pytest


def test_ingest_exit_codes_summary_and_errors(cli, seed_file, tmp_path):
    bad = tmp_path / "broken.jsonl"
    bad.write_text('{"id": "z", "title": "Z"}\n{not json}\n', encoding="utf-8")
    result = cli("ingest", str(seed_file), str(bad))
    assert result.returncode == 1
    assert f"{bad}:line 2: invalid JSON" in result.stderr
    assert "Traceback" not in result.stderr
    assert "1 documents created" in result.stdout and "1 failed" in result.stdout
    again = cli("ingest", str(seed_file), check=True)
    assert "1 unchanged" in again.stdout and "0 documents created" in again.stdout


def test_missing_path_is_an_error(cli, tmp_path):
    result = cli("ingest", str(tmp_path / "nowhere"))
    assert result.returncode == 1 and "no such file or folder" in result.stderr


def test_export_jsonl_and_csv(cli, seed_file, tmp_path):
    cli("ingest", str(seed_file), check=True)
    out = tmp_path / "all.jsonl"
    cli("export", "--format", "jsonl", "-o", str(out), check=True)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    documents = [line for line in lines if "authority" not in line]
    assert [d["id"] for d in documents] == ["000_6e32ea4dc738cddf"]
    csv_out = cli("export", "--format", "csv", check=True).stdout
    assert csv_out.splitlines()[0].startswith("id,title,date")
    assert "Khrushchev, Nikita Sergeyevich; Malinovsky, Rodion Yakovlevich" in csv_out


def test_check_and_python_dash_m(cli):
    result = cli("check", check=True)
    assert "catalog:" in result.stdout


@pytest.mark.parametrize("argv", [["--help"], ["ingest", "--help"]])
def test_help(cli, argv):
    assert cli(*argv).returncode == 0


def test_cli_search(cli, seed_file):
    cli("ingest", str(seed_file), check=True)  # a draft (ingest_status): not searchable yet
    assert json.loads(cli("search", "Хрущёв", "--json", check=True).stdout)["total"] == 0
    cli("user", "create", "ed", "--role", "editor", input="a long passphrase\n", check=True)
    refused = cli("workflow", "publish", "000_6e32ea4dc738cddf")
    assert refused.returncode == 3 and "--as" in refused.stderr
    assert "published" in cli("--as", "ed", "workflow", "publish", "000_6e32ea4dc738cddf", check=True).stdout
    data = json.loads(cli("search", "Хрущёв", "--json", check=True).stdout)
    assert data["total"] == 1 and data["hits"][0]["id"] == "000_6e32ea4dc738cddf"
    text = cli("search", "Malinovsky", "--facet", "type=Decision", check=True).stdout
    assert "1 documents" in text and "CC CPSU Presidium Decision" in text
    bad = cli("search", "x", "--facet", "novalue")
    assert bad.returncode == 2 and "FIELD=VALUE" in bad.stderr
