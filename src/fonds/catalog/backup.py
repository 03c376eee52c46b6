"""Backups of an archive and restores into a new home.

A backup is a folder: the catalog (a copy made with SQLite's online backup API while the archive
stays up, or a `pg_dump` custom-format dump of PostgreSQL), the media files, the home's
`fonds.toml` and secret key, and `manifest.json` (what it holds and the migrations it is at).
The search index is not in it: it is derived from the catalog, and a restore rebuilds it.

A restore never overwrites: the new home must hold no catalog, and a PostgreSQL database restored
into must have no tables. A backup from an older version is brought up to date by the migrations
after it is restored (`fonds restore` runs them).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

import fonds
from fonds.catalog import models as m
from fonds.settings import CONFIG_FILE, Settings

MANIFEST = "manifest.json"
SQLITE_FILE = "catalog.sqlite3"
PG_FILE = "catalog.dump"
MEDIA = "media"
SECRET = ".secret_key"
RESTORED_CONFIG = f"{CONFIG_FILE}.from-backup"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, and nothing was changed."""


@dataclass
class Manifest:
    engine: str
    documents: int
    changes: int
    created: str
    version: str
    migrations: dict[str, str]

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise BackupError(f"{folder}: not a fonds backup (no {MANIFEST})") from None
        except (OSError, ValueError) as error:
            raise BackupError(f"{path}: unreadable: {error}") from None
        if data.get("format") != FORMAT:
            raise BackupError(f"{path}: backup format {data.get('format')!r}, this version reads {FORMAT}")
        try:
            return cls(**{key: data[key] for key in cls.__dataclass_fields__})
        except KeyError as error:
            raise BackupError(f"{path}: field {error} missing") from None


def _pg_url() -> str:
    """A libpq URL for the catalog database Django uses."""
    db = connection.settings_dict
    user, host, port = db["USER"] or "postgres", db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgresql://{user}{password}@{host}:{port}/{db['NAME']}"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} not found: install the PostgreSQL client tools (apt-get install postgresql-client)")
    return path


def _run(command: list[str], what: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip()}")


def backup(settings: Settings, dest: Path) -> Manifest:
    """Write a backup of the archive of `settings` to the new folder `dest`."""
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest}: exists and is not empty; a backup goes to a new folder")
    dest.mkdir(parents=True, exist_ok=True)
    latest = m.Change.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    manifest = Manifest(engine=connection.vendor, documents=m.Document.objects.count(), changes=latest,
                        created=datetime.now(timezone.utc).isoformat(timespec="seconds"), version=fonds.__version__,
                        migrations=_migrations())
    try:
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(dest / SQLITE_FILE) as target:
                connection.connection.backup(target)  # a consistent copy while others go on writing
            target.close()
        elif connection.vendor == "postgresql":
            _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={dest / PG_FILE}",
                  _pg_url()], "pg_dump")
        else:
            raise BackupError(f"no backup for a {connection.vendor} catalog")
        if settings.media_dir.is_dir():
            shutil.copytree(settings.media_dir, dest / MEDIA)
        for name in (CONFIG_FILE, SECRET):
            if (settings.home / name).is_file():
                shutil.copy2(settings.home / name, dest / name)
    except BaseException:
        shutil.rmtree(dest, ignore_errors=True)  # no half-written backup left to be trusted
        raise
    (dest / MANIFEST).write_text(json.dumps({"format": FORMAT, **manifest.__dict__}, indent=1), encoding="utf-8")
    return manifest


def _migrations() -> dict[str, str]:
    """The last migration applied, per app."""
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder.Migration.objects.order_by("app", "name").values_list("app", "name"):
        latest[app] = name
    return latest


def check_restorable(source: Path, settings: Settings) -> Manifest:
    """The backup's manifest, once sure it can be restored into the home of `settings`."""
    manifest = Manifest.read(source)
    if connection.vendor != manifest.engine:
        raise BackupError(f"{source} is a {manifest.engine} backup and this home's catalog is {connection.vendor}: "
                          f"restore it into a {manifest.engine} catalog (or move across with fonds export and ingest)")
    if connection.vendor == "sqlite":
        target = Path(connection.settings_dict["NAME"])
        if target.exists() and target.stat().st_size:
            raise BackupError(f"{target}: a catalog is already there; restore into a new home")
    elif connection.introspection.table_names():
        raise BackupError(f"database {connection.settings_dict['NAME']} has tables; restore into an empty database")
    if settings.media_dir.is_dir() and any(settings.media_dir.iterdir()):
        raise BackupError(f"{settings.media_dir}: media files are already there; restore into a new home")
    return manifest


def restore(source: Path, settings: Settings) -> Manifest:
    """Restore the backup in `source` into the (new, empty) home of `settings`: catalog, media,
    settings file and secret key. The caller then migrates and rebuilds the index."""
    manifest = check_restorable(source, settings)
    if manifest.engine == "sqlite":
        target = Path(connection.settings_dict["NAME"])
        connection.close()
        target.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(source / SQLITE_FILE) as backup_db, sqlite3.connect(target) as restored:
            backup_db.backup(restored)
        backup_db.close()
        restored.close()
    else:
        _run([_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
              f"--dbname={_pg_url()}", str(source / PG_FILE)], "pg_restore")
    settings.home.mkdir(parents=True, exist_ok=True)
    if (source / MEDIA).is_dir():
        shutil.copytree(source / MEDIA, settings.media_dir, dirs_exist_ok=True)
    if (source / SECRET).is_file():
        shutil.copy2(source / SECRET, settings.home / SECRET)  # sessions and signed links stay valid
    if (source / CONFIG_FILE).is_file():
        # Set aside, not in force: it may name the old home's database or addresses.
        shutil.copy2(source / CONFIG_FILE, settings.home / RESTORED_CONFIG)
    return manifest
