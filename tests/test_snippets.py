"""Highlighting and snippets: the candidate scan misses no matching word, and windows land on matches."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from fonds.search import query as q
from fonds.search.fold import WORD
from fonds.search.snippets import SNIPPET_SCAN_CHARS, Highlighter

pytestmark = pytest.mark.database_independent  # no database: the PostgreSQL pass leaves it out

# Letters where folding is tricky: Cyrillic, diacritics, the y/yo/ye rules, apostrophes, ligatures.
LETTERS = "aeikoprstvyzhcdnlEKPSYЁёХхрущевЕльцинПтЩйїÉéōŌﬁ"
word = st.text(alphabet=LETTERS + "'’", min_size=1, max_size=9).filter(lambda w: WORD.fullmatch(w) is not None)
text = st.lists(st.tuples(word, st.sampled_from([" ", ", ", "\n", " — ", "_", "-", "'"])), max_size=40).map(
    lambda parts: "".join(w + sep for w, sep in parts))


def reference_spans(highlighter: Highlighter, body: str) -> set[tuple[int, int]]:
    """What judging every word of the text, one by one, marks."""
    return {m.span() for m in WORD.finditer(body) if highlighter.matches(m.group())}


@settings(max_examples=1500, deadline=None)
@given(query_words=st.lists(word, min_size=1, max_size=3), body=text, prefix=st.booleans(), exact=st.booleans())
@example(query_words=["KYŌ"], body="KYŌ ", prefix=False, exact=False)  # "yō" folds to "e" once its mark is gone
def test_the_candidate_scan_finds_every_matching_word(query_words, body, prefix, exact):
    query = " ".join(w + ("*" if prefix and i == 0 else "") for i, w in enumerate(query_words))
    parsed = q.parse(query)
    highlighter = Highlighter(q.terms(parsed.node) if parsed.node else [], exact_script=exact)
    found = highlighter.spans(body)
    assert reference_spans(highlighter, body) <= set(found)
    assert all(highlighter.matches(body[a:b]) for a, b in found)


def highlighter(query: str, exact: bool = False) -> Highlighter:
    return Highlighter(q.terms(q.parse(query).node), exact_script=exact)


def test_spellings_across_scripts_and_rules_are_marked():
    body = "Khrushchev, Хрущёв and Khrushchov met Ельцин (Yeltsin), Пётр or Pyotr, and d’Estaing; Satō too."
    marked = highlighter("Хрущёв Yeltsin Petr Estaing Sato").mark(body)
    for name in ("Khrushchev", "Хрущёв", "Khrushchov", "Ельцин", "Yeltsin", "Пётр", "Pyotr", "Estaing", "Satō"):
        assert f"<mark>{name}</mark>" in marked
    assert "<mark>met</mark>" not in marked


def test_exact_script_marks_only_the_spelling_asked_for():
    marked = highlighter("Хрущёв", exact=True).mark("Хрущёв and Khrushchev")
    assert marked == "<mark>Хрущёв</mark> and Khrushchev"


def test_stems_and_prefixes_mark_word_forms():
    marked = highlighter("negotiations minist*").mark("They were negotiating with the Ministry and a minister.")
    assert marked.count("<mark>") == 3 and "<mark>negotiating</mark>" in marked


def test_the_snippet_is_the_window_with_most_distinct_matches():
    filler = " ".join(f"word{i}" for i in range(200))
    body = f"Missile here. {filler} The missile crisis in Cuba, missile and Cuba again. {filler}"
    snippet = highlighter("missile Cuba").snippet(body)
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "<mark>Cuba</mark>" in snippet and "<mark>missile</mark> crisis" in snippet
    assert len(WORD.findall(snippet.replace("<mark>", " ").replace("</mark>", " "))) == 36


def test_a_text_without_matches_gives_its_opening_and_empty_text_nothing():
    assert highlighter("zebra").snippet("The opening words of a text.") == "The opening words of a text."
    assert highlighter("zebra").snippet("") == ""


def test_snippets_escape_html_and_look_only_at_the_opening_of_long_texts():
    late = "x " * SNIPPET_SCAN_CHARS + "treaty"
    assert "<mark>" not in highlighter("treaty").snippet(late)
    assert highlighter("treaty").snippet("<b>treaty</b> & co") == "&lt;b&gt;<mark>treaty</mark>&lt;/b&gt; &amp; co"
