"""The query mix: eight classes of queries picked from the real vocabulary, for both engines.

Words are ranked by document frequency in the real FRUS texts (stop words left out). Common =
the top of that list; rare = words whose document frequency in the data set being measured is
between 5 and 50 (checked against the peer's index, so it holds at every size); phrases = the most
frequent word pairs; boolean = AND / OR / NOT / grouping over common and mid-frequency words;
field = person:<surname>, type:, place:, organization: from the real links; facet-filtered = a
word plus a facet filter; date-ranged = a word plus date:Y1..Y2; page 50 = a common word, page 50.

Each query is a dict: `class`, `fonds` (query text for SearchRequest), `filters`, `page`, and
`peer` (`text`: FTS5 MATCH on the document texts, `names`: FTS5 MATCH on the field columns,
`date`: (first day, last day)). Everything is drawn with a fixed seed.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
from collections import Counter
from pathlib import Path

import corpus

CLASSES = ("common", "rare", "phrase", "boolean", "field", "facet", "date", "page50")
STOP = set("""a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having he her here
hers him his how i if in into is it its itself just me more most my no nor not now of off on once only or other our
out over own same she should so some such than that the their them then there these they this those through to too
under until up very was we were what when where which while who whom why will with would you your shall may might must
upon per mr mrs re said see also one two three four five new made make like well many much any every yet however
within without whether thus therefore since being here there""".split())
WORD = re.compile(r"[a-z]+")


def vocabulary(work: Path) -> dict:
    """Document frequencies of words and counts of word pairs in the real texts (cached)."""
    path = work / "vocabulary.json"
    if path.exists():
        return json.loads(path.read_text())
    df: Counter = Counter()
    pairs: Counter = Counter()
    for i, record in enumerate(corpus.read_jsonl(work / "real.jsonl.gz")):
        text = " ".join([record["title"], record.get("summary") or ""] + [t["body"] for t in record["texts"]])
        words = WORD.findall(text.lower())
        df.update(set(words))
        if i % 4 == 0:
            pairs.update(f"{a} {b}" for a, b in zip(words, words[1:]) if a not in STOP and b not in STOP and len(a) > 2 and len(b) > 2)
    data = {"df": {w: n for w, n in df.items() if n >= 1 and len(w) >= 3},
            "pairs": dict(pairs.most_common(400))}
    path.write_text(json.dumps(data))
    return data


def ranked_words(vocab: dict) -> list[str]:
    """Content words, most frequent first."""
    return [w for w, _ in sorted(vocab["df"].items(), key=lambda x: (-x[1], x[0])) if w not in STOP and len(w) >= 4]


def query_mix(work: Path, peer_db: Path, per_class: int, seed: int = 7) -> list[dict]:
    """`per_class` queries of each class for the data set whose peer database is `peer_db`."""
    rng = random.Random(seed)
    vocab = vocabulary(work)
    words = ranked_words(vocab)
    common, mid = words[:per_class], words[:400]
    conn = sqlite3.connect(f"file:{peer_db}?mode=ro", uri=True)
    mix = [_plain("common", w) for w in common]
    mix += [_plain("rare", w) for w in _rare(conn, vocab, per_class, rng)]
    mix += [_phrase(p) for p in _phrases(vocab, per_class)]
    mix += [_boolean(i, rng.sample(mid, 3)) for i in range(per_class)]
    mix += _fields(conn, per_class, rng)
    mix += _facets(conn, mid, per_class, rng)
    mix += [_dated(rng.choice(mid), rng) for _ in range(per_class)]
    mix += [{**_plain("page50", w), "page": 50} for w in common]
    return mix


def _plain(cls: str, word: str) -> dict:
    return {"class": cls, "fonds": word, "peer": {"text": word}}


def _rare(conn: sqlite3.Connection, vocab: dict, n: int, rng: random.Random) -> list[str]:
    """Words the peer finds in 5 to 50 documents of this data set."""
    pool = sorted(w for w, d in vocab["df"].items() if d <= 60 and w not in STOP and 5 <= len(w) <= 14)
    rng.shuffle(pool)
    found = []
    for word in pool:
        count = conn.execute("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH ?", [word]).fetchone()[0]
        if 5 <= count <= 50:
            found.append(word)
            if len(found) == n:
                break
    return found


def _phrases(vocab: dict, n: int) -> list[str]:
    pairs = list(vocab["pairs"])
    step = max(1, len(pairs) // n)
    return pairs[::step][:n]


def _phrase(text: str) -> dict:
    return {"class": "phrase", "fonds": f'"{text}"', "peer": {"text": f'"{text}"'}}


def _boolean(i: int, words: list[str]) -> dict:
    """A AND B, A OR B, A NOT B, (A OR B) AND C in turn (same syntax for both engines)."""
    a, b, c = words
    text = (f"{a} AND {b}", f"{a} OR {b}", f"{a} NOT {b}", f"({a} OR {b}) AND {c}")[i % 4]
    return {"class": "boolean", "fonds": text, "peer": {"text": text}}


def _top_values(conn: sqlite3.Connection, facet: str, limit: int) -> list[str]:
    rows = conn.execute(f"SELECT value FROM facet_{facet} GROUP BY value ORDER BY count(*) DESC LIMIT ?", [limit]).fetchall()
    return [value for value, in rows]


def _single_words(values: list[str], position: int) -> list[str]:
    """One distinctive lower-case word of each value (the surname of 'Dulles, John Foster')."""
    out = []
    for value in values:
        parts = WORD.findall(value.split(",")[0].lower()) if position == 0 else WORD.findall(value.lower())
        parts = [p for p in parts if p not in STOP and len(p) > 2]
        if parts:
            out.append(parts[0] if position == 0 else parts[-1])
    return list(dict.fromkeys(out))


def _fields(conn: sqlite3.Connection, n: int, rng: random.Random) -> list[dict]:
    """person:<surname> (60%), type:, place:, organization: (the rest)."""
    people = _single_words(_top_values(conn, "person", n * 2), 0)
    types = _single_words(_top_values(conn, "type", 12), 1)
    places = _single_words(_top_values(conn, "place", n), 1)
    orgs = _single_words(_top_values(conn, "organization", n), 1)
    picks = [("person", w) for w in people[: int(n * 0.6)]]
    others = [("type", w) for w in types] + [("place", w) for w in places] + [("organization", w) for w in orgs]
    rng.shuffle(others)
    picks += others[: n - len(picks)]
    return [{"class": "field", "fonds": f"{f}:{w}", "peer": {"names": f"{f} : {w}"}} for f, w in picks]


def _facets(conn: sqlite3.Connection, words: list[str], n: int, rng: random.Random) -> list[dict]:
    """A word plus one facet filter on a frequent value of type, classification, person or archive."""
    values = {f: _top_values(conn, f, 8) for f in ("type", "classification", "person", "archive")}
    out = []
    for i in range(n):
        facet = ("type", "classification", "person", "archive")[i % 4]
        word = rng.choice(words)
        filters = {facet: [rng.choice(values[facet])]}
        out.append({"class": "facet", "fonds": word, "filters": filters, "peer": {"text": word}})
    return out


def _dated(word: str, rng: random.Random) -> dict:
    first = rng.randint(1947, 1974)
    last = first + rng.randint(0, 3)
    return {"class": "date", "fonds": f"{word} date:{first}..{last}",
            "peer": {"text": word, "date": (f"{first}-01-01", f"{last}-12-31")}}
