"""What the search tells the person searching (a query it repaired, a facet it ignored): English
text that keeps its template and values, so an interface can say it in the visitor's language.

The search imports no Django; `gettext_noop` only marks a template for the translation catalog
(Django's makemessages looks for that name), and the reading room translates `template` and fills
in `values` (fonds.web.search.in_language).
"""

from __future__ import annotations


def gettext_noop(text: str) -> str:
    """Mark `text` as a message to translate; returns it unchanged."""
    return text


class Note(str):
    """A message: the English text itself (a str, so the API and the command line show it as is),
    with the `template` it was made from and the `values` filled into it."""

    template: str
    values: dict

    def __new__(cls, template: str, **values) -> "Note":
        note = super().__new__(cls, template % values if values else template)
        note.template, note.values = template, values
        return note

    def __reduce__(self):  # pickled (a cached response) with its template, not as a bare str
        return _note, (self.template, self.values)


def _note(template: str, values: dict) -> Note:
    return Note(template, **values)
