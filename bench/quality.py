"""Quality of people and authorities through the real `fonds ingest`, the way an archive works
(hand-run, not a test). Writes nothing into the repository.

1. A fresh home. `fonds ingest` of some FRUS volumes in TEI (their Lists of Persons become
   authorities), then of the held-out volumes as plain text (one .txt per document: the head, the
   datelines, the source note and the body, no markup), then the Russian texts, the NARA release
   and the seed page. The held-out volumes' Lists of Persons are in neither the TEI ingested nor
   the packaged seed (tools/build_people_seed.py leaves them out).
2. `fonds export`, then compare:
   - FRUS plain text, per document, against the `persName/@corresp` links of the same text (TEI
     gold; notes other than the source note left out): person precision, recall and F1 by surname
     (the surnames of the person links against the gold persons' surnames, compared by
     romanisation key); linking accuracy (of the gold persons found whom an authority of the
     archive already named before the plain text came in, the share linked to that authority);
     document date and classification level against the markup's;
   - junk: person links whose name no List of Persons of the 99 volumes has as a surname and the
     Russian dictionary does not know as a name: listed for review, the reviewed count is in
     docs/quality.md; names with a line break or a control character are counted apart;
   - duplicates: person authorities of the archive grouped by surname key and agreeing given
     names; a person with more than one record is a duplicate;
   - Russian: for the people of `RUSSIAN_PEOPLE`, each document that writes one of their case
     forms (found by a regular expression, not by the enricher's analyser) should link the one
     authority most of them link: the share that does;
   - NARA: From, To and Originator values of the sheet that are agencies, offices or codes, and
     whether each ends up an organization, unlinked, or (wrongly) a person;
   - docs/s: the plain-text ingest's documents per second end to end, and in-process enrichment
     against its peer (reading the same files without enrichment) in the same run, with the load.

    mkdir -p /tmp/frus99 && tar -xJf ../shared/corpus/frus/frus-tei-99vols.tar.xz -C /tmp/frus99
    .venv/bin/python bench/quality.py                 # the clean held-out volumes (docs/quality.md)
    .venv/bin/python bench/quality.py --seen          # the held-out volumes measured once midway
    .venv/bin/python bench/quality.py --dev           # development volumes (for tuning)
    .venv/bin/python bench/quality.py --skip nara     # leave out a set (nara, russian)
    .venv/bin/python bench/quality.py --volumes frus1955-57v26 frus1964-68v16   # chosen volumes
    .venv/bin/python bench/quality.py --speed         # only the ingest and enrichment speed
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from fonds.enrich import personnames as pn
from fonds.enrich import pipeline
from fonds.readers import read, tei
from fonds.search.fold import fold

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("FONDS_CORPUS", REPO.parent / "shared" / "corpus"))
FRUS99 = Path(os.environ.get("FRUS99", "/tmp/frus99"))
sys.path.insert(0, str(REPO / "tools"))
from build_people_seed import CLEAN, HELD_OUT  # noqa: E402  (one list: the seed leaves these volumes out)

# TEI volumes ingested first, as an archive that holds some volumes in TEI would have them.
TEI_FIRST = ("frus1955-57v20", "frus1958-60v08", "frus1961-63v05", "frus1964-68v17", "frus1969-76v01", "frus1977-80v01")
# Plain-text volumes used while developing (their Lists are in the seed, so their figures flatter).
DEVELOPMENT = ("frus1958-60v09", "frus1961-63v16")
# People of the Russian texts and the regular expression of their case forms (independent gold).
RUSSIAN_PEOPLE = {
    "Ленин": r"Ленин(?:а|у|ым|е)?", "Сталин": r"Сталин(?:а|у|ым|е)?", "Троцкий": r"Троцк(?:ий|ого|ому|им|ом)",
    "Бухарин": r"Бухарин(?:а|у|ым|е)?", "Зиновьев": r"Зиновьев(?:а|у|ым|е)?", "Каменев": r"Каменев(?:а|у|ым|е)?",
    "Плеханов": r"Плеханов(?:а|у|ым|е)?", "Мартов": r"Мартов(?:а|у|ым|е)?", "Черчилль": r"Черчилл(?:ь|я|ю|ем|е)",
    "Рузвельт": r"Рузвельт(?:а|у|ом|е)?", "Гитлер": r"Гитлер(?:а|у|ом|е)?", "Маркс": r"Маркс(?:а|у|ом|е)?",
    "Энгельс": r"Энгельс(?:а|у|ом|е)?", "Керенский": r"Керенск(?:ий|ого|ому|им|ом)", "Деникин": r"Деникин(?:а|у|ым|е)?",
    "Колчак": r"Колчак(?:а|у|ом|е)?", "Рыков": r"Рыков(?:а|у|ым|е)?", "Томский": r"Томск(?:ий|ого|ому|им)",
}
# Sheet values that are agencies, offices or codes (gold for the NARA columns; persons are the rest).
NARA_COLUMNS = ("From Name", "To Name", "Originator")


def plain_text(document) -> tuple[str, str]:
    """(head, text) of one document without markup: datelines, the source note, then the body."""
    head = document.find(tei._T + "head")
    title = tei._string_without_notes(head) if head is not None else ""
    datelines = [tei._string(d) for d in tei._own(document, "dateline")]
    note = tei._source_note(document, head)
    source = tei._string(note) if note is not None else ""
    if source and not source.lower().startswith("source"):
        source = "Source: " + source  # old volumes' inline notes ("711.00/1-248: Telegram")
    body = tei.body_text(document, head)
    for dateline in datelines:  # the body carries the dateline too; keep it once, on top
        body = body.replace(dateline, "", 1)
    return title, "\n".join(part for part in [*datelines, source, body.strip()] if part)


GOLD_ID_ERRORS: Counter = Counter()  # (listed name, text) of persNames set aside by `_wrong_id`


def gold_people(document, by_id) -> tuple[set[str], set[str], set[str]]:
    """(authorities linked by persName, names of persNames the editors left unlinked, the linked
    authorities the document never names: every persName of theirs is an office alone, "the
    President", or a library's eponym, "Kennedy Library") in the text handed over (notes other
    than the source note left out)."""
    note = tei._source_note(document, document.find(tei._T + "head"))
    found, unlinked, named = set(), set(), set()
    for element in document.iter(tei._T + "persName"):
        parent, excluded = element.getparent(), False
        while parent is not None and parent is not document:
            if parent.tag == tei._T + "note" and parent is not note:
                excluded = True
            parent = parent.getparent()
        if excluded:
            continue
        authority = tei._resolve(element, by_id)
        if authority is not None and _wrong_id(tei._string(element), authority):
            GOLD_ID_ERRORS[(authority.name, tei._string(element))] += 1
        elif authority is not None:
            found.add(authority.id)
            if not _office_alone(tei._string(element), authority) and not _eponym(element):
                named.add(authority.id)
        elif not element.get("corresp"):
            unlinked.add(tei._string(element))
    return found, unlinked, found - named


def _eponym(element) -> bool:
    """A persName that is the eponym of an institution: some volumes mark "Kennedy" in "Source:
    Kennedy Library", which names the library, not a person the text speaks of."""
    return (element.tail or "").lstrip().startswith("Library")


