"""Reading files for ingest: finding them, hashing them, and reading and enriching each one.

Plain Python (no Django), so it runs in worker processes; `fonds.catalog.ingest` stores the results.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from pydantic import ValidationError

from fonds import readers
from fonds.enrich import pipeline
from fonds.readers import sheet
from fonds.records import Authority, Batch, Provenance, ReadError

SKIPPED_NAMES = {".DS_Store", "Thumbs.db"}
# A folder's README or LICENSE describes the folder, not a document of it: a folder walk leaves it
# out with a note (named on the command line, it is read like any file).
ABOUT_THE_FOLDER = re.compile(r"^(?:readme|licen[cs]e|copying|changelog)(?:\.\w+)?$", re.IGNORECASE)
SHEET_PREFERENCE = (".xlsx", ".csv", ".tsv")


@dataclass
class FileError:
    path: str
    message: str


def discover(paths: Iterable[Path], refused: list[FileError] | None = None, files: Path | None = None,
             notes: list[str] | None = None) -> Iterator[Path]:
    """Every file under the given files and folders, folders recursed in name order. In a folder,
    the files a metadata sheet points at (and its mapping file) are left to the sheet, and a sheet
    that repeats another of the same name (release.csv beside release.xlsx, cell for cell) and the
    folder's README or LICENSE are left out, each with a note in `notes`. `files` is where the
    sheets' files are (`--files DIR`).

    A symbolic link in a folder that leads out of it is not followed: it goes into `refused` with
    the reason. One that stays inside is read through its target, once."""
    refused = refused if refused is not None else []
    for path in paths:
        if path.is_dir():
            found = _folder_files(path, refused)
            about = [child for child in found if ABOUT_THE_FOLDER.match(child.name)]
            twins = _twin_sheets(found)
            if notes is not None:
                notes += [f"{child}: left out, it describes the folder (name it to ingest it)" for child in about]
                notes += [f"{twin}: left out, it holds the same rows as {kept.name}" for twin, kept in twins.items()]
            found = [child for child in found if child not in about]
            sheets = [child for child in found if sheet.detect(child, b"") and child not in twins]
            claimed = _claimed_by_sheets(sheets, files)
            yield from (child for child in found if child not in twins and child.resolve() not in claimed)
        else:
            yield path


def _folder_files(folder: Path, refused: list[FileError]) -> list[Path]:
    """The files of a folder and its subfolders, in name order, without leaving the folder."""
    root = folder.resolve()
    files: dict[Path, Path] = {}  # target -> the path it is read under
    for parent, folders, names in os.walk(folder):  # does not descend into linked folders
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in sorted(folders + names):
            child = Path(parent) / name
            if name in SKIPPED_NAMES or name.startswith(".") or (name in folders and not child.is_symlink()):
                continue
            target = child.resolve()
            if not target.is_relative_to(root):
                refused.append(FileError(str(child), f"{child}: a symbolic link to {target}, outside {folder} "
                                                     "(refused: only files inside an ingested folder are read)"))
            elif target.is_file() and (target not in files or not child.is_symlink()):
                files[target] = child
    return sorted(files.values())


def _twin_sheets(found: list[Path]) -> dict[Path, Path]:
    """Sheets that repeat an earlier sheet of the same name in the same folder: {twin: the one kept}.
    The kept one is the first of SHEET_PREFERENCE (the spreadsheet an archive publishes)."""
    by_stem: dict[tuple[Path, str], list[Path]] = {}
    for path in found:
        if sheet.detect(path, b""):
            by_stem.setdefault((path.parent, path.stem.lower()), []).append(path)
    twins: dict[Path, Path] = {}
    for group in by_stem.values():
        group.sort(key=lambda p: SHEET_PREFERENCE.index(p.suffix.lower()) if p.suffix.lower() in SHEET_PREFERENCE else 9)
        for other in group[1:]:
            if sheet.same_rows(group[0], other):
                twins[other] = group[0]
    return twins


def _claimed_by_sheets(sheets: list[Path], files: Path | None = None) -> set[Path]:
    """The resolved paths every sheet claims; a sheet that cannot be read claims nothing here
    (its error is reported when it is ingested)."""
    claimed: set[Path] = set()
    for path in sheets:
        try:
            claimed |= sheet.companions(path, files)
        except ReadError:
            pass
    return claimed


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# The authorities every file of this process is linked against (the catalog's and the packaged),
# set once per reader process by `prepare`.
_known: pipeline.AuthorityIndex | None = None


def prepare(archive: list[Authority], parent: int | None = None) -> None:
    """Reader process initializer: index the archive's authorities (a catalog snapshot) once, for
    every file this process reads; and with `parent`, end with the ingest that started it."""
    global _known
    _known = pipeline.base_index(archive)
    if parent is not None:
        exit_with_parent(parent)


def read_file(path: Path, sha256: str, files: Path | None = None) -> Batch | FileError:
    """Read and enrich one file (runs in a worker process); failures become a FileError. `files` is
    where a metadata sheet's files are (default: beside the sheet)."""
    try:
        reader = readers.reader_for(path)
        # JSON Lines records (an export) link by authority id: kept as they are, so a round trip is lossless.
        batch = pipeline.enrich(readers.read(path, files), base=_known, linked=reader is readers.jsonl)
    except ReadError as error:
        return FileError(str(path), str(error))
    except ValidationError as error:
        return FileError(str(path), f"{path}: invalid record: {_first_problem(error)}")
    except (OSError, UnicodeError, ValueError) as error:
        return FileError(str(path), f"{path}: {error}")
    except RecursionError:
        return FileError(str(path), f"{path}: nested too deeply to read")
    except Exception as error:  # noqa: BLE001 - a reader's bug must cost one file, not the whole ingest
        return FileError(str(path), f"{path}: the reader failed ({type(error).__name__}: {error})")
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    for record in batch.records:
        # Records re-ingested from an export keep the provenance of their original source.
        if record.provenance is None or not record.provenance.sha256:
            fmt = record.provenance.format if record.provenance else "unknown"
            record.provenance = Provenance(format=fmt, file=str(path), sha256=sha256, ingested_at=stamp)
    return batch


def read_file_for_transfer(path: Path, sha256: str, files: Path | None = None) -> str | Batch | FileError:
    """`read_file` in a reader process: the batch as its JSON, which crosses to the writing process
    (pickled as one string, then `received`) in about a third of the CPU a pickle of its objects
    takes to load, in the one process that writes. A batch that has no JSON form (a lone surrogate
    in a text) goes as it is."""
    outcome = read_file(path, sha256, files)
    if isinstance(outcome, Batch):
        try:
            return outcome.model_dump_json()
        except ValueError:  # pydantic's serialisation errors are ValueErrors
            return outcome
    return outcome


def received(outcome: str | Batch | FileError) -> Batch | FileError:
    """What `read_file_for_transfer` sent, as `read_file` returned it."""
    return Batch.model_validate_json(outcome) if isinstance(outcome, str) else outcome


def _first_problem(error: ValidationError) -> str:
    problem = error.errors()[0]
    where = ".".join(str(part) for part in problem["loc"])
    return f"{where}: {problem['msg']}"


def exit_with_parent(parent: int) -> None:
    """Worker initializer: end this reader process when the ingest that started it is gone
    (killed with -9, say), instead of waiting forever for work that will never come."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
