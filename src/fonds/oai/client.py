"""An OAI-PMH 2.0 client for `fonds harvest`: requests, safe XML parsing, lists across tokens.

No Django here. Responses are parsed with entity resolution, DTD loading and the network off (the
defusedxml precautions, in lxml's terms). Every failure is a `HarvestError` naming the request
URL: the network, HTTP statuses, XML that does not parse, and OAI-PMH error codes (except
noRecordsMatch, which only means there is nothing new).
"""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from fonds.readers import guards

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
DC_NS = "http://purl.org/dc/elements/1.1/"
NS = {"oai": OAI_NS, "dc": DC_NS}
USER_AGENT = "fonds-harvest/1 (+OAI-PMH 2.0)"
RETRIES = 3  # times a "503 Retry-After" (the protocol's flow control) is honoured
MAX_WAIT = 60.0  # seconds: longer Retry-After values are an outage, not flow control


class HarvestError(Exception):
    """A harvest that cannot go on; the message names the URL and the reason."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.url, self.reason = url, reason


@dataclass
class Item:
    """One record of a list: its header, and its Dublin Core unless it is deleted."""

    identifier: str
    datestamp: str
    deleted: bool
    sets: list[str] = field(default_factory=list)
    metadata: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Page:
    """One response of a ListRecords list."""

    url: str
    response_date: str
    items: list[Item]
    token: str | None


class Client:
    """Requests to one repository's base URL."""

    def __init__(self, base_url: str, timeout: float = 60.0):
        self.base_url, self.timeout = base_url, timeout

    def identify(self) -> dict[str, str]:
        """The Identify answer as {element name: text} (granularity, earliestDatestamp, ...)."""
        url, root = self.request({"verb": "Identify"})
        node = root.find("oai:Identify", NS)
        if node is None:
            raise HarvestError(url, "the Identify response has no Identify element")
        return {etree.QName(child).localname: (child.text or "").strip()
                for child in node if isinstance(child.tag, str)}

    def list_records(self, prefix: str, set_spec: str | None = None, since: str | None = None) -> Iterator[Page]:
        """Every page of ListRecords, following resumption tokens; one empty page if nothing matches."""
        params = {"verb": "ListRecords", "metadataPrefix": prefix}
        params.update({k: v for k, v in (("set", set_spec), ("from", since)) if v})
        while True:
            url, root = self.request(params, allow_empty=True)
            page = _page(url, root)
            yield page
            if not page.token:
                return
            params = {"verb": "ListRecords", "resumptionToken": page.token}

    def request(self, params: dict[str, str], allow_empty: bool = False) -> tuple[str, etree._Element]:
        """GET one request; the URL and the parsed response, OAI errors raised as HarvestError."""
        url = f"{self.base_url}{'&' if '?' in self.base_url else '?'}{urllib.parse.urlencode(params)}"
        root = parse(url, self._fetch(url))
        errors = root.findall("oai:error", NS)
        if errors and not (allow_empty and all(e.get("code") == "noRecordsMatch" for e in errors)):
            reasons = [f"OAI-PMH error {e.get('code')}: {(e.text or '').strip()}" for e in errors]
            raise HarvestError(url, "; ".join(reasons))
        return url, root

    def _fetch(self, url: str) -> bytes:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/xml, application/xml"})
        for attempt in range(RETRIES + 1):
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return response.read()
            except urllib.error.HTTPError as error:
                wait = _retry_after(error)
                if error.code != 503 or wait is None or attempt == RETRIES:
                    raise HarvestError(url, f"HTTP {error.code} {error.reason}") from None
                time.sleep(wait)
            except (urllib.error.URLError, OSError) as error:
                reason = getattr(error, "reason", error)
                raise HarvestError(url, f"cannot connect: {reason}") from None
        raise HarvestError(url, "no answer")  # not reached: the loop returns or raises


def parse(url: str, body: bytes) -> etree._Element:
    """The OAI-PMH root element of a response body; raises HarvestError for anything else."""
    try:
        root = etree.fromstring(body, guards.xml_parser(huge_tree=False))
    except etree.XMLSyntaxError as error:
        raise HarvestError(url, f"the response is not well-formed XML: {error}") from None
    except guards.ExternalReference as refused:
        raise HarvestError(url, f"the response refers to an external DTD or entity ({refused.url}): refused") from None
    if root.tag != f"{{{OAI_NS}}}OAI-PMH":
        raise HarvestError(url, f"the response is not OAI-PMH (root element {root.tag!r})")
    return root


def _page(url: str, root: etree._Element) -> Page:
    response_date = (root.findtext("oai:responseDate", "", NS) or "").strip()
    container = root.find("oai:ListRecords", NS)
    if container is None:  # noRecordsMatch
        return Page(url=url, response_date=response_date, items=[], token=None)
    items = [_item(url, record) for record in container.findall("oai:record", NS)]
    token = container.find("oai:resumptionToken", NS)
    text = (token.text or "").strip() if token is not None else ""
    return Page(url=url, response_date=response_date, items=items, token=text or None)


def _item(url: str, record: etree._Element) -> Item:
    header = record.find("oai:header", NS)
    identifier = (header.findtext("oai:identifier", "", NS) or "").strip() if header is not None else ""
    if not identifier:
        raise HarvestError(url, f"a record without an identifier (line {record.sourceline})")
    item = Item(identifier=identifier, datestamp=(header.findtext("oai:datestamp", "", NS) or "").strip(),
                deleted=header.get("status") == "deleted",
                sets=[(s.text or "").strip() for s in header.findall("oai:setSpec", NS)])
    metadata = record.find("oai:metadata", NS)
    if metadata is not None and not item.deleted:
        for element in metadata.iter(f"{{{DC_NS}}}*"):
            text = "".join(element.itertext()).strip()
            if text:
                item.metadata.setdefault(etree.QName(element).localname, []).append(text)
    return item


def _retry_after(error: urllib.error.HTTPError) -> float | None:
    value = error.headers.get("Retry-After") if error.headers else None
    try:
        seconds = float(value) if value is not None else None
    except ValueError:
        return None
    return seconds if seconds is not None and 0 <= seconds <= MAX_WAIT else None
