"""The OAI-PMH 2.0 provider at /oai: the six verbs over the public part of the catalog.

What is exposed (`fonds.archive.visibility.harvestable`): published documents whose embargo has
passed, as records; withdrawn documents (embargo passed) as deleted records (header
status="deleted", no metadata). Drafts, documents in review and embargoed documents are not
exposed at all, not even as identifiers. Sets are those of public documents only.

Deleted records are "transient": fonds never deletes a document (it is withdrawn, and a withdrawn
document is reported as deleted for as long as it is in the catalog, which is for ever), but a
catalog restored from an older backup may lack a withdrawal; "transient" promises no more than
that.

Datestamps are `Document.updated` in UTC at second granularity. Lists are ordered by
(updated, id) and resumed from a key, not an offset (see `fonds.oai.tokens`): a record changed
while a harvester pages through a list moves to the end of the list and is sent with its new
datestamp; no other record is skipped or repeated.

Identifiers are "oai:<repository id>:<document id>", the repository id being the setting
`oai_repository_identifier`, else the host of `site_url` (else of the request, whose Host header
Django checked against `allowed_hosts`). Sets: "topic:<slug>" and
"archive:<repository key>", below the parents "topic" and "archive".
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, unquote

from django.conf import settings as django_settings
from django.db.models import Min, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from lxml import etree

from fonds.archive.urls import absolute, host_name
from fonds.archive.visibility import harvestable, public
from fonds.catalog import models as m
from fonds.catalog.store import documents_with_details, to_record
from fonds.oai import dc, tokens
from fonds.settings import get_settings

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"
FONDS_NS = "urn:x-fonds:record:1"
FONDS_SCHEMA_STATIC = "fonds/oai/fonds-record.xsd"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
DELETED_RECORD = "transient"
EPOCH = "1970-01-01T00:00:00Z"

# verb -> (required arguments, optional arguments); resumptionToken is always exclusive.
ARGUMENTS = {
    "Identify": ((), ()),
    "ListMetadataFormats": ((), ("identifier",)),
    "ListSets": ((), ("resumptionToken",)),
    "GetRecord": (("identifier", "metadataPrefix"), ()),
    "ListIdentifiers": (("metadataPrefix",), ("from", "until", "set", "resumptionToken")),
    "ListRecords": (("metadataPrefix",), ("from", "until", "set", "resumptionToken")),
}
# The argument syntax of the OAI-PMH schema, so a response never echoes an invalid value.
SET_SPEC = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*")
PREFIX = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
# Characters XML 1.0 cannot carry at all (control characters other than tab, newline, return).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Characters an identifier's local part may hold as they are (the oai-identifier syntax).
_ID_SAFE = "-_.!~*'();/?:@&=+$,"


class OaiError(Exception):
    """A protocol error: answered as <error code="..."> with HTTP 200, as the protocol says."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


@dataclass
class Context:
    """What the verbs need to know about the request being answered."""

    request: HttpRequest
    base_url: str
    repository_id: str
    page_size: int

    def identifier(self, doc_id: str) -> str:
        return f"oai:{self.repository_id}:{quote(doc_id, safe=_ID_SAFE)}"

    def doc_id(self, identifier: str) -> str | None:
        prefix = f"oai:{self.repository_id}:"
        return unquote(identifier[len(prefix):]) if identifier.startswith(prefix) else None


