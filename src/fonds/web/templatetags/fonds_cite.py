"""Template tags for citing (from fonds.archive.citations): citation panel, embedded metadata, COinS and JSON-LD.

{% load fonds_cite %}
  {% citation_head doc %}      meta/link tags and JSON-LD for a document page's <head>
  {% citation_panel doc %}     the "Cite" panel (fonds/_citation.html)
  {% search_coins hits %}      sets hit.coins on search hits (prints nothing)
  {% authority_head authority %}  JSON-LD for an authority page
"""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

from fonds.archive import citations as views

register = template.Library()


@register.inclusion_tag("fonds/_meta.html", takes_context=True)
def citation_head(context, doc):
    return {"cite": views.document_citations(context["request"], doc)}


@register.inclusion_tag("fonds/_citation.html", takes_context=True)
def citation_panel(context, doc):
    return {"cite": views.document_citations(context["request"], doc)}


@register.simple_tag(takes_context=True)
def search_coins(context, hits) -> str:
    views.search_hit_coins(context["request"], hits)
    return ""


@register.simple_tag(takes_context=True)
def authority_head(context, authority) -> str:
    # json_ld_script escapes <, > and &, so the JSON cannot end the script element.
    data = views.authority_json_ld(context["request"], authority)
    return mark_safe(f'<script type="application/ld+json">{data}</script>')
