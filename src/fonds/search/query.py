"""The query language: user text -> AST. Never raises; problems become messages.

Search syntax (reference; also shown on the help page)
======================================================

Words
    ``khrushchev disarmament`` finds documents containing both words. Items next to each other are
    combined with AND. Words keep their spelling; case and accents are handled by the index. Punctuation
    around a word is ignored (``Berlin,`` is ``Berlin``); hyphens, apostrophes and other marks inside a
    word are kept (``Brest-Litovsk``, ``O'Brien``, ``10:30``). Any script works.

Exact phrases
    ``"nuclear test ban"`` finds the words in this order. Typographic quotes (“ ” „) work as well.
    A quote that is not closed is closed at the end of the query.

Operators
    ``AND``, ``OR`` and ``NOT`` are operators only when written in capitals; ``and``, ``or``, ``not``
    are ordinary words. ``OR`` binds tighter than ``AND``, as in web search engines:
    ``berlin wall OR fence`` means ``berlin AND (wall OR fence)``. ``NOT`` and a leading minus exclude
    the next item: ``-word``, ``-"a phrase"``, ``-person:Ulbricht``, ``-(a OR b)``. A leading plus is
    allowed and changes nothing (``+word`` is ``word``; ``+AND`` searches for the word "AND").
    A query made only of excluded items (``-draft``) finds every document except those.

Grouping
    Parentheses group: ``(berlin OR vienna) summit``.

Fields
    ``field:word`` or ``field:"a phrase"`` searches one field. Fields: title, text, author, person,
    organization, place, topic, subject, type, lang, classification, archive, date. Aliases: people
    (person), org and organisation (organization), language (lang), repository (archive).
    Field names may be written in any case. A field applies to the one word or phrase right after the
    colon, with no space: ``title: berlin`` and ``title:(a b)`` are not field searches (the empty field
    is reported and ignored). An unknown field name (``foo:bar``) is reported and its parts are
    searched as words together (``foo:bar`` becomes ``(foo bar)``). A colon that does not follow a
    name made of letters (``10:30``) or that starts a link (``http://...``) is just part of the word.

Dates
    ``date:1959`` (the whole year), ``date:1959-12`` (the whole month), ``date:1959-12-14`` (one day).
    Ranges use two dots and include both ends: ``date:1959-12..1960-03`` is 1 December 1959 to
    31 March 1960. Open ranges: ``date:..1962-06-30`` (up to), ``date:1959..`` (from). A date that
    cannot be read, or a range that ends before it starts, is reported and left out.

Prefixes and fuzzy words
    ``disarm*`` finds words beginning with "disarm" (at least two letters before the ``*``).
    ``Chrushchev~`` also finds words one edit away, ``Chrushchev~2`` two edits away (the most allowed).
    Neither applies to phrases.

Repairs
    Nothing you type is an error: unbalanced quotes and parentheses, operators with nothing on one
    side, empty parentheses and unknown fields are repaired or ignored, and a short note says what was
    done. Queries longer than 1000 characters are cut, and at most 64 words, phrases and dates are used.

API
---
``parse(text)`` returns a ``ParseResult``: the AST (``None`` for an empty query) and the notes.
The AST is simplified: ``And``/``Or`` with one item collapse to the item, nested ones of the same kind
are flattened, double negation cancels, and a purely negative query stays ``Not(...)`` (the caller
combines it with match-all). ``to_text(node)`` renders an AST from ``parse`` as canonical query text
with ``parse(to_text(node)).node == node`` (for queries within the limits above). ``terms(node)`` lists
the positive words and phrases in the text/title fields, for highlighting.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from typing import NamedTuple

from fonds.search.notes import Note, gettext_noop

# Fields a user may name, and the aliases accepted for them.
FIELDS = ("title", "text", "author", "person", "organization", "place", "topic", "subject", "type", "lang",
          "classification", "archive", "date")
ALIASES = {"people": "person", "org": "organization", "organisation": "organization", "language": "lang",
           "repository": "archive"}


@dataclass(frozen=True)
class Term:
    """A word. `field` None means the default text fields. `prefix`: word*; `fuzzy`: edit distance (word~ is 1, word~2 is 2)."""

    text: str
    field: str | None = None
    prefix: bool = False
    fuzzy: int = 0


@dataclass(frozen=True)
class Phrase:
    """An "exact phrase" (words in order)."""

    text: str
    field: str | None = None


@dataclass(frozen=True)
class DateRange:
    """date:1959-12..1960-03, date:1959, date:..1962-06-30 as inclusive ISO days (None = open)."""

    start: str | None
    end: str | None


@dataclass(frozen=True)
class And:
    items: tuple


@dataclass(frozen=True)
class Or:
    items: tuple


@dataclass(frozen=True)
class Not:
    item: object


Node = Term | Phrase | DateRange | And | Or | Not


@dataclass
class ParseResult:
    """The AST (None for an empty query) and messages telling the user what was repaired."""

    node: Node | None
    messages: list[str] = field(default_factory=list)


# Limits that protect the search engine (and Python's recursion limit) from hostile input.
MAX_LENGTH = 1000
MAX_CLAUSES = 64
MAX_DEPTH = 16
MAX_MESSAGES = 8
MAX_FUZZY = 2
MIN_PREFIX = 2

OPERATORS = ("AND", "OR", "NOT")
# Typographic double quotes behave exactly like '"'.
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"'})
_FIELD_RE = re.compile(r"([^\W\d_]+):(.*)", re.S)
_SUFFIX_RE = re.compile(r"(\*|~([0-9]*))\Z")
_DATE_RE = re.compile(r"([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?\Z")
_FIELD_LIST = ", ".join(FIELDS)


# --- characters -------------------------------------------------------------------------------------

def _is_sep(c: str) -> bool:
    """Whitespace and control characters separate items."""
    return c.isspace() or unicodedata.category(c) == "Cc"


def _is_word(c: str) -> bool:
    """Letters, digits and combining marks (any script) can begin or end a word."""
    return unicodedata.category(c)[0] in "LNM"


def _lstrip(s: str, keep: str = "") -> str:
    """Drop leading characters that cannot start a word (except those in `keep`)."""
    i = 0
    while i < len(s) and not _is_word(s[i]) and s[i] not in keep:
        i += 1
    return s[i:]


def _rstrip(s: str, keep: str = "") -> str:
    """Drop trailing characters that cannot end a word (except those in `keep`)."""
    j = len(s)
    while j > 0 and not _is_word(s[j - 1]) and s[j - 1] not in keep:
        j -= 1
    return s[:j]


def _strip(s: str, keep: str = "") -> str:
    return _rstrip(_lstrip(s, keep), keep)


def _has_word(s: str) -> bool:
    return any(_is_word(c) for c in s)


def _squash(s: str) -> str:
    """Collapse whitespace and control characters in a phrase to single spaces."""
    return " ".join("".join(" " if _is_sep(c) else c for c in s).split())


# --- AST helpers ------------------------------------------------------------------------------------

def _combine(kind: type, items) -> Node | None:
    """Build And/Or from items: drop None, flatten the same kind, collapse a single item."""
    flat: list = []
    for item in items:
        if item is None:
            continue
        flat.extend(item.items if isinstance(item, kind) else (item,))
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else kind(tuple(flat))


def _negate(node: Node | None) -> Node | None:
    """NOT of a node; double negation cancels."""
    if node is None:
        return None
    return node.item if isinstance(node, Not) else Not(node)


def _leaf_count(node: Node | None) -> int:
    if node is None:
        return 0
    if isinstance(node, (And, Or)):
        return sum(_leaf_count(i) for i in node.items)
    if isinstance(node, Not):
        return _leaf_count(node.item)
    return 1


# --- dates ------------------------------------------------------------------------------------------

def _date_bounds(spec: str) -> tuple[str, str] | None:
    """First and last ISO day covered by 1959, 1959-12 or 1959-12-14; None if it is not a date."""
    m = _DATE_RE.match(spec)
    if not m:
        return None
    year = int(m[1])
    month = int(m[2]) if m[2] else None
    day = int(m[3]) if m[3] else None
    if year < 1 or (month is not None and not 1 <= month <= 12):
        return None
    if month is None:
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    last = calendar.monthrange(year, month)[1]  # knows leap years
    if day is None:
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"
    if not 1 <= day <= last:
        return None
    iso = f"{year:04d}-{month:02d}-{day:02d}"
    return iso, iso


def _compact_start(iso: str) -> str:
    """Shortest spelling that still starts on `iso` (keeps canonical text short)."""
    if iso.endswith("-01-01"):
        return iso[:4]
    return iso[:7] if iso.endswith("-01") else iso


def _compact_end(iso: str) -> str:
    """Shortest spelling that still ends on `iso`."""
    if iso.endswith("-12-31"):
        return iso[:4]
    last = _date_bounds(iso[:7])
    return iso[:7] if last and last[1] == iso else iso


# --- tokens -----------------------------------------------------------------------------------------

class _Tok(NamedTuple):
    """kind is '(' (value: negated?), ')', 'op' (value: AND/OR/NOT) or 'leaf' (value: node or None)."""

    kind: str
    value: object = None


class _Parser:
    """One parse: a tokenizer that builds the leaves, then a recursive-descent parser over the tokens."""

    def __init__(self, text: str):
        self.messages: list[str] = []
        self.clauses = 0
        self.tokens: list[_Tok] = []
        self.pos = 0
        if len(text) > MAX_LENGTH:
            self.say(gettext_noop("The query was longer than %(limit)d characters and was cut short."), limit=MAX_LENGTH)
            text = text[:MAX_LENGTH]
        self.text = text.translate(_QUOTES)

    def say(self, template: str, **values) -> None:
        """Record a note once (`template` filled with `values`); a flood of notes helps no one, so cap them."""
        message = Note(template, **values)
        if message in self.messages:
            return
        if len(self.messages) < MAX_MESSAGES:
            self.messages.append(message)
        elif len(self.messages) == MAX_MESSAGES:
            self.messages.append(Note(gettext_noop("There were more problems with the query.")))

    # --- tokenizer ------------------------------------------------------------------------------

    def tokenize(self) -> None:
        """Split the text into parentheses, operators and leaves."""
        s, i, depth, excess = self.text, 0, 0, 0
        while i < len(s):
            c, nxt = s[i], s[i + 1:i + 2]
            if _is_sep(c):
                i += 1
            elif c == "(" or (c in "+-" and nxt == "("):
                i += 1 if c == "(" else 2
                if depth >= MAX_DEPTH:  # deeper nesting is flattened rather than recursed into
                    excess += 1
                    self.say(gettext_noop("Parentheses were nested too deeply; the inner ones were ignored."))
                    continue
                depth += 1
                self.tokens.append(_Tok("(", c == "-"))
            elif c == ")":
                i += 1
                if excess:
                    excess -= 1
                    continue
                depth = max(depth - 1, 0)
                self.tokens.append(_Tok(")"))
            elif c == '"' or (c in "+-" and nxt == '"'):
                i = self.phrase(i + (c != '"'), None, c == "-")
            else:
                i = self.word(i)

    def word(self, i: int) -> int:
        """Read one word starting at i (maybe an operator, or a field name before a phrase)."""
        s, j = self.text, i
        while j < len(s) and not _is_sep(s[j]) and s[j] not in '()"':
            j += 1
        raw = s[i:j]
        if raw in OPERATORS:
            self.tokens.append(_Tok("op", raw))
            return j
        neg, body = raw[:1] == "-", raw[1:] if raw[:1] in "+-" else raw
        name = _lstrip(body)
        if j < len(s) and s[j] == '"' and re.fullmatch(r"[^\W\d_]+:", name):
            return self.phrase(j, name[:-1], neg)
        self.leaf(self.word_node(body), neg)
        return j

    def phrase(self, i: int, name: str | None, neg: bool) -> int:
        """Read a quoted phrase whose opening quote is at i; return the index after it."""
        s = self.text
        end = s.find('"', i + 1)
        if end < 0:
            self.say(gettext_noop("A quote was not closed; it was closed at the end of the query."))
            end = len(s)
        text, j = _squash(s[i + 1:end]), end + 1
        m = re.match(r"\*|~[0-9]*", s[j:])
        if m:  # word-only suffixes after a phrase: drop them rather than read a stray word
            self.say(gettext_noop("'%(text)s' does not work on phrases and was ignored."), text=m[0])
            j += m.end()
        if name is None:
            self.leaf(self.phrase_node(text, None), neg)
        else:
            self.leaf(self.field_phrase(name, text), neg)
        return j

    def leaf(self, node: Node | None, neg: bool) -> None:
        """Emit a leaf token (None keeps its place so operators around it stay quiet)."""
        count = _leaf_count(node)
        if count and self.clauses + count > MAX_CLAUSES:
            self.say(gettext_noop("The query has more than %(limit)d parts; the rest was ignored."), limit=MAX_CLAUSES)
            node = None
        self.clauses += _leaf_count(node)
        self.tokens.append(_Tok("leaf", _negate(node) if neg else node))

    # --- leaves ---------------------------------------------------------------------------------

    def phrase_node(self, text: str, field_name: str | None) -> Phrase | None:
        if not _has_word(text):
            self.say(gettext_noop("Quotes without words in them were ignored."))
            return None
        return Phrase(text, field_name)

    def field_phrase(self, name: str, text: str) -> Node | None:
        """field:"phrase" for a known field, a date, or an unknown field searched as words."""
        canon = self.field_name(name)
        if canon is None:
            return _combine(And, (Term(name), self.phrase_node(text, None)))
        if not text:
            self.say(gettext_noop("Nothing followed '%(field)s:'; it was ignored."), field=name)
            return None
        if canon == "date":
            return self.date(text, name)
        return self.phrase_node(text, canon)

    def field_name(self, name: str) -> str | None:
        """Canonical field for a name, or None (with a note) when it is unknown."""
        canon = ALIASES.get(name.lower(), name.lower())
        if canon in FIELDS:
            return canon
        self.say(gettext_noop("Unknown field '%(field)s'; searching for the words instead. Fields: %(fields)s."), field=name,
                 fields=_FIELD_LIST)
        return None

    def word_node(self, body: str) -> Node | None:
        """A word, field:value, or an unknown field's parts as words (a loop: foo:bar:baz...)."""
        parts: list = []
        while m := _FIELD_RE.match(_lstrip(body)):
            name, rest = m[1], m[2]
            canon = ALIASES.get(name.lower(), name.lower())
            if canon in FIELDS:
                parts.append(self.field_value(canon, name, rest))
                return _combine(And, parts)
            if not _has_word(rest) or rest.startswith("/"):  # "Note:" or a link is just a word
                break
            self.field_name(name)
            parts.append(Term(name))
            body = rest
        parts.append(self.plain(body, None))
        return _combine(And, parts)

    def field_value(self, canon: str, name: str, rest: str) -> Node | None:
        if canon == "date":
            return self.date(rest, name)
        if not _has_word(rest):
            self.say(gettext_noop("Nothing followed '%(field)s:'; it was ignored."), field=name)
            return None
        return self.plain(rest, canon)

    def plain(self, body: str, field_name: str | None) -> Term | None:
        """A word with optional * or ~N suffix; punctuation around it is dropped."""
        word = _strip(body, keep="*~")
        m = _SUFFIX_RE.search(word)
        core = _strip(word[:m.start()] if m else word)
        if not m:
            return Term(core, field_name) if core else None
        if not core:
            self.say(gettext_noop("A lone '%(text)s' was ignored."), text=m[1])
            return None
        if m[1] == "*":
            if len(core) < MIN_PREFIX:
                self.say(gettext_noop("'%(text)s*' is too short; a prefix needs at least %(limit)d characters. It was ignored."),
                         text=core, limit=MIN_PREFIX)
                return None
            return Term(core, field_name, prefix=True)
        fuzzy = int(m[2]) if m[2] else 1
        if fuzzy > MAX_FUZZY:
            self.say(gettext_noop("'%(text)s': at most %(limit)d edits are allowed; using ~%(limit)d."), text=f"{core}~{m[2]}",
                     limit=MAX_FUZZY)
            fuzzy = MAX_FUZZY
        return Term(core, field_name, fuzzy=fuzzy)

    def date(self, value: str, name: str) -> DateRange | None:
        """date:1959, 1959-12, 1959-12-14 or a..b (either end open) as an inclusive day range."""
        value = value.strip().rstrip(",;!?")
        if value.endswith(".") and not value.endswith(".."):
            value = value[:-1]  # a sentence-ending period, not a range
        if not value:
            self.say(gettext_noop("Nothing followed '%(field)s:'; it was ignored."), field=name)
            return None
        start, dots, end = value.partition("..")
        first = _date_bounds(start or end) if not dots else (_date_bounds(start) if start else (None, None))
        last = first if not dots else (_date_bounds(end) if end else (None, None))
        if first is None or last is None or (dots and not start and not end):
            self.say(gettext_noop("Could not read the date '%(value)s' (use 1959, 1959-12 or 1959-12-14, or a range such as "
                                  "1959-12..1960-03); it was ignored."), value=value)
            return None
        lo, hi = first[0], last[1]
        if lo and hi and hi < lo:
            self.say(gettext_noop("The date range '%(value)s' ends before it starts; it was ignored."), value=value)
            return None
        return DateRange(lo, hi)

    # --- parser ---------------------------------------------------------------------------------

    def peek(self) -> _Tok | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def starts_item(self, tok: _Tok | None) -> bool:
        return tok is not None and (tok.kind in ("leaf", "(") or tok == _Tok("op", "NOT"))

    def parse_and(self, nested: bool) -> Node | None:
        """Items separated by nothing or AND, up to ')' (nested) or the end (top level)."""
        items: list = []
        seen_item = False
        while (tok := self.peek()) is not None:
            if tok.kind == ")":
                if nested:
                    break
                self.say(gettext_noop("An unmatched ')' was ignored."))
                self.pos += 1
            elif tok.kind == "op" and tok.value != "NOT":
                self.pos += 1
                if not seen_item or not self.starts_item(self.peek()):
                    self.say(gettext_noop("'%(operator)s' needs something on both sides; it was ignored."), operator=tok.value)
            else:
                seen_item = True
                items.append(self.parse_or())
        return _combine(And, items)

    def parse_or(self) -> Node | None:
        """Unary items joined by OR (binds tighter than AND)."""
        items = [self.parse_unary()]
        while self.peek() == _Tok("op", "OR"):
            self.pos += 1
            if self.starts_item(self.peek()):
                items.append(self.parse_unary())
            else:
                self.say(gettext_noop("'%(operator)s' needs something on both sides; it was ignored."), operator="OR")
        return _combine(Or, items)

    def parse_unary(self) -> Node | None:
        """NOT* item; a loop rather than recursion so long NOT chains are harmless."""
        nots = 0
        while self.peek() == _Tok("op", "NOT"):
            self.pos += 1
            nots += 1
        if not self.starts_item(self.peek()):
            self.say(gettext_noop("'NOT' needs something after it; it was ignored."))
            return None
        node = self.parse_primary()
        return _negate(node) if nots % 2 else node

    def parse_primary(self) -> Node | None:
        """A leaf or a (possibly negated) parenthesised group."""
        tok = self.tokens[self.pos]
        self.pos += 1
        if tok.kind == "leaf":
            return tok.value
        if self.peek() == _Tok(")"):
            self.pos += 1
            self.say(gettext_noop("Empty parentheses were ignored."))
            return None
        inner = self.parse_and(nested=True)
        if self.peek() == _Tok(")"):
            self.pos += 1
        else:
            self.say(gettext_noop("A '(' was not closed; it was closed at the end of the query."))
        return _negate(inner) if tok.value else inner


