"""Validating OAI-PMH responses against the official schemas vendored in `schemas/`.

The official schema documents import each other by absolute http URLs (oai_dc.xsd imports
dublincore.org's simpledc20021212.xsd, which imports w3.org's xml.xsd). Nothing here may go to
the network, so validation compiles one small driver schema that imports every namespace from
the local files first, in dependency order; libxml2 then skips the later imports of a namespace
it already has, and the remote URLs are never opened. The parser refuses the network as well,
so a missing local file fails loudly instead of quietly downloading.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lxml import etree

HERE = Path(__file__).resolve().parent
SCHEMAS = HERE / "schemas"
FONDS_XSD = HERE / "static" / "fonds" / "oai" / "fonds-record.xsd"
# namespace -> local schema document, imported in this order (dependencies first)
LOCAL_SCHEMAS = {
    "http://www.w3.org/XML/1998/namespace": SCHEMAS / "xml.xsd",
    "http://purl.org/dc/elements/1.1/": SCHEMAS / "simpledc20021212.xsd",
    "http://www.openarchives.org/OAI/2.0/oai_dc/": SCHEMAS / "oai_dc.xsd",
    "urn:x-fonds:record:1": FONDS_XSD,
    "http://www.openarchives.org/OAI/2.0/": SCHEMAS / "OAI-PMH.xsd",
}
SAFE_PARSER = dict(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@lru_cache(maxsize=1)
def response_schema() -> etree.XMLSchema:
    """The OAI-PMH 2.0 schema with oai_dc, simple DC, xml.xsd and the fonds format, all local."""
    imports = "".join(f'<xs:import namespace="{ns}" schemaLocation="{path.as_uri()}"/>'
                      for ns, path in LOCAL_SCHEMAS.items())
    driver = ('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
              f'targetNamespace="urn:x-fonds:validation">{imports}</xs:schema>')
    document = etree.fromstring(driver.encode(), etree.XMLParser(**SAFE_PARSER), base_url=SCHEMAS.as_uri() + "/")
    return etree.XMLSchema(document)


def validate(xml: bytes) -> list[str]:
    """The schema errors of one OAI-PMH response (an empty list when it is valid)."""
    document = etree.fromstring(xml, etree.XMLParser(**SAFE_PARSER))
    schema = response_schema()
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
