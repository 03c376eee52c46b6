"""The text layers of a document page as HTML: footnote marks where the notes stand, the notes
numbered below each layer and linked both ways, every hit of the visitor's query marked and
numbered across all layers and notes (for the hit count and next/previous), cross-references to
other documents ("Document 58") linked where they stand, and a paged text (OCR'd
PDFs and page images keep one text per page, joined by form feeds: fonds.readers.ocr) split into
its pages, each headed with its number and linked to its page image when there is one (the scan
viewer shows the text of the page it shows)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.template.defaultfilters import linebreaks_filter
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from fonds.search.query import parse, terms
from fonds.search.snippets import Highlighter

_MARK = re.compile(r"<mark>")
QUERY_LIMIT = 2000  # characters of `?q=` read for highlighting, as on the search page
# (start, end, address) of the spans of a text to link (fonds.archive.related.CrossReferences.links)
Links = Callable[[str], list[tuple[int, int, str]]]


@dataclass
class Layer:
    """One text layer ready to show: its row, its body as HTML and its footnotes."""

    text: object
    html: SafeString
    notes: list[dict] = field(default_factory=list)
    pages: int = 0  # pages of a paged text (0: not split into pages)


def reading_layers(texts, query: str, scans: dict[int, int] | None = None,
                   links: Links | None = None) -> tuple[list[Layer], int]:
    """The layers of `texts` as HTML and the number of hits of `query` marked in them; `scans`
    maps a page of the text to the position of its page image (see `text_page_id`); `links` gives
    the spans of a text (body or note) to link, with their addresses."""
    highlighter = Highlighter(terms(parse(query[:QUERY_LIMIT]).node)) if query.strip() else None
    mark = highlighter.mark if highlighter else escape
    if links is not None:
        mark = _linking(mark, links)
    layers = [_layer(position, text, mark, scans or {}) for position, text in enumerate(texts, start=1)]
    counter = _HitCounter()
    for layer in layers:
        layer.html = mark_safe(counter.number(layer.html))
        for note in layer.notes:
            note["html"] = mark_safe(counter.number(note["html"]))
    return layers, counter.count


def linked_html(text: str, links: Links) -> SafeString:
    """`text` escaped, with its spans from `links` as links (for a text shown without hits)."""
    return mark_safe(_linking(escape, links)(text))


def _linking(mark: Callable[[str], str], links: Links) -> Callable[[str], str]:
    """A `mark` that also makes the spans `links` gives into <a class="xref">: the text between
    and inside them goes through `mark` (escaping, hits), so nothing is injected unescaped, and a
    hit inside a reference stays a <mark> inside the link."""

    def marked(text: str) -> str:
        pieces, start = [], 0
        for begin, end, url in links(text):
            # A span across a line or page break would split the link between paragraphs or pages.
            if begin < start or any(c in text[begin:end] for c in "\n\f"):
                continue
            pieces.append(mark(text[start:begin]))
            pieces.append(f'<a class="xref" href="{escape(url)}">{mark(text[begin:end])}</a>')
            start = end
        pieces.append(mark(text[start:]))
        return "".join(pieces)

    return marked


def text_page_id(layer: int, page: int) -> str:
    """The element id of page `page` of text layer `layer` (both from 1)."""
    return f"text-{layer}-page-{page}"


def _layer(position: int, text, mark, scans: dict[int, int]) -> Layer:
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
    body = "".join(pieces)
    if PAGE_BREAK not in body:
        return Layer(text=text, html=linebreaks_filter(body, autoescape=False), notes=listed)
    pages = body.split(PAGE_BREAK)
    return Layer(text=text, html="".join(_page(position, number, page, scans.get(number))
                                         for number, page in enumerate(pages, start=1)), notes=listed, pages=len(pages))


PAGE_BREAK = "\f"  # between the texts of two pages (fonds.readers.ocr)


def _page(layer: int, number: int, html: str, image: int | None) -> str:
    """One page of a paged text: its number as a heading (linked to its page image), then its text."""
    anchor = text_page_id(layer, number)
    label, image_link, blank = _("Page %(number)s") % {"number": number}, _("page image"), _("(blank page)")
    to_image = (f' <a class="to-scan" href="#page-{image}" data-page="{image - 1}">{escape(image_link)}</a>'
                if image is not None else "")
    text = linebreaks_filter(html, autoescape=False) if html.strip() else f'<p class="none">{escape(blank)}</p>'
    return (f'<div class="text-page" id="{anchor}" data-text-page="{number}">'
            f'<h4 class="page-label">{escape(label)}{to_image}</h4>{text}</div>')


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