def parse(text: str) -> ParseResult:
    """Parse user query text into an AST; repairs are reported in `messages`, never raised."""
    parser = _Parser(text if isinstance(text, str) else "")
    parser.tokenize()
    node = parser.parse_and(nested=False)
    return ParseResult(node, parser.messages)


# --- rendering and inspection -------------------------------------------------------------------

def _term_text(node: Term) -> str:
    prefix = f"{node.field}:" if node.field else ("+" if node.text in OPERATORS else "")
    suffix = "*" if node.prefix else ("~" if node.fuzzy == 1 else f"~{node.fuzzy}" if node.fuzzy else "")
    return prefix + node.text + suffix


def _date_text(node: DateRange) -> str:
    if node.start and node.start == node.end:
        return f"date:{node.start}"
    start = _compact_start(node.start) if node.start else ""
    end = _compact_end(node.end) if node.end else ""
    if node.start and node.end and _date_bounds(start) == _date_bounds(end) == (node.start, node.end):
        return f"date:{start}"  # a whole year, month or day needs no range
    return f"date:{start}..{end}"


def to_text(node: Node | None) -> str:
    """Canonical query text for an AST produced by `parse` (parsing it gives the same AST)."""
    if node is None:
        return ""
    if isinstance(node, Term):
        return _term_text(node)
    if isinstance(node, Phrase):
        return (f"{node.field}:" if node.field else "") + f'"{node.text}"'
    if isinstance(node, DateRange):
        return _date_text(node)
    if isinstance(node, Not):
        inner = to_text(node.item)
        return f"-({inner})" if isinstance(node.item, (And, Or)) else f"-{inner}"
    if isinstance(node, Or):  # And inside Or needs parentheses because OR binds tighter
        return " OR ".join(f"({to_text(i)})" if isinstance(i, And) else to_text(i) for i in node.items)
    return " ".join(to_text(i) for i in node.items)


def terms(node: Node | None) -> list[Term | Phrase]:
    """Positive (not negated) words and phrases searched in the default, text or title fields."""
    if isinstance(node, (Term, Phrase)):
        return [node] if node.field in (None, "text", "title") else []
    if isinstance(node, (And, Or)):
        return [leaf for item in node.items for leaf in terms(item)]
    return []  # Not, DateRange, None
