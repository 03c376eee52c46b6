"""The text layers of a document page as HTML: footnote marks where the notes stand, the notes
numbered below each layer and linked both ways, and every hit of the visitor's query marked and
numbered across all layers and notes (for the hit count and next/previous)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.template.defaultfilters import linebreaks_filter
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from fonds.search.query import parse, terms
from fonds.search.snippets import Highlighter

_MARK = re.compile(r"<mark>")
QUERY_LIMIT = 2000  # characters of `?q=` read for highlighting, as on the search page


@dataclass
class Layer:
    """One text layer ready to show: its row, its body as HTML and its footnotes."""

    text: object
    html: SafeString
    notes: list[dict] = field(default_factory=list)


def reading_layers(texts, query: str) -> tuple[list[Layer], int]:
    """The layers of `texts` as HTML and the number of hits of `query` marked in them."""
    highlighter = Highlighter(terms(parse(query[:QUERY_LIMIT]).node)) if query.strip() else None
    mark = highlighter.mark if highlighter else escape
    layers = [_layer(position, text, mark) for position, text in enumerate(texts, start=1)]
    counter = _HitCounter()
    for layer in layers:
        layer.html = mark_safe(counter.number(layer.html))
        for note in layer.notes:
            note["html"] = mark_safe(counter.number(note["html"]))
    return layers, counter.count


def _layer(position: int, text, mark) -> Layer:
    """The body split at its notes' places, each piece marked, a numbered reference between pieces."""
    notes = sorted(enumerate(text.notes or [], start=1), key=lambda pair: pair[1].get("at", 0))
    pieces, start, listed = [], 0, []
    for index, note in notes:
        at = min(max(int(note.get("at", 0)), start), len(text.body))
        anchor = f"fn-{position}-{index}"
        pieces.append(mark(text.body[start:at]))
        pieces.append(f'<sup class="fn-ref"><a id="{anchor}-ref" href="#{anchor}" aria-describedby="footnotes-h-{position}">'
                      f'{escape(note.get("n") or index)}</a></sup>')
        listed.append({"id": anchor, "n": note.get("n") or str(index), "html": mark(note.get("body", ""))})
        start = at
    pieces.append(mark(text.body[start:]))
    return Layer(text=text, html=linebreaks_filter("".join(pieces), autoescape=False), notes=listed)


class _HitCounter:
    """Numbers <mark>s in reading order: the first is #first-match (search results link there), the
    rest #hit-2, #hit-3, ...; each carries data-hit for the next/previous buttons."""

    def __init__(self):
        self.count = 0

    def number(self, html: str) -> str:
        return _MARK.sub(self._numbered, html)

    def _numbered(self, _match) -> str:
        self.count += 1
        anchor = "first-match" if self.count == 1 else f"hit-{self.count}"
        return f'<mark id="{anchor}" data-hit="{self.count}">'
