"""Synthetic FRUS-like documents: texts from bigram models of the real texts, metadata drawn from
the real records.

A bigram model is kept as the real token stream itself: for every token the list of tokens that
followed it, so drawing a uniform follower is drawing the next word with its bigram probability.
Tokens are whitespace-separated words with their punctuation (so generated text keeps commas and
full stops), plus a paragraph token. Many chains ("lanes") are advanced at once with numpy and
their output is cut into documents whose lengths are drawn from the real length distribution.

Metadata is drawn per document from independently chosen real "donor" records: one donor for the
links (authors, recipients, people, organizations, places, so their co-occurrence stays real), one
for the date, one for type and classification, one for the source (archive and volume). FRUS
records have no topics or subjects; the benchmark derives both from the volume title (topic "Korea
and China", subjects "Korea", "China") for real and synthetic documents alike, so those two
facets are not empty. Chunk `c` is drawn with the seed (SEED, c): the stream is deterministic and
the 100k set shares its first 60,000 synthetic documents (six whole chunks) with the 1M set.
"""

from __future__ import annotations

import gzip
import json
import multiprocessing
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from corpus import SEED

PARA = "\u00b6"
END = 0
CHUNK = 10_000
LANES = 4096
_VOLUME = re.compile(r"^Foreign Relations of the United States,?\s*[\d–-]+[,.]?\s*")
_VOLUME_TAIL = re.compile(r"[,:]?\s*(\(in \w+ parts\))?[,:]?\s*Volume\s.*$|,\s*Part\s.*$")


@dataclass
class Chain:
    """A bigram model: token ids, the followers of each id (grouped), and where each group starts."""

    vocab: np.ndarray  # id -> token (object array); id 0 is the end of a text
    followers: np.ndarray
    start: np.ndarray
    count: np.ndarray
    openers: np.ndarray  # first token of every real text (draws the start of a chain)

    def walk(self, rng: np.random.Generator, total: int, lanes: int = LANES) -> np.ndarray:
        """`total` token ids from `lanes` chains advanced together, lane after lane."""
        steps = -(-total // lanes)
        out = np.empty((lanes, steps), dtype=np.int32)
        state = self.openers[rng.integers(0, len(self.openers), lanes)]
        for step in range(steps):
            out[:, step] = state
            pick = self.start[state] + (rng.random(lanes) * self.count[state]).astype(np.int64)
            state = self.followers[pick]
            ended = state == END
            if ended.any():
                state[ended] = self.openers[rng.integers(0, len(self.openers), int(ended.sum()))]
        return out.reshape(-1)[:total]


def tokens(text: str) -> list[str]:
    """Whitespace tokens of a text with a paragraph token between paragraphs."""
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text or ""):
        words = paragraph.split()
        if words:
            if out:
                out.append(PARA)
            out += words
    return out


def build_chain(texts: list[str]) -> tuple[Chain, np.ndarray]:
    """The bigram model of `texts` and the token length of each text."""
    ids: dict[str, int] = {"": END}
    stream: list[int] = []
    lengths = []
    for text in texts:
        toks = tokens(text)
        lengths.append(len(toks))
        stream += [ids.setdefault(t, len(ids)) for t in toks]
        stream.append(END)
    arr = np.asarray(stream, dtype=np.int32)
    heads, follow = arr[:-1], arr[1:]
    order = np.argsort(heads, kind="stable")
    count = np.bincount(heads, minlength=len(ids)).astype(np.int64)
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    starts_at = np.concatenate([[0], np.flatnonzero(arr[:-1] == END) + 1])
    openers = arr[starts_at[starts_at < len(arr)]]
    openers = openers[openers != END]
    vocab = np.empty(len(ids), dtype=object)
    for token, i in ids.items():
        vocab[i] = token
    return Chain(vocab, follow[order], start, count, openers), np.asarray(lengths)


def render(chain: Chain, ids: np.ndarray) -> str:
    """Text of a token id run (paragraph tokens become blank lines)."""
    text = " ".join(chain.vocab[ids].tolist())
    return text.replace(f" {PARA} ", "\n\n").replace(PARA, "").strip()


def volume_topic(volume_title: str | None) -> tuple[list[str], list[str]]:
    """(topics, subjects) the benchmark derives from a FRUS volume title."""
    if not volume_title:
        return [], []
    topic = _VOLUME_TAIL.sub("", _VOLUME.sub("", volume_title)).strip(" ,.;:")
    if not topic:
        return [], []
    subjects = [s.strip() for s in re.split(r";|,|\band\b|:", topic) if len(s.strip()) > 2]
    subjects = [re.sub(r"^(the|The)\s+", "", s) for s in subjects if not re.search(r"\d|^Volume|Microfiche", s)]
    return [topic], list(dict.fromkeys(subjects))