def _office_alone(text: str, authority) -> bool:
    """A persName that names its person by an office and no word of their names ("the President",
    "the Secretary"): what a reader of the text knows from the date and the context, not a name."""
    words = set(fold(text).split()) - {"the"}
    return bool(words) and words <= set(pn.TITLES) | {"of", "state", "defense", "foreign", "affairs"} \
        and not words & _listed_words(authority)


def _names_folded(authority) -> list[str]:
    """The authority's name and variants, folded, without brackets, commas or dots."""
    return [fold(re.sub(r"[(),.]", " ", name)) for name in [authority.name, *authority.variants]]


def _listed_words(authority) -> set[str]:
    return {word for name in _names_folded(authority) for word in name.split()}


def _wrong_id(text: str, authority) -> bool:
    """An editor's slip in the gold: a name that shares no word with the person its @corresp points
    at ("Saud" pointing at "Eisenhower, Maj. John S.D.", "Robertson" at "Cutler, Robert": two ids
    confused through a volume). Role references ("the President") are kept: they hold a title."""
    words = set(fold(text).split())
    if not words or words & set(pn.TITLES) or not text[:1].isupper():
        return False
    names = _names_folded(authority)
    listed = _listed_words(authority)
    squashed = re.sub(r"\W", "", fold(text))
    # initials and contractions of the listed name ("McG. B.", "McN", "DeGaulle", "Mac-Arthur") are the person's
    return not (words & listed or any(w.rstrip(".") and l.startswith(w.rstrip(".")) for w in words for l in listed)
                or any(squashed in re.sub(r"\W", "", name) for name in names))