@csrf_exempt  # harvesters POST without a session; the endpoint changes nothing
def endpoint(request: HttpRequest) -> HttpResponse:
    """Answer one OAI-PMH request (GET, or POST with form-encoded arguments)."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    settings = get_settings()
    ctx = Context(request=request, base_url=absolute(request, reverse("oai")),
                  repository_id=settings.oai_repository_identifier or host_name(request),
                  page_size=settings.oai_page_size)
    root = _element(None, "OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_NS} {OAI_SCHEMA}")
    _element(root, "responseDate", _stamp(datetime.now(UTC)))
    echo = _element(root, "request", ctx.base_url)
    try:
        verb, params = parse_arguments(request.POST if request.method == "POST" else request.GET)
        for name, value in {"verb": verb, **params}.items():
            echo.set(name, value)
        root.append(VERBS[verb](ctx, params))
    except OaiError as error:
        if error.code in ("badVerb", "badArgument"):
            echo.attrib.clear()  # the protocol: echo no arguments of a request that was not understood
        _element(root, "error", error.message, code=error.code)
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


def parse_arguments(query) -> tuple[str, dict[str, str]]:
    """The verb and its arguments from a QueryDict; raises OaiError(badVerb|badArgument)."""
    verbs = query.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in ARGUMENTS:
        raise OaiError("badVerb", "missing verb" if not verbs else "repeated verb" if len(verbs) > 1
                       else f"illegal verb {verbs[0]!r}")
    verb = verbs[0]
    required, optional = ARGUMENTS[verb]
    params: dict[str, str] = {}
    for name in query:
        if name == "verb":
            continue
        values = query.getlist(name)
        if name not in required and name not in optional:
            raise OaiError("badArgument", f"illegal argument {name!r} for {verb}")
        if len(values) != 1:
            raise OaiError("badArgument", f"repeated argument {name!r}")
        params[name] = values[0]
    if "resumptionToken" in params:
        if len(params) > 1:
            raise OaiError("badArgument", "resumptionToken is an exclusive argument")
        return verb, params
    missing = [name for name in required if name not in params]
    if missing:
        raise OaiError("badArgument", f"missing argument {missing[0]!r} for {verb}")
    _check_syntax(params)
    return verb, params


def _check_syntax(params: dict[str, str]) -> None:
    if "metadataPrefix" in params and not PREFIX.fullmatch(params["metadataPrefix"]):
        raise OaiError("badArgument", "metadataPrefix has characters the protocol does not allow")
    if "set" in params and not SET_SPEC.fullmatch(params["set"]):
        raise OaiError("badArgument", "set is not a setSpec (words joined by ':')")
    _bounds(params.get("from"), params.get("until"))


# ---- what is exposed -------------------------------------------------------------------------

def exposed() -> QuerySet:
    """Documents the provider shows: published or withdrawn, embargo passed."""
    return harvestable()


def _in_set(queryset: QuerySet, spec: str) -> QuerySet:
    family, _, key = spec.partition(":")
    if family == "topic":
        return queryset.filter(topic_links__topic__slug=key) if key else queryset.filter(
            id__in=m.DocumentTopic.objects.values("document_id"))
    if family == "archive":
        return queryset.filter(repository__kind="repository", repository__key=key) if key else queryset.filter(
            repository__isnull=False)
    return queryset.none()


def _set_specs(doc: m.Document) -> list[str]:
    specs = [f"topic:{link.topic.slug}" for link in doc.topic_links.all()]
    if doc.repository_id:
        specs.append(f"archive:{doc.repository.key}")
    return [spec for spec in specs if SET_SPEC.fullmatch(spec)]


# ---- the verbs -------------------------------------------------------------------------------

def identify(ctx: Context, params: dict) -> etree._Element:
    settings = get_settings()
    earliest = exposed().aggregate(first=Min("updated"))["first"]
    node = _element(None, "Identify")
    _element(node, "repositoryName", settings.oai_repository_name or settings.site_name)
    _element(node, "baseURL", ctx.base_url)
    _element(node, "protocolVersion", "2.0")
    _element(node, "adminEmail", settings.admin_email)
    _element(node, "earliestDatestamp", _stamp(earliest) if earliest else EPOCH)
    _element(node, "deletedRecord", DELETED_RECORD)
    _element(node, "granularity", GRANULARITY)
    return node


def list_metadata_formats(ctx: Context, params: dict) -> etree._Element:
    if "identifier" in params:
        _document(ctx, params["identifier"])  # every exposed document has both formats
    node = _element(None, "ListMetadataFormats")
    for prefix, (schema, namespace) in metadata_formats(ctx.request).items():
        fmt = _element(node, "metadataFormat")
        _element(fmt, "metadataPrefix", prefix)
        _element(fmt, "schema", schema)
        _element(fmt, "metadataNamespace", namespace)
    return node


def metadata_formats(request: HttpRequest) -> dict[str, tuple[str, str]]:
    """prefix -> (schema URL, namespace) of the formats every record is disseminated in."""
    return {"oai_dc": (OAI_DC_SCHEMA, OAI_DC_NS),
            "fonds": (absolute(request, static(FONDS_SCHEMA_STATIC)), FONDS_NS)}


def list_sets(ctx: Context, params: dict) -> etree._Element:
    if "resumptionToken" in params:
        raise OaiError("badResumptionToken", "ListSets is answered in one response; there is nothing to resume")
    shown = public()  # a set named only by withdrawn documents would name what is no longer published
    topics = m.Topic.objects.filter(documents__in=shown).distinct().order_by("slug")
    archives = m.Authority.objects.filter(kind="repository", held_documents__in=shown).distinct().order_by("key")
    sets = [(f"topic:{t.slug}", t.name) for t in topics] + [(f"archive:{a.key}", a.name) for a in archives]
    sets = [(spec, name) for spec, name in sets if SET_SPEC.fullmatch(spec)]
    if not sets:
        raise OaiError("noSetHierarchy", "no public document has a topic or an archive yet, so there are no sets")
    parents = [("topic", "Topics"), ("archive", "Archives holding the originals")]
    node = _element(None, "ListSets")
    for spec, name in [p for p in parents if any(s.startswith(p[0] + ":") for s, _ in sets)] + sets:
        entry = _element(node, "set")
        _element(entry, "setSpec", spec)
        _element(entry, "setName", name)
    return node


def get_record(ctx: Context, params: dict) -> etree._Element:
    prefix = _prefix(ctx, params["metadataPrefix"])
    doc = _document(ctx, params["identifier"], details=True)
    node = _element(None, "GetRecord")
    node.append(_record(ctx, doc, prefix))
    return node


def list_identifiers(ctx: Context, params: dict) -> etree._Element:
    return _list(ctx, params, "ListIdentifiers")


def list_records(ctx: Context, params: dict) -> etree._Element:
    return _list(ctx, params, "ListRecords")


VERBS = {"Identify": identify, "ListMetadataFormats": list_metadata_formats, "ListSets": list_sets,
         "GetRecord": get_record, "ListIdentifiers": list_identifiers, "ListRecords": list_records}


# ---- lists and their resumption --------------------------------------------------------------

def _list(ctx: Context, params: dict, verb: str) -> etree._Element:
    state = _resume(params["resumptionToken"], verb) if "resumptionToken" in params else None
    prefix = _prefix(ctx, state.prefix if state else params["metadataPrefix"])
    since, until, set_spec = (state.since, state.until, state.set_spec) if state else (
        params.get("from"), params.get("until"), params.get("set"))
    matching = _matching(since, until, set_spec)
    page = matching
    if state:
        after = datetime.fromisoformat(state.after_stamp)
        page = page.filter(Q(updated__gt=after) | Q(updated=after, id__gt=state.after_id))
    page = page.order_by("updated", "id")
    if verb == "ListRecords":
        page = documents_with_details(page)
    else:
        page = page.select_related("repository").prefetch_related(
            Prefetch("topic_links", queryset=m.DocumentTopic.objects.select_related("topic")))
    rows = list(page[: ctx.page_size + 1])
    if not rows:
        raise OaiError("noRecordsMatch", "no records match the request's from, until and set")
    more, rows = len(rows) > ctx.page_size, rows[: ctx.page_size]
    node = _element(None, verb)
    for doc in rows:
        node.append(_record(ctx, doc, prefix) if verb == "ListRecords" else _header(ctx, doc))
    sent = state.sent if state else 0
    if more or state:
        _token(node, verb, prefix, (since, until, set_spec), rows[-1] if more else None, sent, matching.count())
    return node


def _token(node, verb: str, prefix: str, criteria: tuple, last: m.Document | None, sent: int, total: int) -> None:
    """The resumptionToken element: the next page's token, or an empty one closing the list."""
    hours = get_settings().oai_token_hours
    attrs = {"completeListSize": str(max(total, 1)), "cursor": str(sent)}
    if last is None:
        _element(node, "resumptionToken", None, **attrs)
        return
    since, until, set_spec = criteria
    state = tokens.ListState(verb=verb, prefix=prefix, since=since, until=until, set_spec=set_spec,
                             after_stamp=last.updated.isoformat(), after_id=last.id, sent=sent + len(node))
    expires = datetime.now(UTC) + timedelta(hours=hours)
    _element(node, "resumptionToken", tokens.encode(state, _token_key()), expirationDate=_stamp(expires), **attrs)