def add_topics(record: dict) -> dict:
    """Give a record the topic and subjects of its volume (in place); returns it."""
    parts = (record.get("source") or {}).get("parts") or {}
    record["topics"], record["subjects"] = volume_topic(parts.get("volume_title"))
    return record


class Model:
    """Everything drawn from the real records: the text chains, lengths and metadata donors."""

    def __init__(self, real: list[dict]):
        bodies = ["\n\n".join(t["body"] for t in r["texts"]) for r in real]
        self.body, self.body_lengths = build_chain(bodies)
        self.title, self.title_lengths = build_chain([r["title"] for r in real])
        summaries = [r["summary"] for r in real if r.get("summary")]
        self.summary_share = len(summaries) / len(real)
        self.summary_lengths = np.asarray([len(tokens(s)) for s in summaries])
        self.donors = [_metadata(r) for r in real]

    def chunk(self, index: int, size: int, first_id: int) -> list[dict]:
        """`size` synthetic records, deterministic for chunk `index`."""
        rng = np.random.default_rng([SEED, index])
        body_len = np.maximum(self.body_lengths[rng.integers(0, len(self.body_lengths), size)], 1)
        title_len = np.maximum(self.title_lengths[rng.integers(0, len(self.title_lengths), size)], 1)
        has_summary = rng.random(size) < self.summary_share
        summary_len = np.where(has_summary, self.summary_lengths[rng.integers(0, len(self.summary_lengths), size)], 0)
        bodies = self._texts(self.body, rng, body_len)
        titles = self._texts(self.title, rng, title_len)
        summaries = self._texts(self.body, rng, summary_len)
        donors = rng.integers(0, len(self.donors), (size, 4))
        return [self._record(first_id + i, titles[i], summaries[i], bodies[i], donors[i]) for i in range(size)]

    def _texts(self, chain: Chain, rng: np.random.Generator, lengths: np.ndarray) -> list[str]:
        ids = chain.walk(rng, int(lengths.sum()))
        ends = np.cumsum(lengths)
        return [render(chain, ids[end - n:end]) if n else "" for n, end in zip(lengths.tolist(), ends.tolist())]

    def _record(self, number: int, title: str, summary: str, body: str, donors: np.ndarray) -> dict:
        links, dated, kind, source = (self.donors[d] for d in donors.tolist())
        record = {
            "id": f"synth-{number:07d}", "title": title or "Untitled", "summary": summary or None, "teaser": None,
            "date": dated["date"], "type": kind["type"], "classification": kind["classification"],
            "languages": source["languages"], "texts": [{"kind": "original", "language": "en", "body": body, "translator": None}],
            **{role: links[role] for role in ("authors", "recipients", "people", "organizations", "places")},
            "topics": source["topics"], "subjects": source["subjects"], "related": [],
            "source": source["source"], "rights": source["rights"], "funders": [], "status": "published",
            "embargo_until": None, "provenance": {"format": "synthetic", "file": None, "sha256": None, "ingested_at": None},
        }
        return record


def _metadata(record: dict) -> dict:
    """The parts of a real record a synthetic one may borrow (no texts)."""
    source = record.get("source")
    if source:
        parts = {k: v for k, v in (source.get("parts") or {}).items() if k == "volume_title"}
        source = {**source, "parts": parts}
    keep = ("date", "type", "classification", "languages", "authors", "recipients", "people", "organizations",
            "places", "topics", "subjects", "rights")
    return {**{k: record.get(k) for k in keep}, "source": source}


_MODEL: Model | None = None
WINDOW = 4  # chunks in flight: bounds memory (the writer is slower than 2 generating workers)


def _chunk_job(args: tuple[int, int, int]) -> bytes:
    """One chunk as a gzip member of JSON lines (members concatenate into one valid .gz file)."""
    rows = _MODEL.chunk(*args)
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    return gzip.compress(text.encode(), compresslevel=1)


def synthetic_gzip(real: list[dict], count: int) -> Iterator[bytes]:
    """`count` synthetic records in a fixed order as gzip members, drawn by 2 forked workers."""
    global _MODEL
    _MODEL = Model(real)
    jobs = [(c, min(CHUNK, count - c * CHUNK), c * CHUNK + 1) for c in range(-(-count // CHUNK))]
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pending = deque(pool.apply_async(_chunk_job, (job,)) for job in jobs[:WINDOW])
        for job in jobs[WINDOW:] + [None] * WINDOW:
            if not pending:
                break
            yield pending.popleft().get()
            if job is not None:
                pending.append(pool.apply_async(_chunk_job, (job,)))