def write_plain_text(volumes: list[Path], folder: Path) -> dict:
    """One .txt per document of each volume; returns the gold: {record id: {...}} and the lists."""
    gold: dict[str, dict] = {}
    for path in volumes:
        root = tei._parse(path)
        by_id, listed = tei.persons(root)
        volume = tei._volume_id(root, path)
        names = tei._Names(listed, tei._volume_title(root))
        target = folder / path.stem
        target.mkdir(parents=True, exist_ok=True)
        persons = {a.id: a for a in listed}
        listed_keys = {surname_key(a.name) for a in listed}
        for document in tei.documents(root):
            marked = tei._record(document, volume, path, by_id, names)
            title, text = plain_text(document)
            record_id = f"{path.stem}-{document.get(tei._XML_ID)}"
            (target / f"{record_id}.txt").write_text(f"{title or 'Untitled'}\n\n{text}\n", encoding="utf-8")
            linked, unlinked, offices = gold_people(document, by_id)
            gold[record_id] = {"people": [persons[i] for i in linked], "unlinked": unlinked, "record": marked,
                               "listed": listed_keys, "offices": {surname_key(persons[i].name) for i in offices}}
    return gold


def fonds(home: Path, *args: str) -> tuple[float, str]:
    """Run the real command line; returns (seconds, stdout)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "fonds", "--home", str(home), *args], capture_output=True, text=True,
                          env={**os.environ, "FONDS_HOME": str(home)})
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"fonds {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    last = (done.stdout.strip().splitlines() or [""])[-1]
    print(f"  fonds {args[0]} {' '.join(Path(a).name for a in args[1:3])}{' ...' if len(args) > 3 else ''}: "
          f"{elapsed:.1f} s, {last}", file=sys.stderr)
    return elapsed, done.stdout


def export(home: Path) -> tuple[dict[str, dict], dict[tuple[str, str], dict]]:
    out = home / "export.jsonl"
    fonds(home, "export", "-o", str(out))
    documents, authorities = {}, {}
    for line in out.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if "authority" in item:
            authorities[(item["authority"]["kind"], item["authority"]["id"])] = item["authority"]
        else:
            documents[item["id"]] = item
    return documents, authorities


def surname_key(name: str) -> str:
    parsed = pn.parse(name)
    return pn.surname_key(" ".join(parsed.surname)) if parsed.surname else ""


def person_links(document: dict) -> list[dict]:
    seen = {}
    for role in ("people", "authors", "recipients"):
        for link in document.get(role, []):
            seen.setdefault(link["id"], link)
    return list(seen.values())


# ---- FRUS plain text --------------------------------------------------------------------------


def existing_person(gold, archive: list[dict]) -> str | None:
    """The id of the one authority of the archive (before the plain text) that is this gold person."""
    parsed = pn.parse(gold.name)
    key = surname_key(gold.name)
    found = [a["id"] for a in archive if surname_key(a["name"]) == key and pn.parse(a["name"]).given
             and parsed.given and pn.given_compatible(parsed.given, pn.parse(a["name"]).given)
             and (pn.is_initial(parsed.given[0]) or pn.is_initial(pn.parse(a["name"]).given[0])
                  or pn.name_key(parsed.given[0]) == pn.name_key(pn.parse(a["name"]).given[0]))]
    return found[0] if len(set(found)) == 1 else None


def score_frus(gold: dict, documents: dict, authorities: dict, archive: list[dict]) -> dict:
    stats = Counter()
    fp_names, fn_names, unjudged_names, mislinked = Counter(), Counter(), Counter(), Counter()
    by_key: dict[str, list[dict]] = defaultdict(list)
    for authority in archive:
        by_key[surname_key(authority["name"])].append(authority)
    existing_cache: dict[str, str | None] = {}
    for record_id, truth in gold.items():
        document = documents.get(record_id)
        if document is None:
            stats["missing documents"] += 1
            continue
        stats["documents"] += 1
        links = person_links(document)
        found = {surname_key(authorities.get(("person", l["id"]), {"name": l["name"]})["name"]): l for l in links}
        found.pop("", None)
        wanted = {surname_key(p.name): p for p in truth["people"]}
        wanted.pop("", None)
        untagged = {surname_key(name) for name in truth["unlinked"]} - {""}
        stats["tp"] += len(found.keys() & wanted.keys())
        stats["fn"] += len(wanted.keys() - found.keys())
        named = wanted.keys() - truth["offices"]  # persons the text names (not by an office or a library alone)
        stats["tp named"] += len(found.keys() & named)
        stats["fn named"] += len(named - found.keys())
        stats["tp unlinked"] += len((found.keys() - wanted.keys()) & untagged)
        wrong = found.keys() - wanted.keys() - untagged
        stats["fp"] += len(wrong & truth["listed"])  # a listed person the document does not name
        stats["unjudged"] += len(wrong - truth["listed"])  # no List of Persons of the volume has the surname
        fp_names.update(found[k]["name"] for k in wrong & truth["listed"])
        unjudged_names.update(found[k]["name"] for k in wrong - truth["listed"])
        fn_names.update(wanted[k].name for k in wanted.keys() - found.keys())
        for key in found.keys() & wanted.keys():
            person = wanted[key]
            if person.id not in existing_cache:
                existing_cache[person.id] = existing_person(person, by_key.get(key, []))
            existing = existing_cache[person.id]
            if existing:
                stats["linkable"] += 1
                stats["linked right"] += found[key]["id"] == existing
                if found[key]["id"] != existing:
                    mislinked[f"{person.name} -> {found[key]['id']}"] += 1
        _score_date_and_marking(truth["record"], document, stats)
    return {"stats": stats, "fp": fp_names, "fn": fn_names, "unjudged": unjudged_names, "mislinked": mislinked}


def _score_date_and_marking(marked, document: dict, stats: Counter) -> None:
    want = marked.date.edtf if marked.date else None
    got = (document.get("date") or {}).get("edtf")
    if want:
        stats["dated"] += 1
        stats["date right"] += _day(got) == _day(want)
    level = marked.classification.level if marked.classification else None
    stats["classification right"] += level == ((document.get("classification") or {}).get("level"))


def _day(edtf: str | None) -> str | None:
    if not edtf:
        return None
    low, _, high = re.sub(r"T[^/]*", "", edtf).partition("/")
    return low if not high or high == low else f"{low}/{high}"


# ---- junk, duplicates, line breaks --------------------------------------------------------------


def listed_surnames(folder: Path) -> set[str]:
    """The surname keys of every List of Persons of the 99 volumes (held-out ones included)."""
    keys = set()
    for path in sorted(folder.glob("*.xml")):
        _, listed = tei.persons(tei._parse(path))
        keys |= {surname_key(a.name) for a in listed}
    return keys


def junk(documents: dict, authorities: dict, known_surnames: set[str], fmt: str) -> tuple[int, Counter]:
    """(person links of documents of this provenance format, the unverified ones by name)."""
    total, unverified = 0, Counter()
    for document in documents.values():
        if (document.get("provenance") or {}).get("format") != fmt and not (fmt == "text" and _is_text(document)):
            continue
        for link in person_links(document):
            authority = authorities.get(("person", link["id"]))
            if authority is None:
                continue
            total += 1
            name = authority["name"]
            if surname_key(name) in known_surnames or _cyrillic_name(name):
                continue
            unverified[name] += 1
    return total, unverified


def _is_text(document: dict) -> bool:
    return (document.get("provenance") or {}).get("format") == "text"


def _cyrillic_name(name: str) -> bool:
    words = re.findall(r"[А-ЯЁа-яё]+", name)
    return bool(words) and pn.is_name_word(words[0]) and not pn.is_place_word(words[0])


def duplicates(authorities: dict) -> tuple[int, int, list[list[str]]]:
    """(persons, persons with more than one record, examples): records grouped by surname key and
    agreeing first given names; a bare surname joins the only person of its surname."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for (kind, _), authority in authorities.items():
        if kind == "person":
            groups[surname_key(authority["name"])].append(authority)
    persons, duplicated, examples = 0, 0, []
    for records in groups.values():
        clusters: list[list[dict]] = []
        for record in sorted(records, key=lambda a: -len(pn.parse(a["name"]).given)):
            given = pn.parse(record["name"]).given
            home = [c for c in clusters if given and _first_agrees(given, pn.parse(c[0]["name"]).given)]
            if not given and len(clusters) == 1:
                home = clusters
            if home:
                home[0].append(record)
            else:
                clusters.append([record])
        persons += len(clusters)
        for cluster in clusters:
            if len(cluster) > 1:
                duplicated += 1
                examples.append([a["name"] for a in cluster])
    return persons, duplicated, examples


