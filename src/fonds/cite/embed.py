"""Metadata embedded in pages for reference managers and search engines.

- Highwire Press `citation_*` meta tags, read by Zotero's "Embedded Metadata" translator and by
  Google Scholar: title, author (one tag each), date, publisher, public URL, language, abstract.
- Zotero reads no Highwire tag for the archive or the archival reference. Its Embedded Metadata
  translator hands every `prefix.property` meta tag with a known prefix to its RDF translator, and
  that one copies each property of the Zotero namespace (prefix `z`) into the item field of the same
  name. So `z.itemType` = manuscript, `z.archive` and `z.archiveLocation` make Zotero save an archival
  item with those fields; `<link rel="schema.z">` declares the namespace. Dublin Core tags (DC.title,
  DC.creator, DC.date, DC.type, DC.identifier, DC.language, DC.publisher, DC.source) serve other readers.
- COinS: a `span class="Z3988"` whose title is an OpenURL 1.0 ContextObject (KEV, Dublin Core format)
  with rft.type=manuscript, which Zotero's COinS translator turns into a manuscript item. OpenURL has
  no archive fields; rft.source carries the archival citation for other resolvers.
- schema.org JSON-LD: an ArchiveComponent held by an ArchiveOrganization; Person, Place and
  Organization for authority records, with sameAs links to Wikidata, VIAF and GeoNames.

Nothing here imports Django; `json_ld_script` escapes like Django's json_script.
"""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

from fonds.cite.csl import source_text

Z_NAMESPACE = "http://www.zotero.org/namespaces/export#"
DC_NAMESPACE = "http://purl.org/dc/elements/1.1/"
SAME_AS = {
    "wikidata": "https://www.wikidata.org/wiki/{}",
    "viaf": "https://viaf.org/viaf/{}",
    "geonames": "https://www.geonames.org/{}",
}
SCHEMA_TYPES = {"person": "Person", "place": "Place", "organization": "Organization",
                "repository": "ArchiveOrganization"}


def _name(name: dict) -> str:
    """A CSL name in sort form ("Hoover, Herbert C., Jr."), as Highwire readers expect it."""
    if "literal" in name:
        return name["literal"]
    return ", ".join(part for part in (name.get("family"), name.get("given"), name.get("suffix")) if part)


def _display_name(name: dict) -> str:
    """A CSL name in reading order ("Herbert C. Hoover Jr.")."""
    if "literal" in name:
        return name["literal"]
    return " ".join(part for part in (name.get("given"), name.get("family"), name.get("suffix")) if part)


def csl_date_text(item: dict) -> str | None:
    """The issued date as ISO text: "1959-12-14", "1959-12", "1959-12-14/1959-12-18"; else a literal."""
    issued = item.get("issued") or {}
    parts = issued.get("date-parts")
    if not parts:
        return issued.get("literal")
    return "/".join("-".join([f"{p[0]:04d}"] + [f"{v:02d}" for v in p[1:]]) for p in parts)


def meta_tags(item: dict) -> list[tuple[str, str]]:
    """(name, content) pairs for <meta> tags, in a stable order."""
    tags: list[tuple[str, str]] = [("citation_title", item["title"])]
    tags += [("citation_author", _name(name)) for name in item.get("author", [])]
    date = csl_date_text(item)
    if date:
        # Highwire readers parse the start of a range; Zotero takes the first citation_date.
        tags.append(("citation_date", date.split("/")[0]))
    for tag, variable in (("citation_inbook_title", "container-title"), ("citation_publisher", "publisher"), ("citation_public_url", "URL"),
                          ("citation_abstract_html_url", "URL"), ("citation_language", "language"),
                          ("citation_abstract", "abstract"), ("citation_keywords", "keyword")):
        if item.get(variable):
            tags.append((tag, item[variable]))
    tags += _zotero_tags(item) + _dublin_core_tags(item, date)
    return tags


def _zotero_tags(item: dict) -> list[tuple[str, str]]:
    tags = [("z.itemType", "manuscript")]
    for tag, variable in (("z.archive", "archive"), ("z.archiveLocation", "archive_location"),
                          ("z.manuscriptType", "genre")):
        if item.get(variable):
            tags.append((tag, item[variable]))
    return tags


def _dublin_core_tags(item: dict, date: str | None) -> list[tuple[str, str]]:
    tags = [("DC.title", item["title"])]
    tags += [("DC.creator", _name(name)) for name in item.get("author", [])]
    if date:
        tags.append(("DC.date", date))
    for tag, variable in (("DC.type", "genre"), ("DC.publisher", "publisher"), ("DC.identifier", "URL"),
                          ("DC.language", "language")):
        if item.get(variable):
            tags.append((tag, item[variable]))
    source = source_text(item, archive_first=True)
    if source:
        tags.append(("DC.source", source))
    return tags