def _resume(token: str, verb: str) -> tokens.ListState:
    try:
        return tokens.decode(token, _token_key(), max_age=get_settings().oai_token_hours * 3600, verb=verb)
    except tokens.BadToken as error:
        raise OaiError("badResumptionToken", str(error)) from None


def _token_key() -> bytes:
    # Derived from SECRET_KEY, so every web node of one archive accepts the others' tokens.
    return hashlib.sha256(f"fonds.oai.tokens:{django_settings.SECRET_KEY}".encode()).digest()


def _matching(since: str | None, until: str | None, set_spec: str | None) -> QuerySet:
    lower, upper = _bounds(since, until)
    queryset = exposed()
    if lower:
        queryset = queryset.filter(updated__gte=lower)
    if upper:
        queryset = queryset.filter(updated__lt=upper)
    return _in_set(queryset, set_spec) if set_spec else queryset


def _bounds(since: str | None, until: str | None) -> tuple[datetime | None, datetime | None]:
    """`from` inclusive and `until` made exclusive (its whole second or day is included)."""
    if since and until and len(since) != len(until):
        raise OaiError("badArgument", "from and until must have the same granularity")
    lower = _datestamp(since, "from")
    upper = _datestamp(until, "until")
    if lower and upper and lower > upper:
        raise OaiError("badArgument", "from is later than until")
    if upper:
        upper += timedelta(days=1) if DAY.fullmatch(until) else timedelta(seconds=1)
    return lower, upper


