"""The search query language: exact ASTs for every form, repairs with their notes, and property tests."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fonds.search.query import (
    FIELDS, MAX_CLAUSES, MAX_LENGTH, And, DateRange, Not, Or, ParseResult, Phrase, Term, parse, terms, to_text,
)

pytestmark = pytest.mark.database_independent  # no database: the PostgreSQL pass leaves it out

T = Term
UNKNOWN_FOO = ("Unknown field 'foo'; searching for the words instead. Fields: title, text, author, person, organization, "
               "place, topic, subject, type, lang, classification, archive, date.")


def node(text: str):
    """The AST of a query that must parse without any notes."""
    result = parse(text)
    assert result.messages == [], result.messages
    return result.node


def leaves(n) -> list:
    if isinstance(n, (And, Or)):
        return [leaf for item in n.items for leaf in leaves(item)]
    if isinstance(n, Not):
        return leaves(n.item)
    return [] if n is None else [n]


# --- forms ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("khrushchev", T("khrushchev")),
    ("khrushchev disarmament", And((T("khrushchev"), T("disarmament")))),
    ("a AND b", And((T("a"), T("b")))),
    ("a and b or not c", And((T("a"), T("and"), T("b"), T("or"), T("not"), T("c")))),
    ("a OR b", Or((T("a"), T("b")))),
    ("a b OR c", And((T("a"), Or((T("b"), T("c")))))),
    ("a OR b c OR d", And((Or((T("a"), T("b"))), Or((T("c"), T("d")))))),
    ("a OR b OR c", Or((T("a"), T("b"), T("c")))),
    ("a AND b OR c", And((T("a"), Or((T("b"), T("c")))))),
    ("NOT a", Not(T("a"))),
    ("a NOT b", And((T("a"), Not(T("b"))))),
    ("NOT a OR b", Or((Not(T("a")), T("b")))),
    ("a OR NOT b", Or((T("a"), Not(T("b"))))),
    ("-a", Not(T("a"))),
    ("+a", T("a")),
    ("+AND", T("AND")),
    ("-OR", Not(T("OR"))),
    ("-a -b", And((Not(T("a")), Not(T("b"))))),
    ("NOT -a", T("a")),
    ("-(-a)", T("a")),
    ('"nuclear test ban"', Phrase("nuclear test ban")),
    ('"  spaced \t out  "', Phrase("spaced out")),
    ("\u201cnuclear test\u201d", Phrase("nuclear test")),
    ("\u201enuclear test\u201c", Phrase("nuclear test")),
    ('-"test ban"', Not(Phrase("test ban"))),
    ('+"test ban"', Phrase("test ban")),
    ('a"b c"d', And((T("a"), Phrase("b c"), T("d")))),
    ("(a OR b) c", And((Or((T("a"), T("b"))), T("c")))),
    ("(a b) OR c", Or((And((T("a"), T("b"))), T("c")))),
    ("-(a OR b)", Not(Or((T("a"), T("b"))))),
    ("+(a OR b)", Or((T("a"), T("b")))),
    ("((a))", T("a")),
    ("a (b (c d))", And((T("a"), T("b"), T("c"), T("d")))),
    ("a OR (b OR c)", Or((T("a"), T("b"), T("c")))),
    ("a(b)", And((T("a"), T("b")))),
])
def test_words_phrases_operators_groups(text, expected):
    assert node(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("title:Berlin", T("Berlin", "title")),
    ("TITLE:Berlin", T("Berlin", "title")),
    ("Person:Ulbricht", T("Ulbricht", "person")),
    ("author:Tolstoy", T("Tolstoy", "author")),
    ("people:Tolstoy", T("Tolstoy", "person")),
    ("org:NATO", T("NATO", "organization")),
    ("organisation:NATO", T("NATO", "organization")),
    ("language:ru", T("ru", "lang")),
    ("repository:NARA", T("NARA", "archive")),
    ('place:"West Berlin"', Phrase("West Berlin", "place")),
    ('-person:"Walter Ulbricht"', Not(Phrase("Walter Ulbricht", "person"))),
    ("-topic:nuclear", Not(T("nuclear", "topic"))),
    ("title:disarm*", T("disarm", "title", prefix=True)),
    ("title:Chrushchev~", T("Chrushchev", "title", fuzzy=1)),
    ("title:AND", T("AND", "title")),
    ("title:foo:bar", T("foo:bar", "title")),
    ("classification:TOP-SECRET", T("TOP-SECRET", "classification")),
    ("text:a OR title:a", Or((T("a", "text"), T("a", "title")))),
])
def test_fields(text, expected):
    assert node(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("date:1959", DateRange("1959-01-01", "1959-12-31")),
    ("date:1959-12", DateRange("1959-12-01", "1959-12-31")),
    ("date:1959-02", DateRange("1959-02-01", "1959-02-28")),
    ("date:1960-02", DateRange("1960-02-01", "1960-02-29")),
    ("date:1900-02", DateRange("1900-02-01", "1900-02-28")),
    ("date:2000-02", DateRange("2000-02-01", "2000-02-29")),
    ("date:1959-12-14", DateRange("1959-12-14", "1959-12-14")),
    ("date:1960-02-29", DateRange("1960-02-29", "1960-02-29")),
    ("date:1959-1-5", DateRange("1959-01-05", "1959-01-05")),
    ("date:1959-12..1960-03", DateRange("1959-12-01", "1960-03-31")),
    ("date:1959..1960", DateRange("1959-01-01", "1960-12-31")),
    ("date:1959-12-14..1959-12-14", DateRange("1959-12-14", "1959-12-14")),
    ("date:..1962-06-30", DateRange(None, "1962-06-30")),
    ("date:..1962", DateRange(None, "1962-12-31")),
    ("date:1959..", DateRange("1959-01-01", None)),
    ("DATE:1959,", DateRange("1959-01-01", "1959-12-31")),
    ("date:1959.", DateRange("1959-01-01", "1959-12-31")),
    ('date:"1959-12"', DateRange("1959-12-01", "1959-12-31")),
    ("-date:1959", Not(DateRange("1959-01-01", "1959-12-31"))),
    ("berlin date:1961-08", And((T("berlin"), DateRange("1961-08-01", "1961-08-31")))),
    ("date:1959 OR date:1961", Or((DateRange("1959-01-01", "1959-12-31"), DateRange("1961-01-01", "1961-12-31")))),
])
def test_dates(text, expected):
    assert node(text) == expected


@pytest.mark.parametrize("text, value", [
    ("date:19x9", "19x9"), ("date:1959-13", "1959-13"), ("date:1959-00", "1959-00"), ("date:1959-02-30", "1959-02-30"),
    ("date:1959-02-29", "1959-02-29"), ("date:0000", "0000"), ("date:59", "59"), ("date:..", ".."),
    ("date:1959..19x9", "1959..19x9"), ("date:1959-12-14T10:00", "1959-12-14T10:00"), ("date:1959...", "1959..."),
])
def test_bad_dates_are_dropped(text, value):
    result = parse(f"berlin {text}")
    assert result.node == T("berlin")
    assert result.messages == [f"Could not read the date '{value}' (use 1959, 1959-12 or 1959-12-14, "
                               "or a range such as 1959-12..1960-03); it was ignored."]


def test_date_range_ending_before_start():
    result = parse("date:1960-03..1959-12 berlin")
    assert result.node == T("berlin")
    assert result.messages == ["The date range '1960-03..1959-12' ends before it starts; it was ignored."]


@pytest.mark.parametrize("text, expected", [
    ("disarm*", T("disarm", prefix=True)),
    ("ab*", T("ab", prefix=True)),
    ("disarm*,", T("disarm", prefix=True)),
    ("Chrushchev~", T("Chrushchev", fuzzy=1)),
    ("Chrushchev~1", T("Chrushchev", fuzzy=1)),
    ("Chrushchev~2", T("Chrushchev", fuzzy=2)),
    ("Chrushchev~0", T("Chrushchev")),
    ("-disarm*", Not(T("disarm", prefix=True))),
    ("fo*o", T("fo*o")),
    ("foo*~", T("foo", fuzzy=1)),
    ("AND*", T("AND", prefix=True)),
])
def test_prefix_and_fuzzy(text, expected):
    assert node(text) == expected


@pytest.mark.parametrize("text, expected, message", [
    ("a*", None, "'a*' is too short; a prefix needs at least 2 characters. It was ignored."),
    ("*", None, "A lone '*' was ignored."),
    ("berlin *", T("berlin"), "A lone '*' was ignored."),
    ("~", None, "A lone '~' was ignored."),
    ("foo~3", T("foo", fuzzy=2), "'foo~3': at most 2 edits are allowed; using ~2."),
    ("foo~99", T("foo", fuzzy=2), "'foo~99': at most 2 edits are allowed; using ~2."),
])
def test_prefix_and_fuzzy_repairs(text, expected, message):
    assert parse(text) == ParseResult(expected, [message])


@pytest.mark.parametrize("text, expected", [
    ("Berlin, Moscow.", And((T("Berlin"), T("Moscow")))),
    ("(Berlin)!", T("Berlin")),
    ("...Berlin...", T("Berlin")),
    ("Brest-Litovsk", T("Brest-Litovsk")),
    ("O'Brien", T("O'Brien")),
    ("O\u2019Brien\u2019s", T("O\u2019Brien\u2019s")),
    ("'quoted'", T("quoted")),
    ("U.S.A.", T("U.S.A")),
    ("Хрущёв", T("Хрущёв")),
    ("赫鲁晓夫", T("赫鲁晓夫")),
    ("Gromyko, Ré\u0301sumé;", And((T("Gromyko"), T("Ré\u0301sumé")))),
    ("e\u0301", T("e\u0301")),
    ("10:30", T("10:30")),
    ("http://history.state.gov/x", T("http://history.state.gov/x")),
    ("Note: the", And((T("Note"), T("the")))),
    ("- , ; --", None),
    ("--foo", Not(T("foo"))),
    ("foo\u200dbar", T("foo\u200dbar")),  # format characters (joiners) stay inside words
    ("a\x00b\x07c", And((T("a"), T("b"), T("c")))),
])
def test_word_text_is_kept_but_outer_punctuation_dropped(text, expected):
    assert node(text) == expected


# --- unknown fields, empty fields -------------------------------------------------------------------

def test_unknown_field_becomes_words():
    assert parse("foo:bar") == ParseResult(And((T("foo"), T("bar"))), [UNKNOWN_FOO])
    assert parse("x -foo:bar") == ParseResult(And((T("x"), Not(And((T("foo"), T("bar")))))), [UNKNOWN_FOO])
    assert parse("x OR foo:bar") == ParseResult(Or((T("x"), And((T("foo"), T("bar"))))), [UNKNOWN_FOO])
    assert parse('foo:"bar baz"') == ParseResult(And((T("foo"), Phrase("bar baz"))), [UNKNOWN_FOO])
    assert parse("foo:bar*") == ParseResult(And((T("foo"), T("bar", prefix=True))), [UNKNOWN_FOO])


def test_unknown_field_chain_and_script():
    result = parse("foo:bar:title:x")
    assert result.node == And((T("foo"), T("bar"), T("x", "title")))
    assert [m.split(";")[0] for m in result.messages] == ["Unknown field 'foo'", "Unknown field 'bar'"]
    result = parse("автор:Ленин")
    assert result.node == And((T("автор"), T("Ленин")))
    assert result.messages[0].startswith("Unknown field 'автор'; searching for the words instead. Fields: title")


@pytest.mark.parametrize("text, expected, message", [
    ("title: berlin", T("berlin"), "Nothing followed 'title:'; it was ignored."),
    ("title:", None, "Nothing followed 'title:'; it was ignored."),
    ("Person:,", None, "Nothing followed 'Person:'; it was ignored."),
    ('title:""', None, "Nothing followed 'title:'; it was ignored."),
    ("date:", None, "Nothing followed 'date:'; it was ignored."),
    ("title:(a b)", And((T("a"), T("b"))), "Nothing followed 'title:'; it was ignored."),
])
def test_empty_field(text, expected, message):
    assert parse(text) == ParseResult(expected, [message])


# --- repairs ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected, messages", [
    ('"open phrase', Phrase("open phrase"), ["A quote was not closed; it was closed at the end of the query."]),
    ('a "b c" "d', And((T("a"), Phrase("b c"), Phrase("d"))),
     ["A quote was not closed; it was closed at the end of the query."]),
    ('a "', T("a"), ["A quote was not closed; it was closed at the end of the query.",
                     "Quotes without words in them were ignored."]),
    ('a ""', T("a"), ["Quotes without words in them were ignored."]),
    ('"..."', None, ["Quotes without words in them were ignored."]),
    ('"a b"~2', Phrase("a b"), ["'~2' does not work on phrases and was ignored."]),
    ('"a b"*', Phrase("a b"), ["'*' does not work on phrases and was ignored."]),
    ("a) b", And((T("a"), T("b"))), ["An unmatched ')' was ignored."]),
    (")) a", T("a"), ["An unmatched ')' was ignored."]),
    ("(a OR b", Or((T("a"), T("b"))), ["A '(' was not closed; it was closed at the end of the query."]),
    ("((a", T("a"), ["A '(' was not closed; it was closed at the end of the query."]),
    ("-(a b", Not(And((T("a"), T("b")))), ["A '(' was not closed; it was closed at the end of the query."]),
    ("a AND", T("a"), ["'AND' needs something on both sides; it was ignored."]),
    ("AND a", T("a"), ["'AND' needs something on both sides; it was ignored."]),
    ("a AND AND b", And((T("a"), T("b"))), ["'AND' needs something on both sides; it was ignored."]),
    ("OR b", T("b"), ["'OR' needs something on both sides; it was ignored."]),
    ("a OR", T("a"), ["'OR' needs something on both sides; it was ignored."]),
    ("a OR OR b", Or((T("a"), T("b"))), ["'OR' needs something on both sides; it was ignored."]),
    ("(a OR) b", And((T("a"), T("b"))), ["'OR' needs something on both sides; it was ignored."]),
    ("NOT", None, ["'NOT' needs something after it; it was ignored."]),
    ("a NOT", T("a"), ["'NOT' needs something after it; it was ignored."]),
    ("(NOT) a", T("a"), ["'NOT' needs something after it; it was ignored."]),
    ("()", None, ["Empty parentheses were ignored."]),
    ("a () b", And((T("a"), T("b"))), ["Empty parentheses were ignored."]),
    ("-()", None, ["Empty parentheses were ignored."]),
    ("AND OR NOT", None, ["'AND' needs something on both sides; it was ignored.",
                          "'OR' needs something on both sides; it was ignored.",
                          "'NOT' needs something after it; it was ignored."]),
    # A dropped item keeps its place: its own note is enough, the operator beside it stays quiet.
    ("a OR date:19x9", T("a"), ["Could not read the date '19x9' (use 1959, 1959-12 or 1959-12-14, "
                                "or a range such as 1959-12..1960-03); it was ignored."]),
    ("NOT a* b", T("b"), ["'a*' is too short; a prefix needs at least 2 characters. It was ignored."]),
])
def test_repairs(text, expected, messages):
    assert parse(text) == ParseResult(expected, messages)


@pytest.mark.parametrize("text", ["", "   ", "\t\n", "\x00"])
def test_empty_query(text):
    assert parse(text) == ParseResult(None, [])


def test_long_query_is_cut():
    result = parse("a " * 30 + "b" * 1000)
    assert result.messages == ["The query was longer than 1000 characters and was cut short."]
    assert result.node == And((T("a"),) * 30 + (T("b" * 940),))


def test_too_many_clauses():
    words = [f"w{i}" for i in range(100)]
    result = parse(" ".join(words))
    assert result.node == And(tuple(T(w) for w in words[:MAX_CLAUSES]))
    assert result.messages == ["The query has more than 64 parts; the rest was ignored."]


def test_deep_nesting_is_flattened():
    result = parse("(" * 400 + "a" + ")" * 400)
    assert result.node == T("a")
    assert result.messages == ["Parentheses were nested too deeply; the inner ones were ignored."]
    assert parse("NOT " * 240 + "a").node == T("a")


def test_messages_are_capped():
    result = parse(" ".join(f"x{i}* f{chr(97 + i)}:y" for i in range(20)))
    assert len(result.messages) == 9
    assert result.messages[-1] == "There were more problems with the query."


def test_non_string_input():
    assert parse(None) == ParseResult(None, [])  # type: ignore[arg-type]


# --- to_text and terms ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, canonical", [
    ("a AND b", "a b"),
    ("a b OR c", "a b OR c"),
    ("(a b) OR c", "(a b) OR c"),
    ("NOT (a OR b)", "-(a OR b)"),
    ("+AND", "+AND"),
    ("author:\u201cLeo Tolstoy\u201d", 'author:"Leo Tolstoy"'),
    ("date:1959-01..1959-12-31", "date:1959"),
    ("date:1959-12-01..1960-03-31", "date:1959-12..1960-03"),
    ("date:1960-02-01..1960-02-29", "date:1960-02"),
    ("date:1959-12-14", "date:1959-12-14"),
    ("date:1959-12-01..1959-12-01", "date:1959-12-01"),
    ("date:..1962-06-30", "date:..1962-06"),
    ("date:1959-03-02..", "date:1959-03-02.."),
    ("foo~2 bar~1 baz*", "foo~2 bar~ baz*"),
    ("x OR foo:bar", "x OR (foo bar)"),
])
def test_to_text(text, canonical):
    assert to_text(parse(text).node) == canonical
    assert parse(canonical).node == parse(text).node


def test_to_text_empty():
    assert to_text(None) == ""


def test_terms_for_highlighting():
    query = 'a title:b text:"c d" person:e -f NOT (g h) date:1959 (i OR -j) kr* l~ -"m n"'
    assert terms(parse(query).node) == [T("a"), T("b", "title"), Phrase("c d", "text"), T("i"),
                                        T("kr", prefix=True), T("l", fuzzy=1)]
    assert terms(None) == []
    assert terms(parse("-a").node) == []


# --- properties -------------------------------------------------------------------------------------

WORDS = ["khrushchev", "Berlin", "and", "or", "not", "Brest-Litovsk", "O'Brien", "Хрущёв", "赫鲁晓夫", "résumé",
         "10:30", "http://x.org/a", "U.S.A.", "a", "ab", "Berlin,", "...", "fo*o", "foo~2bar", "e\u0301"]
FIELD_NAMES = list(FIELDS) + ["TITLE", "Person", "author", "org", "language", "foo", "Note", "автор"]
DATES = ["1959", "1959-12", "1960-02-29", "1959-02-29", "1959-13", "19x9", "1959-12..1960-03", "..1962-06-30",
         "1959..", "1960..1959", "..", "1959-1-5"]

words = st.sampled_from(WORDS)
suffixes = st.sampled_from(["", "", "", "*", "~", "~1", "~2", "~5", ","])
signs = st.sampled_from(["", "", "-", "+"])
phrase_text = st.lists(words, max_size=3).map(" ".join)
quote = st.sampled_from(['"', "\u201c", "\u201d", "\u201e"])

atoms = st.one_of(
    st.builds(lambda s, w, x: s + w + x, signs, words, suffixes),
    st.builds(lambda s, q1, t, q2: f"{s}{q1}{t}{q2}", signs, quote, phrase_text, st.sampled_from(['"', "\u201d", ""])),
    st.builds(lambda s, f, w, x: f"{s}{f}:{w}{x}", signs, st.sampled_from(FIELD_NAMES), words, suffixes),
    st.builds(lambda s, f, t: f'{s}{f}:"{t}"', signs, st.sampled_from(FIELD_NAMES), phrase_text),
    st.builds(lambda s, d: f"{s}date:{d}", signs, st.sampled_from(DATES)),
    st.sampled_from(["AND", "OR", "NOT", "(", ")", "-(", "+(", "()", '"', "*", "~", "title:", "", "::"]),
)
queries = st.lists(st.tuples(atoms, st.sampled_from([" ", " ", "", "  ", "\t"])), max_size=25).map(
    lambda parts: "".join(a + sep for a, sep in parts))


def check_result(result) -> None:
    """The shape every parse result must have."""
    assert isinstance(result, ParseResult)
    assert all(isinstance(m, str) and m for m in result.messages)
    assert len(leaves(result.node)) <= MAX_CLAUSES
    assert all(isinstance(t, (Term, Phrase)) for t in terms(result.node))


def check_round_trip(result) -> None:
    """Canonical text parses, without notes, back to the same AST; rendering is stable."""
    text = to_text(result.node)
    again = parse(text)
    assert again.node == result.node, text
    assert again.messages == [], (text, again.messages)
    assert to_text(again.node) == text


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(queries)
def test_grammar_queries_parse_and_round_trip(text):
    assert len(text) < MAX_LENGTH  # the round trip is promised within the limits
    result = parse(text)
    check_result(result)
    check_round_trip(result)


@settings(max_examples=1000, deadline=None)
@given(st.text(max_size=200))
def test_any_text_never_raises(text):
    result = parse(text)
    check_result(result)
    check_round_trip(result)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('()"-+*~: ORANDTt\u201c\u201e.,x1')), max_size=120))
def test_syntax_soup_never_raises(text):
    result = parse(text)
    check_result(result)
    check_round_trip(result)


@settings(max_examples=20, deadline=None)
@given(st.text(min_size=MAX_LENGTH, max_size=3 * MAX_LENGTH))
def test_long_text_never_raises(text):
    check_result(parse(text))