def schema_links() -> list[tuple[str, str]]:
    """(rel, href) pairs declaring the meta tag prefixes."""
    return [("schema.DC", DC_NAMESPACE), ("schema.z", Z_NAMESPACE)]


def coins(item: dict) -> str:
    """The title attribute of a COinS span: an OpenURL 1.0 KEV ContextObject in Dublin Core format."""
    pairs = [("url_ver", "Z39.88-2004"), ("ctx_ver", "Z39.88-2004"), ("rfr_id", "info:sid/fonds"),
             ("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"), ("rft.type", "manuscript"), ("rft.title", item["title"])]
    pairs += [("rft.creator", _name(name)) for name in item.get("author", [])]
    date = csl_date_text(item)
    if date:
        pairs.append(("rft.date", date))
    source = source_text(item)
    for key, value in (("rft.publisher", item.get("publisher")), ("rft.identifier", item.get("URL")),
                       ("rft.language", item.get("language")), ("rft.source", source),
                       ("rft.description", item.get("abstract"))):
        if value:
            pairs.append((key, value))
    # Zotero splits on "&" and "=" and decodes with decodeURIComponent, so encode with %20, not "+".
    return urlencode(pairs, quote_via=quote)


def document_json_ld(item: dict, *, description: str | None = None, repository_url: str | None = None,
                     about: list[dict] | None = None, part_of: dict | None = None) -> dict:
    """schema.org ArchiveComponent for a document page."""
    data: dict = {"@context": "https://schema.org", "@type": "ArchiveComponent", "@id": item.get("URL"),
                  "url": item.get("URL"), "name": item["title"], "identifier": item["id"]}
    if description:
        data["description"] = description
    date = csl_date_text(item)
    if date:
        data["dateCreated"] = date
    if item.get("author"):
        data["creator"] = [{"@type": "Person" if "family" in name else "Thing", "name": _display_name(name)}
                           for name in item["author"]]
    if item.get("language"):
        data["inLanguage"] = item["language"]
    if item.get("genre"):
        data["genre"] = item["genre"]
    if item.get("archive"):
        data["holdingArchive"] = {"@type": "ArchiveOrganization", "name": item["archive"]}
        if repository_url:
            data["holdingArchive"]["url"] = repository_url
    if item.get("archive_location"):
        data["itemLocation"] = item["archive_location"]
    if about:
        data["about"] = about
    if part_of:
        data["isPartOf"] = part_of
    if item.get("publisher"):
        data["publisher"] = {"@type": "Organization", "name": item["publisher"]}
    return {key: value for key, value in data.items() if value is not None}


def authority_json_ld(kind: str, name: str, url: str, *, description: str | None = None,
                      variants: list[str] | None = None, dates: str | None = None,
                      external_ids: dict[str, str] | None = None) -> dict:
    """schema.org Person, Place, Organization or ArchiveOrganization for an authority page."""
    data: dict = {"@context": "https://schema.org", "@type": SCHEMA_TYPES[kind], "@id": url, "url": url, "name": name}
    if description:
        data["description"] = description
    if variants:
        data["alternateName"] = variants
    if kind == "person" and dates and "/" in dates:
        born, died = dates.split("/", 1)
        if born and born != "..":
            data["birthDate"] = born
        if died and died != "..":
            data["deathDate"] = died
    same_as = same_as_urls(external_ids or {})
    if same_as:
        data["sameAs"] = same_as
    return data


def same_as_urls(external_ids: dict[str, str]) -> list[str]:
    """URLs of an authority's external ids; ids that are already URLs are kept as they are."""
    urls = []
    for scheme, value in sorted(external_ids.items()):
        value = str(value).strip()
        if value.startswith(("http://", "https://")):
            urls.append(value)
        elif scheme.lower() in SAME_AS and value:
            urls.append(SAME_AS[scheme.lower()].format(value))
    return urls


def about_entry(kind: str, name: str, url: str) -> dict:
    """A linked person, place or organization for a document's `about`."""
    return {"@type": SCHEMA_TYPES[kind], "name": name, "url": url}


_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data: dict) -> str:
    """JSON for inside <script type="application/ld+json">: <, > and & escaped as Django's json_script does."""
    return json.dumps(data, ensure_ascii=False, sort_keys=False).translate(_JSON_ESCAPES)
