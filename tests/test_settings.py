"""The settings object: defaults, fonds.toml in the home, environment on top."""

from __future__ import annotations

from pathlib import Path

import pytest

from fonds.settings import Settings


def test_toml_in_home_then_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("FONDS_SITE_NAME", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("FONDS_DATABASE_URL", raising=False)
    (tmp_path / "fonds.toml").write_text('site_name = "Cold War Documents"\nworkers = 4\n', encoding="utf-8")
    settings = Settings(home=tmp_path)
    assert (settings.site_name, settings.workers, settings.database_url) == ("Cold War Documents", 4, None)
    monkeypatch.setenv("FONDS_WORKERS", "8")
    assert Settings(home=tmp_path).workers == 8
    assert Settings(home=tmp_path).catalog_path == tmp_path / "catalog.sqlite3"


def test_invalid_value_is_rejected_with_its_name(tmp_path, monkeypatch):
    monkeypatch.setenv("FONDS_WORKERS", "0")
    with pytest.raises(ValueError, match="workers"):
        Settings(home=tmp_path)


def test_secret_key_is_generated_once(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FONDS_SECRET_KEY", raising=False)
    settings = Settings(home=tmp_path)
    assert settings.resolved_secret_key() == Settings(home=tmp_path).resolved_secret_key()
    assert len(settings.resolved_secret_key()) > 40


@pytest.mark.django_db
def test_sqlite_catalog_uses_wal():
    from django.db import connection

    if connection.vendor != "sqlite":
        assert connection.vendor == "postgresql"
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_every_setting_is_documented_in_the_readme():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    missing = [name for name in Settings.model_fields if f"`{name}`" not in readme]
    assert missing == []