def _first_agrees(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if not b:
        return False
    if pn.is_initial(a[0]) or pn.is_initial(b[0]):
        return a[0][0] == b[0][0] and pn.given_compatible(a, b)
    return pn.given_compatible(a[:1], b[:1]) and pn.given_compatible(a, b)


def broken_names(authorities: dict) -> list[str]:
    return [a["name"] for a in authorities.values() if re.search(r"[\x00-\x1f\x7f]", a["name"]) or a["name"] != a["name"].strip()]


# ---- Russian and NARA -----------------------------------------------------------------------------


def score_russian(folder: Path, documents: dict, authorities: dict) -> dict:
    """For each person of RUSSIAN_PEOPLE: the documents writing each case form, and whether each
    links the authority most of them link."""
    forms: dict[str, list[tuple[str, str]]] = defaultdict(list)  # person -> [(record id, form)]
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for person, pattern in RUSSIAN_PEOPLE.items():
            for form in set(re.findall(rf"(?<![\w-]){pattern}(?![\w-])", text)):
                forms[person].append((path.stem, form))
    right = total = 0
    detail = {}
    for person, seen in forms.items():
        linked = Counter(link["id"] for record_id, _ in seen for link in person_links(documents.get(record_id, {}))
                         if _names(person, authorities.get(("person", link["id"]), {"name": link["name"]})))
        authority = linked.most_common(1)[0][0] if linked else None
        ok = sum(1 for record_id, _ in seen if authority and any(l["id"] == authority for l in person_links(documents.get(record_id, {}))))
        right += ok
        total += len(seen)
        detail[person] = (authority, ok, len(seen), len({f for _, f in seen}))
    return {"right": right, "total": total, "detail": detail}


def _names(person: str, authority: dict) -> bool:
    """Whether an authority's name or one of its variants has this surname (in any script)."""
    return any(surname_key(name) == surname_key(person) for name in [authority["name"], *authority.get("variants", [])])


def nara_sheet(folder: Path, target: Path) -> Path:
    """A copy of the NARA release whose sheet's File Name points at the text files (the PDFs are not
    in the corpus; issue 11 teaches the sheet reader to find the texts itself)."""
    source = folder / "national-archives-jfk-assassination-records-2023-release.csv"
    target.mkdir(parents=True, exist_ok=True)
    if not (target / "files").exists():
        shutil.copytree(folder / "files", target / "files")
    rows = list(csv.reader(source.open(encoding="utf-8")))
    for row in rows[1:]:
        row[0] = "files/" + row[0][:-4] + ".txt" if row[0].endswith(".pdf") else row[0]
    sheet = target / source.name
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return sheet


def score_nara(sheet: Path, documents: dict, authorities: dict) -> Counter:
    """Each From/To/Originator value that is an agency, office or code: organization, unlinked or person."""
    outcome = Counter()
    for row in csv.DictReader(sheet.open(encoding="utf-8")):
        document = documents.get(row["Record Num"])
        if document is None:
            outcome["rows not stored"] += 1
            continue
        for column in NARA_COLUMNS:
            value = " ".join(row[column].split())
            if not value or not _agency(value):
                continue
            role = "recipients" if column == "To Name" else "authors"
            names = {l["name"].upper(): l for l in document.get(role, [])}
            link = names.get(value.upper())
            if link is None:
                outcome["agency unlinked"] += 1
            elif ("organization", link["id"]) in authorities and ("person", link["id"]) not in authorities:
                outcome["agency as organization"] += 1
            else:
                outcome["agency as PERSON"] += 1
                outcome[f"  e.g. {value}"] += 1
    return outcome


_AGENCY = re.compile(r"^(?:[A-Z]{2,6}|[A-Z/0-9 -]*[/0-9][A-Z/0-9 -]*|.*\b(?:DIRECTOR|CHIEF|STATION|DIVISION|STAFF|OFFICE|"
                     r"AGENCY|BUREAU|DEPARTMENT|DEPT|COMMISSION|COMMITTEE|HEADQUARTERS|HQ|EMBASSY|SECTION|BRANCH)\b.*)$",
                     re.IGNORECASE)


def _agency(value: str) -> bool:
    """The gold's judgement: an acronym, an office code, or a name with an office word."""
    return bool(_AGENCY.match(value)) and value.upper() not in {"WITHHELD", "NONE", "MFR"}


# ---- throughput against its peer ----------------------------------------------------------------


def throughput(folder: Path, limit: int = 400, warm: int = 50) -> dict:
    """In-process docs/s of reading alone (the peer) and reading + enriching the same files, one
    process, in the steady state: `warm` other files are enriched first, since the seed, the
    gazetteer, the Russian analyser, the word list and each of lingua's language models load on
    first use (their time is given apart, once per process)."""
    files = sorted(folder.rglob("*.txt"))
    timed, warming = files[:limit], files[limit:limit + warm] or files[:warm]
    started = time.perf_counter()
    for path in warming:
        pipeline.enrich(read(path))
    start_up = time.perf_counter() - started
    started = time.perf_counter()
    batches = [read(path) for path in timed]
    reading = time.perf_counter() - started
    started = time.perf_counter()
    for batch in batches:
        pipeline.enrich(batch)
    enriching = time.perf_counter() - started
    return {"documents": len(timed), "read docs/s": len(timed) / reading, "enrich docs/s": len(timed) / enriching,
            "warm-up s": start_up, "warm-up documents": len(warming), "load": os.getloadavg()}


# ---- the run ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dev", action="store_true", help="plain text of the development volumes, not the held-out")
    parser.add_argument("--seen", action="store_true", help="the held-out volumes whose errors were seen midway")
    parser.add_argument("--volumes", nargs="+", metavar="NAME", help="these FRUS volumes as plain text instead")
    parser.add_argument("--skip", action="append", default=[], choices=("russian", "nara"))
    parser.add_argument("--keep", type=Path, help="keep the home in this folder")
    parser.add_argument("--speed", action="store_true", help="only the speed: the plain-text ingest end to end, and enrichment in process against reading")
    args = parser.parse_args(argv)
    names = args.volumes or (DEVELOPMENT if args.dev else [v for v in HELD_OUT if v not in CLEAN] if args.seen else CLEAN)
    volumes = [FRUS99 / f"{name}.xml" for name in names]
    first = [FRUS99 / f"{name}.xml" for name in TEI_FIRST]
    missing = [str(p) for p in volumes + first if not p.exists()]
    if missing:
        print(f"missing volumes: {missing} (see the docstring for unpacking the archive)", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="fonds-quality-"))
    home = args.keep or work / "home"
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load {os.getloadavg()[0]:.1f}; work in {work}", file=sys.stderr)
    gold = write_plain_text(volumes, work / "text")
    fonds(home, "ingest", *map(str, first))
    if args.speed:
        seconds, _ = fonds(home, "ingest", str(work / "text"))
        print(f"plain-text ingest end to end, 2 reader processes: {len(gold) / seconds:.1f} docs/s ({seconds:.1f} s)")
        print(f"in-process, one process, same files: {throughput(work / 'text')}")
        return 0
    archive_before = [a for (kind, _), a in export(home)[1].items() if kind == "person"]
    seconds, _ = fonds(home, "ingest", str(work / "text"))
    if "russian" not in args.skip:
        fonds(home, "ingest", str(CORPUS / "russian" / "texts"))
    sheet = None
    if "nara" not in args.skip:
        sheet = nara_sheet(CORPUS / "nara-jfk-2023", work / "nara")
        fonds(home, "ingest", str(sheet))
    fonds(home, "ingest", str(CORPUS / "seed"))
    documents, authorities = export(home)
    from fonds.enrich.authorities import seed

    archive = archive_before + [a.authority.to_json() for a in seed()]
    report(args, volumes, gold, documents, authorities, archive, seconds, sheet)
    print(f"in-process, one process, same files: {throughput(work / 'text')}")
    return 0


