"""Dates in the visitor's language (fonds.web.dates).

{% load fonds_dates %}
  {{ doc|document_date }}        a document's date (recorded display in English, else formatted EDTF)
  {{ hit.date|written_date }}    a date known only as written (search hits)
  {{ authority.dates|authority_dates }}  an authority's life dates (formatted EDTF, in English too)
  {{ span|period_label }}        a browsing period (decade, year, month)
"""

from __future__ import annotations

from django import template

from fonds.web import dates

register = template.Library()


@register.filter
def document_date(doc) -> str:
    return dates.document_date(doc.date_edtf, doc.date_display)


@register.filter
def written_date(text: str | None) -> str:
    return dates.written_date(text)


@register.filter
def authority_dates(value: str | None) -> str:
    return dates.authority_dates(value)


@register.filter
def period_label(span) -> str:
    return dates.period_label(span)
