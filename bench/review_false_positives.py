"""A sample of the person links `bench/quality.py` counts as false positives, with their context,
for review by hand (not a test).

A link is a false positive to the bench when the volume's List of Persons has its surname but no
persName of the document does; the editors do not tag every mention, so some of these name the
person all the same. This draws `--sample` of them at random (fixed `--seed`) from a home that
`bench/quality.py --keep HOME` left, and prints each with the text around the surname; the
reviewer says which name the person linked. docs/quality.md gives round 8's verdicts.

    FRUS99=/tmp/frus99 .venv/bin/python bench/review_false_positives.py HOME VOLUME... [--sample 40] [--seed 8]
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
from pathlib import Path

from quality import FRUS99, export, person_links, surname_key, write_plain_text


def false_positives(home: Path, volumes: list[str], folder: Path) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """((document, name linked) of every false positive, the plain text of each document)."""
    gold = write_plain_text([FRUS99 / f"{volume}.xml" for volume in volumes], folder)
    documents, authorities = export(home)
    found_wrong = []
    for record_id, truth in gold.items():
        document = documents.get(record_id)
        if document is None:
            continue
        found = {surname_key(authorities.get(("person", link["id"]), {"name": link["name"]})["name"]): link
                 for link in person_links(document)}
        found.pop("", None)
        wanted = {surname_key(person.name) for person in truth["people"]}
        untagged = {surname_key(name) for name in truth["unlinked"]}
        found_wrong += [(record_id, found[key]["name"]) for key in (found.keys() - wanted - untagged) & truth["listed"]]
    # sorted: the sets above have no order of their own, and the sample must be the same each run
    return sorted(found_wrong), {path.stem: path.read_text(encoding="utf-8") for path in folder.rglob("*.txt")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("home", type=Path, help="a home bench/quality.py --keep left")
    parser.add_argument("volumes", nargs="+", help="the volumes it ingested as plain text")
    parser.add_argument("--sample", type=int, default=40)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        rows, texts = false_positives(args.home, args.volumes, Path(folder))
    print(f"{len(rows)} false positives; {min(args.sample, len(rows))} drawn with seed {args.seed}\n")
    for number, (document, name) in enumerate(random.Random(args.seed).sample(rows, min(args.sample, len(rows))), 1):
        surname = re.split(r"[,(]", name)[0].strip().split()[-1]
        text = texts.get(document, "")
        at = text.find(surname)
        context = " ".join(text[max(0, at - 110):at + 60].split()) if at >= 0 else "(not written so: a romanisation)"
        print(f"{number} | {document} | {name} | {context} | ")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