def report(args, volumes, gold, documents, authorities, archive, seconds, sheet) -> None:
    frus = score_frus(gold, documents, authorities, archive)
    s = frus["stats"]
    tp = s["tp"] + s["tp unlinked"]
    precision = tp / max(1, tp + s["fp"])
    strict = tp / max(1, tp + s["fp"] + s["unjudged"])
    recall = s["tp"] / max(1, s["tp"] + s["fn"])
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    print(f"FRUS plain text ({', '.join(v.stem for v in volumes)}): {s['documents']} documents")
    print(f"  person by surname: P {precision:.3f} R {recall:.3f} F1 {f1:.3f} (tp {s['tp']} + {s['tp unlinked']} "
          f"persNames without @corresp, fp {s['fp']}, fn {s['fn']}); {s['unjudged']} links to surnames the volume's "
          f"List of Persons lacks (P counting them all wrong: {strict:.3f}): {frus['unjudged'].most_common(30)}")
    named = s["tp named"] / max(1, s["tp named"] + s["fn named"])
    print(f"  recall of the persons the text names (persNames of an office alone, \"the President\", or of a "
          f"library's eponym, \"Kennedy Library\", set aside: "
          f"{s['tp'] + s['fn'] - s['tp named'] - s['fn named']}): R {named:.3f}, F1 "
          f"{2 * precision * named / max(1e-9, precision + named):.3f}")
    print(f"  linking accuracy: {s['linked right']}/{s['linkable']} = {s['linked right'] / max(1, s['linkable']):.3f}")
    print(f"  most frequent wrong links (gold person -> authority linked): {frus['mislinked'].most_common(15)}")
    print(f"  gold persNames set aside as id errors: {sum(GOLD_ID_ERRORS.values())}: {GOLD_ID_ERRORS.most_common(8)}")
    print(f"  date exact {s['date right']}/{s['dated']}; classification level {s['classification right']}/{s['documents']}")
    print(f"  most frequent false positives: {frus['fp'].most_common(15)}")
    print(f"  most frequent misses: {frus['fn'].most_common(15)}")
    print(f"  ingest: {s['documents'] / seconds:.1f} docs/s end to end ({seconds:.1f} s, 2 reader processes)")
    known_surnames = listed_surnames(FRUS99)
    for fmt in ("text", "metadata-sheet", "archive-page"):
        total, unverified = junk(documents, authorities, known_surnames, fmt)
        print(f"  {fmt}: {total} person links, {sum(unverified.values())} with a surname no List of Persons has "
              f"({sum(unverified.values()) / max(1, total):.1%}): {unverified.most_common(40)}")
    persons, duplicated, examples = duplicates(authorities)
    print(f"duplicates: {duplicated} of {persons} persons have more than one record ({duplicated / max(1, persons):.2%}); "
          f"e.g. {examples[:15]}")
    print(f"authority names with a line break or control character: {len(broken_names(authorities))}")
    if "russian" not in args.skip:
        russian = score_russian(CORPUS / "russian" / "texts", documents, authorities)
        print(f"Russian case forms on one authority: {russian['right']}/{russian['total']} = "
              f"{russian['right'] / max(1, russian['total']):.3f}")
        for person, (authority, ok, total, forms) in sorted(russian["detail"].items()):
            print(f"  {person}: {ok}/{total} documents ({forms} forms) -> {authority}")
    if sheet is not None:
        print(f"NARA agencies in From/To/Originator: {dict(score_nara(sheet, documents, authorities))}")


if __name__ == "__main__":
    sys.exit(main())