def _datestamp(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        if DAY.fullmatch(value):
            return datetime.fromisoformat(value).replace(tzinfo=UTC)
        if SECOND.fullmatch(value):
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        pass
    raise OaiError("badArgument", f"{name} must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ (UTC), not {value!r}")


def _prefix(ctx: Context, prefix: str) -> str:
    if prefix not in metadata_formats(ctx.request):
        raise OaiError("cannotDisseminateFormat",
                       f"metadataPrefix {prefix!r} is not supported; see ListMetadataFormats")
    return prefix


def _document(ctx: Context, identifier: str, details: bool = False) -> m.Document:
    doc_id = ctx.doc_id(identifier)
    queryset = documents_with_details(exposed()) if details else exposed()
    doc = queryset.filter(id=doc_id).first() if doc_id else None
    if doc is None:
        raise OaiError("idDoesNotExist", f"{identifier!r} is not an identifier of this repository")
    return doc


# ---- rendering -------------------------------------------------------------------------------

def _header(ctx: Context, doc: m.Document) -> etree._Element:
    node = _element(None, "header")
    if doc.status == m.Document.Status.WITHDRAWN:
        node.set("status", "deleted")
    _element(node, "identifier", ctx.identifier(doc.id))
    _element(node, "datestamp", _stamp(doc.updated))
    for spec in _set_specs(doc):
        _element(node, "setSpec", spec)
    return node


def _record(ctx: Context, doc: m.Document, prefix: str) -> etree._Element:
    node = _element(None, "record")
    node.append(_header(ctx, doc))
    if doc.status != m.Document.Status.WITHDRAWN:
        metadata = _element(node, "metadata")
        record = to_record(doc)
        metadata.append(_oai_dc(ctx, doc, record) if prefix == "oai_dc" else _fonds(ctx, record))
    return node


def _oai_dc(ctx: Context, doc: m.Document, record) -> etree._Element:
    root = etree.Element(f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC_SCHEMA}")
    url = absolute(ctx.request, doc.get_absolute_url())
    for name, values in dc.record_to_dc(record, url=url, oai_identifier=ctx.identifier).items():
        for value in values:
            etree.SubElement(root, f"{{{DC_NS}}}{name}").text = _xml_text(value)
    return root


def _fonds(ctx: Context, record) -> etree._Element:
    root = etree.Element(f"{{{FONDS_NS}}}record", nsmap={"fonds": FONDS_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{FONDS_NS} {absolute(ctx.request, static(FONDS_SCHEMA_STATIC))}")
    root.set("version", "1")
    # ASCII-escaped JSON holds no character XML forbids, so the record passes through unchanged.
    root.text = json.dumps(record.to_json(), ensure_ascii=True, sort_keys=True)
    return root


def _element(parent, tag: str, text: str | None = None, nsmap: dict | None = None, **attrs) -> etree._Element:
    name = f"{{{OAI_NS}}}{tag}"
    node = etree.Element(name, nsmap=nsmap) if parent is None else etree.SubElement(parent, name)
    if text is not None:
        node.text = _xml_text(text)
    for key, value in attrs.items():
        node.set(key, value)
    return node


def _xml_text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def _stamp(moment: datetime) -> str:
    """A UTC datestamp at second granularity."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
