"""Records <-> catalog rows: writing a reader's batch, and reading a document back as a record.

A batch is written inside the caller's transaction: authorities first (so links resolve), then
documents with their text layers, links, topics, subjects and relations, then one change-log row
and one history row (`Revision`: who, which road, old and new values) per written document. A
curator's values (`CuratedValue`) are applied to each incoming record first, so no ingest
overwrites them. A document whose content is then unchanged is not rewritten; a rewritten one gets
the batch's enricher findings in place of its old ones.

A record that does not state its status (most readers do not) keeps the status its document has;
a new document gets the status the caller asks for (the `ingest_status` setting).

Interfaces do not call this module to change documents: `fonds.archive.changes` does, after
checking the user's role.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import psycopg
from django.db import connection, models
from django.db.models import Exists, Max, OuterRef, Prefetch, Q, prefetch_related_objects
from django.utils import timezone

from fonds import curation
from fonds import records as r
from fonds.catalog import models as m
from fonds.enrich import personnames
from fonds.names import clean_name, slug
from fonds.settings import get_settings

# Which authority kind a link in each role points at when the batch does not say.
ROLE_KIND = {"authors": "person", "recipients": "person", "people": "person", "organizations": "organization", "places": "place"}
ROLES = tuple(ROLE_KIND)
DOCUMENT_FIELDS = [f.name for f in m.Document._meta.concrete_fields
                   if f.name not in ("id", "created") and not f.generated]  # the database computes those


@dataclass(frozen=True)
class Origin:
    """Who changes the catalog and through which road (`Revision.Road`), kept in the history."""

    road: str
    user: str = ""
    note: str = ""


INGEST = Origin(m.Revision.Road.INGEST)


@dataclass
class WriteResult:
    """What writing one batch did."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def content_hash(record: r.Record) -> str:
    """Hash of a record's content without its provenance (which changes on every ingest)."""
    data = record.to_json()
    data.pop("provenance", None)
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def write_batch(batch: r.Batch, origin: Origin = INGEST, status: str | None = None) -> WriteResult:
    """Store a batch; call inside transaction.atomic(). Records must carry their provenance.
    `status` is what a new document gets when its record does not state one.

    Raises CurationError when a stored curated value no longer fits a record (nothing is written).
    """
    ids = [rec.id for rec in batch.records]
    authorities = AuthorityResolver(batch.authorities, batch.records, origin)
    existing = {doc_id: (digest, current) for doc_id, digest, current in
                m.Document.objects.filter(id__in=ids).values_list("id", "content_sha256", "status")}
    curated = curated_values(ids)
    review = LinkReview.load(ids, curated, batch.findings)
    result = WriteResult()
    changed: list[tuple[r.Record, str]] = []
    for record in batch.records:
        if record.status is None:
            kept = existing[record.id][1] if record.id in existing else status
            record = record.model_copy(update={"status": kept or m.Document.Status.PUBLISHED})
        record = review.apply(curation.apply(record, curated.get(record.id, {})))
        digest = content_hash(record)
        if record.id in existing and existing[record.id][0] == digest:
            result.unchanged.append(record.id)
            continue
        (result.updated if record.id in existing else result.created).append(record.id)
        changed.append((record, digest))
    if changed:
        before = snapshots(result.updated)
        _write_documents(changed, authorities, review, replace=set(result.updated))
        _replace_findings({record.id for record, _ in changed}, batch.findings)
        record_revisions([(before.get(record.id), record) for record, _ in changed], origin)
    return result


def curated_values(ids: list[str]) -> dict[str, dict[str, object]]:
    """The curated values of these documents: {document id: {record key: value}}."""
    found: dict[str, dict[str, object]] = {}
    for doc_id, key, value in m.CuratedValue.objects.filter(document_id__in=ids).values_list("document_id", "field", "value"):
        found.setdefault(doc_id, {})[key] = value
    return found


def curated_record(doc: m.Document, change: dict[str, object] | None = None) -> r.Record:
    """A document's record with its curated values (and `change`, one not yet saved) applied.

    Raises CurationError when they do not fit the record. `doc` should come from
    `documents_with_details`.
    """
    return curation.apply(to_record(doc), {**curated_values([doc.pk]).get(doc.pk, {}), **(change or {})})


def apply_curation(doc_id: str, origin: Origin) -> bool:
    """Rewrite a document with its curated values applied (after a curator set or changed one).

    Call inside transaction.atomic(); returns whether the document changed (a history row says
    so, and says what `origin` did even when nothing changed, as when a curated value that equals
    the current value is removed). Its findings stay: they say what the enrichers found, which a
    curator's value overrides but does not erase.
    """
    doc = documents_with_details(m.Document.objects.filter(id=doc_id), with_pending=True).get()
    before = to_record(doc)
    curated = curated_values([doc_id])
    review = LinkReview.load([doc_id], curated, stored_findings([doc_id]))
    record = review.apply(curation.apply(before, curated.get(doc_id, {})))
    digest = content_hash(record)
    changed = digest != doc.content_sha256
    if changed:
        _write_documents([(record, digest)], AuthorityResolver([], [record], origin), review, replace={doc_id})
    record_revisions([(snapshot(before), record)], origin)
    return changed


# ---- history ------------------------------------------------------------------------------

def snapshot(record: r.Record) -> dict:
    """What the history keeps of a record: its JSON without provenance, each text layer reduced to
    its kind, language, translator, length and a digest (texts are the source file's, never
    restored, and would double the catalog's size)."""
    data = record.to_json()
    data.pop("provenance", None)
    data["texts"] = [{"kind": t["kind"], "language": t["language"], "translator": t["translator"],
                      "characters": len(t["body"]), "sha256": hashlib.sha256(t["body"].encode()).hexdigest()[:16]}
                     for t in data["texts"]]
    return data


def snapshots(ids: list[str]) -> dict[str, dict]:
    """The current snapshots of these documents (before a rewrite)."""
    if not ids:
        return {}
    return {doc.id: snapshot(to_record(doc))
            for doc in documents_with_details(m.Document.objects.filter(id__in=ids), with_pending=True)}


def differences(old: dict, new: dict) -> dict[str, list]:
    """{key: [old, new]} for each key whose value differs."""
    return {key: [old.get(key), value] for key, value in new.items() if old.get(key) != value}


def record_revisions(pairs: list[tuple[dict | None, r.Record]], origin: Origin) -> None:
    """One history row per (snapshot before, record after), in the caller's transaction."""
    now = timezone.now()
    rows = []
    for before, record in pairs:
        after = snapshot(record)
        rows.append(("document", record.id, now, origin.user, origin.road, origin.note, before is None,
                     {} if before is None else differences(before, after),
                     json.dumps(after, ensure_ascii=False, sort_keys=True)))
    insert_rows(m.Revision, REVISION_FIELDS, rows)


REVISION_FIELDS = ("kind", "object_id", "at", "user", "road", "note", "created", "changes", "snapshot")


def record_authority_revision(row: m.Authority, before: dict | None, added: list[str], origin: Origin) -> None:
    """A history row for an authority record created or changed (`added`: the variants just added)."""
    after = to_authority(row).to_json()
    if before is not None:
        before["variants"] = [name for name in after["variants"] if name not in added]
    m.Revision.objects.create(kind=row.kind, object_id=row.key, user=origin.user, road=origin.road, note=origin.note,
                              created=before is None, changes={} if before is None else differences(before, after),
                              snapshot=json.dumps(after, ensure_ascii=False))


def _replace_findings(written: set[str], findings: list[r.Finding]) -> None:
    m.Finding.objects.filter(document_id__in=written).delete()
    insert_rows(m.Finding, FINDING_FIELDS, [
        (f.record, i, f.field, f.value, f.source, f.evidence[:2000], f.confidence, f.enricher)
        for i, f in enumerate(findings) if f.record in written])


def stored_findings(ids: list[str]) -> list[r.Finding]:
    """The enricher findings the catalog keeps for these documents, as the pipeline made them."""
    return [r.Finding(row.document_id, row.field, row.value, row.source, row.confidence, row.enricher, row.evidence)
            for row in m.Finding.objects.filter(document_id__in=ids).order_by("document_id", "position")]


# ---- links a curator reviews ----------------------------------------------------------------

@dataclass
class LinkReview:
    """Which links of the documents being written wait for a curator, and the curators' decisions.

    A link waits (`Mention.pending`) when an enricher made it with a confidence below the
    `link_threshold` setting, no curator accepted it, and no curator set that role's links
    wholesale (a curated value). Decisions (`LinkDecision`) are applied to every write of the
    document, so a rejected link stays rejected and a relinked one stays relinked whatever later
    ingests and `fonds enrich` find.
    """

    threshold: float
    confidences: dict[tuple[str, str, str], float] = field(default_factory=dict)
    decisions: dict[tuple[str, str, str], m.LinkDecision] = field(default_factory=dict)
    curated: set[tuple[str, str]] = field(default_factory=set)
    relinked: set[tuple[str, str, str]] = field(default_factory=set)

    @classmethod
    def load(cls, ids: list[str], curated: dict[str, dict], findings: list[r.Finding],
             threshold: float | None = None) -> "LinkReview":
        """The review of these documents: their decisions and curated roles (one query each) and
        the confidence of each link the findings report (the lowest when several do)."""
        review = cls(get_settings().link_threshold if threshold is None else threshold)
        for finding in findings:
            if finding.field in ROLES and isinstance(finding.value, dict) and finding.value.get("id"):
                key = (finding.record, finding.field, finding.value["id"])
                review.confidences[key] = min(finding.confidence, review.confidences.get(key, 1.0))
        # A link to an authority since merged into another is stored as a link to that one.
        found = {key[2] for key in review.confidences}
        for key, target in m.Authority.objects.filter(key__in=found, merged_into__isnull=False).values_list(
                "key", "merged_into__key") if found else ():
            for (doc_id, role, linked), confidence in list(review.confidences.items()):
                if linked == key:
                    review.confidences.setdefault((doc_id, role, target), confidence)
        for decision in m.LinkDecision.objects.filter(document_id__in=ids):
            review.decisions[(decision.document_id, decision.role, decision.found)] = decision
        review.curated = {(doc_id, key) for doc_id, values in curated.items() for key in values if key in ROLES}
        return review

    def apply(self, record: r.Record) -> r.Record:
        """The record with rejected links taken off and relinked ones pointing where a curator said."""
        update = {}
        for role in ROLES:
            links, kept = getattr(record, role), []
            for link in links:
                decision = self.decisions.get((record.id, role, link.id))
                if decision is None or decision.verdict == m.LinkDecision.Verdict.ACCEPT:
                    kept.append(link)
                elif decision.verdict == m.LinkDecision.Verdict.RELINK:
                    self.relinked.add((record.id, role, decision.target))
                    kept.append(r.Link(id=decision.target, name=decision.target_name or link.name))
            if kept != links:
                update[role] = list({link.id: link for link in kept}.values())  # once each
        return record.model_copy(update=update) if update else record

    def state(self, doc_id: str, role: str, key: str) -> tuple[float | None, bool]:
        """(the link's confidence, whether it waits for a curator)."""
        confidence = self.confidences.get((doc_id, role, key))
        decision = self.decisions.get((doc_id, role, key))
        decided = (decision is not None and decision.verdict == m.LinkDecision.Verdict.ACCEPT) \
            or (doc_id, role, key) in self.relinked or (doc_id, role) in self.curated
        return confidence, confidence is not None and confidence < self.threshold and not decided


def snapshot_mark() -> tuple[int, int]:
    """Where the catalog's authorities and their variants stand now (their last row ids), for an
    `authority_snapshot` of this moment taken later."""
    return (m.Authority.objects.aggregate(last=Max("pk"))["last"] or 0,
            m.NameVariant.objects.aggregate(last=Max("pk"))["last"] or 0)


def authority_snapshot(mark: tuple[int, int] | None = None) -> list[r.Authority]:
    """Every person, organization and place authority of the catalog with all its variants, for
    enrichment to link against (`fonds.enrich.pipeline.base_index`); two queries. With `mark`
    (`snapshot_mark`), only the authorities and variants the catalog had then: each file of an
    ingest split into jobs is linked against the catalog of the run's start, as the files of one
    in-process run are, not against the people the run's earlier files made known."""
    authorities, names = m.Authority.objects.all(), m.NameVariant.objects.all()
    if mark is not None:
        authorities, names = authorities.filter(pk__lte=mark[0]), names.filter(pk__lte=mark[1])
    variants: dict[int, list[str]] = {}
    for authority_id, name in names.order_by("authority_id", "position").values_list("authority_id", "name"):
        variants.setdefault(authority_id, []).append(name)
    # Left out: merged authorities (their documents and names are their target's now) and those
    # only doubtful links made (a name the enrichers were unsure of is not known until a curator
    # accepts one of its links; else the next ingest would link it with a known person's confidence).
    doubtful = Exists(m.Mention.objects.filter(authority=OuterRef("pk"), pending=True)) \
        & ~Exists(m.Mention.objects.filter(authority=OuterRef("pk"), pending=False))
    rows = authorities.exclude(kind=m.Authority.Kind.REPOSITORY).filter(merged_into=None).exclude(doubtful)
    rows = rows.order_by("id").values_list(
        "id", "kind", "key", "name", "abbreviation", "dates", "description")
    # The dates go too: a person's birth year tells the matcher whom a bare surname of 1918 can name
    # (without it, Stalin, whom the lists name from 1969 on, was no one's "Сталин" in 1918).
    return [r.Authority(id=key, kind=kind, name=name, abbreviation=abbreviation or None, dates=dates or None,
                        description=description or None, variants=variants.get(pk, []))
            for pk, kind, key, name, abbreviation, dates, description in rows]


SURNAME_QUERIES = 3  # new people a batch looks up in the catalog one by one before it reads every name


class AuthorityResolver:
    """Upserts a batch's authorities and finds (or creates) the authority each link names.

    Names are stored clean (`clean_name`: no control characters or line breaks, trimmed), which the
    catalog's constraints require. The authorities a batch declares or links to, and the variants
    of those it declares, are fetched in two queries; new variants and history rows are written
    in one statement each (a FRUS volume declares hundreds of people, most already stored).
    """

    def __init__(self, declared: list[r.Authority], records: list[r.Record] = (), origin: Origin = INGEST):
        self.origin = origin
        self.declared = {(a.kind, a.id): a for a in declared}
        keys = {link.id for record in records for role in ROLES for link in getattr(record, role)}
        keys |= {key for _, key in self.declared}
        self.rows: dict[tuple[str, str], m.Authority] = {
            (row.kind, row.key): row for row in m.Authority.objects.filter(key__in=keys)} if keys else {}
        self._fetched = keys  # keys whose rows (of any kind) are all in self.rows
        self._variants: dict[int, list[str]] = {}  # authority pk -> its variants in order, as stored
        self._load_variants([row.pk for key, row in self.rows.items() if key in self.declared])
        self._new_variants: list[m.NameVariant] = []
        self._revisions: list[m.Revision] = []
        self._surnames: dict[str, list[int]] | None = None  # see `_people_of_surname`
        self._queries = 0
        for authority in self.declared.values():
            self._upsert(authority)
        self._flush()

    def resolve(self, link: r.Link, role: str) -> m.Authority:
        """The authority row a document's link points at, created from the link if unknown."""
        for kind in self._kinds_for(role, link.id):
            row = self.rows.get((kind, link.id))
            if row:
                return merged_target(row)
        row = self._upsert(r.Authority(id=link.id, kind=ROLE_KIND[role], name=link.name))
        self._flush()
        return merged_target(row)

    def repository(self, repo: r.Repository) -> m.Authority:
        """The repository authority for a record's source.repository."""
        key = repo.id or slug(repo.name)
        row = self.rows.get(("repository", key)) or m.Authority.objects.filter(kind="repository", key=key).first()
        if row is None:
            row = self._upsert(r.Authority(id=key, kind="repository", name=repo.name, abbreviation=repo.abbreviation))
            self._flush()
        self.rows[("repository", key)] = row
        return row

    def _row(self, kind: str, key: str) -> m.Authority | None:
        """The stored authority of this kind and key, if any (a link a curator's decision points
        elsewhere names a key the batch did not: looked up then)."""
        if (kind, key) not in self.rows and key not in self._fetched:
            row = m.Authority.objects.filter(kind=kind, key=key).first()
            if row is not None:
                self.rows[(kind, key)] = row
        return self.rows.get((kind, key))

    def _load_variants(self, pks: list[int]) -> None:
        for pk in pks:
            self._variants.setdefault(pk, [])
        for pk, name in m.NameVariant.objects.filter(authority_id__in=pks).order_by(
                "authority_id", "position").values_list("authority_id", "name") if pks else ():
            self._variants[pk].append(name)

    def _variants_of(self, row: m.Authority) -> list[str]:
        if row.pk not in self._variants:
            self._load_variants([row.pk])
        return self._variants[row.pk]

    def _same_person(self, authority: r.Authority, name: str) -> m.Authority | None:
        """A person the catalog already has under another id whom a new person's name can only be
        ("Бухарин" and "Бухарин, Н. И.", made by two reader processes): the one person of that
        surname whose given names agree. None for a person the catalog has by id, or another kind."""
        if authority.kind != "person" or self._row("person", authority.id) is not None:
            return None
        parsed = personnames.parse(name)
        pks = self._people_of_surname(name) if parsed.surname else []
        same = [row for row in m.Authority.objects.filter(pk__in=pks)
                if personnames.same_person(personnames.parse(row.name), parsed)] if pks else []
        return same[0] if len(same) == 1 else None

    def _people_of_surname(self, name: str) -> list[int]:
        """The ids of the stored people whose name writes what `name` does before a comma, in any
        case ("Bukharin" and "Bukharin, N. I." meet). The first few are asked of the catalog (a
        batch of one document makes one or two new people); a batch that asks for more reads every
        person's name once and looks them up in memory (OCR'd texts make thousands, and each query
        reads every person: a name has no index that a comparison in any case could use)."""
        surname = _surname_of(name)
        if self._surnames is None and self._queries < SURNAME_QUERIES:
            self._queries += 1
            written = name.split(",")[0].strip()
            rows = m.Authority.objects.filter(Q(name__iexact=written) | Q(name__istartswith=f"{written},"), kind="person")
            return [pk for stored, pk in rows.values_list("name", "pk") if _surname_of(stored) == surname]
        if self._surnames is None:
            self._surnames = {}
            for stored, pk in m.Authority.objects.filter(kind="person").values_list("name", "pk"):
                self._surnames.setdefault(_surname_of(stored), []).append(pk)
        return self._surnames.get(surname, [])

    def _kinds_for(self, role: str, key: str = "") -> tuple[str, ...]:
        # Authors and recipients may be people or organizations; a declared authority decides.
        if role not in ("authors", "recipients"):
            return (ROLE_KIND[role],)
        return ("organization", "person") if ("organization", key) in self.declared else ("person", "organization")

    def _upsert(self, authority: r.Authority) -> m.Authority:
        name = clean_name(authority.name) or authority.id
        same = self._same_person(authority, name)
        if same is not None:
            before = authority_fields(same)
            added = self._add_variants(same, [v for v in map(clean_name, [name, *authority.variants]) if v])
            if added:
                self._revise(same, before, added)
            self.rows[(authority.kind, authority.id)] = same
            return same
        row = self._row(authority.kind, authority.id)
        before = None if row is None else authority_fields(row)
        if row is None:
            row = _create_authority(authority, name)
            self._variants[row.pk] = []
            if row.kind == "person" and self._surnames is not None:
                self._surnames.setdefault(_surname_of(row.name), []).append(row.pk)
        filled = before is None or _fill_blanks(row, authority)
        added = self._add_variants(row, [v for v in map(clean_name, authority.variants) if v])
        if filled or added:
            self._revise(row, before, added)
        self.rows[(authority.kind, authority.id)] = row
        return row

    def _add_variants(self, row: m.Authority, variants: list[str]) -> list[str]:
        """Queue the variants the authority lacks (written by `_flush`); returns them."""
        stored = self._variants_of(row)
        known = set(stored) | {row.name}
        new = [v for v in dict.fromkeys(variants) if v not in known]
        self._new_variants += [m.NameVariant(authority=row, name=v, position=len(stored) + i) for i, v in enumerate(new)]
        stored += new
        return new

    def _revise(self, row: m.Authority, before: dict | None, added: list[str]) -> None:
        after = _authority_json(row, self._variants_of(row))
        if before is not None:
            before["variants"] = [name for name in after["variants"] if name not in added]
        self._revisions.append(m.Revision(
            kind=row.kind, object_id=row.key, user=self.origin.user, road=self.origin.road, note=self.origin.note,
            created=before is None, changes={} if before is None else differences(before, after),
            snapshot=json.dumps(after, ensure_ascii=False)))

    def _flush(self) -> None:
        if self._new_variants:
            m.NameVariant.objects.bulk_create(self._new_variants)
        if self._revisions:
            m.Revision.objects.bulk_create(self._revisions)
        self._new_variants, self._revisions = [], []


def _surname_of(name: str) -> str:
    """What an inverted name writes before its comma ("Bukharin, N. I." -> "bukharin"), casefolded."""
    return name.split(",")[0].strip().casefold()


def _create_authority(authority: r.Authority, name: str) -> m.Authority:
    """A new authority row; one another writer stored meanwhile (same kind and key) is taken instead.
    One `INSERT ... ON CONFLICT DO NOTHING RETURNING` rather than an INSERT in a savepoint of its
    own: an ingest of the FRUS volumes makes thousands of people, and on PostgreSQL each savepoint
    was two more round trips."""
    row = m.Authority(kind=authority.kind, key=authority.id, name=name,
                      abbreviation=clean_name(authority.abbreviation or ""), dates=authority.dates or "",
                      description=authority.description or "", external_ids=authority.external_ids)
    fields = [m.Authority._meta.get_field(name) for name in ("kind", "key", *AUTHORITY_FIELDS)]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(m.Authority, fields)
                       + f" ON CONFLICT ({quote('kind')}, {quote('key')}) DO NOTHING RETURNING {quote('id')}",
                       [field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields])
        created = cursor.fetchone()
    if created is None:
        return m.Authority.objects.get(kind=authority.kind, key=authority.id)
    row.pk = created[0]
    row._state.adding, row._state.db = False, connection.alias  # as the ORM leaves a row it saved
    return row


def _authority_json(row: m.Authority, variants: list[str]) -> dict:
    """`to_authority(row).to_json()` with the variants given (no query)."""
    return r.Authority(id=row.key, kind=row.kind, name=row.name, abbreviation=row.abbreviation or None,
                       variants=list(variants), dates=row.dates or None, description=row.description or None,
                       external_ids=row.external_ids).to_json()


def merged_target(row: m.Authority) -> m.Authority:
    """The authority a link to `row` means: the one a curator merged it into, if any (a source
    file or a curated value naming the old key keeps linking to the merged record)."""
    while row.merged_into_id is not None:
        row = row.merged_into
    return row


AUTHORITY_FIELDS = ("name", "abbreviation", "dates", "description", "external_ids")


def update_authority(row: m.Authority, values: dict, origin: Origin) -> None:
    """Change an authority's own fields (`AUTHORITY_FIELDS`) with a history row and a change-log
    row for each document naming it (their index entries carry its name). Call in a transaction."""
    unknown = set(values) - set(AUTHORITY_FIELDS)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))}: not a field of an authority record")
    before = authority_fields(row)
    for name, value in values.items():
        setattr(row, name, value if value is not None else ("" if name != "external_ids" else {}))
    row.save()
    record_authority_revision(row, before, [], origin)
    named = set(m.Mention.objects.filter(authority=row).values_list("document_id", flat=True))
    named |= set(m.Document.objects.filter(repository=row).values_list("pk", flat=True))
    m.Change.objects.bulk_create(m.Change(document_id=doc_id, op=m.Change.Op.UPSERT) for doc_id in sorted(named))


def authority_fields(row: m.Authority) -> dict:
    """An authority's JSON without its variants (read before a change, without a query)."""
    return {"id": row.key, "kind": row.kind, "name": row.name, "abbreviation": row.abbreviation or None,
            "dates": row.dates or None, "description": row.description or None, "external_ids": dict(row.external_ids)}


def _fill_blanks(row: m.Authority, authority: r.Authority) -> bool:
    """Complete an existing authority from a new source without overwriting what it has; returns
    whether anything was added."""
    changed = False
    for attr in ("abbreviation", "dates", "description"):
        if not getattr(row, attr) and getattr(authority, attr):
            setattr(row, attr, getattr(authority, attr))
            changed = True
    missing = {k: v for k, v in authority.external_ids.items() if k not in row.external_ids}
    if missing:
        row.external_ids = {**row.external_ids, **missing}
        changed = True
    if changed:
        row.save()
    return changed


def add_variants(row: m.Authority, variants: list[str]) -> list[str]:
    """Add the variants the authority lacks; returns them."""
    if not variants:
        return []
    known = set(row.variants.values_list("name", flat=True)) | {row.name}
    start = row.variants.count()
    new = [v for v in dict.fromkeys(variants) if v not in known]
    m.NameVariant.objects.bulk_create(m.NameVariant(authority=row, name=v, position=start + i) for i, v in enumerate(new))
    return new


# ---- writing many rows -----------------------------------------------------------------------

def insert_rows(model: type[models.Model], fields: tuple[str, ...], rows: list[tuple],
                upsert_on: str | None = None, update: tuple[str, ...] = ()) -> None:
    """INSERT `rows` (tuples of `fields`' values, as the ORM takes them) into `model`'s table with
    one prepared statement. Ingest writes tens of thousands of rows a minute; building a model
    instance per row and compiling the ORM's multi-row INSERT cost more than the database did.
    Values of JSON, date and compressed fields go through their field's conversion; others are
    taken as they are. With `upsert_on` (a unique column), an existing row gets the `update` fields.
    Like `bulk_create`, no signals are sent and no instances come back. On PostgreSQL, rows
    without `upsert_on` go through COPY (one stream the server parses once) and upserts through a
    statement prepared on the server; Django's client-side binding rendered and sent an SQL string
    per row (a third of the writing process's time there)."""
    if not rows:
        return
    columns = [model._meta.get_field(name) for name in fields]
    convert = [(i, column) for i, column in enumerate(columns)
               if isinstance(column, (models.JSONField, models.DateField, models.BinaryField))]
    if convert:
        rows = [list(row) for row in rows]
        for row in rows:
            for i, column in convert:
                row[i] = column.get_db_prep_save(row[i], connection)
    quote = connection.ops.quote_name
    sql = _insert_sql(model, columns)
    if upsert_on:
        updated = [quote(model._meta.get_field(name).column) for name in update]
        sql += f" ON CONFLICT ({quote(upsert_on)}) DO UPDATE SET " + ", ".join(
            f"{name} = excluded.{name}" for name in updated)
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        return
    connection.ensure_connection()
    # The catalog's own psycopg connection, in its transaction, but a cursor that binds on the
    # server (Django's binds on the client): the statement is prepared once for all the rows.
    with psycopg.Cursor(connection.connection) as cursor:
        if upsert_on:
            cursor.executemany(sql, rows)
        else:
            names = ", ".join(quote(column.column) for column in columns)
            with cursor.copy(f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)


def _insert_sql(model: type[models.Model], columns: list[models.Field]) -> str:
    """`INSERT INTO table (columns) VALUES (%s, ...)` for one row of these fields."""
    quote = connection.ops.quote_name
    return (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(column.column) for column in columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})")


def _write_documents(changed: list[tuple[r.Record, str]], authorities: AuthorityResolver, review: LinkReview,
                     replace: set[str]) -> None:
    if replace:
        for model in (m.TextLayer, m.Mention, m.Relation, m.DocumentTopic, m.DocumentSubject):
            model.objects.filter(document_id__in=replace).delete()
    now = timezone.now()
    # A microsecond apart in file order, as saving documents one by one stamped them: the home
    # page's recent documents then start with a file's last document, not with ties broken by id.
    insert_rows(m.Document, ("id", *DOCUMENT_FIELDS, "created"),
                [_document_row(record, digest, authorities, now + timedelta(microseconds=i))
                 for i, (record, digest) in enumerate(changed)],
                upsert_on="id", update=tuple(DOCUMENT_FIELDS))
    records = [record for record, _ in changed]
    insert_rows(m.TextLayer, TEXT_FIELDS, list(_text_rows(records)))
    insert_rows(m.Mention, MENTION_FIELDS, list(_mention_rows(records, authorities, review)))
    insert_rows(m.Relation, RELATION_FIELDS, list(_relation_rows(records)))
    _link_topics(records)
    _link_subjects(records)
    insert_rows(m.Change, ("document_id", "op", "at"), [(record.id, m.Change.Op.UPSERT.value, now) for record in records])


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _document_row(record: r.Record, digest: str, authorities: AuthorityResolver, now: datetime) -> tuple:
    """The values of a document's row in the order ("id", *DOCUMENT_FIELDS, "created")."""
    source = record.source or r.Source()
    provenance = record.provenance or r.Provenance(format="")
    repository = authorities.repository(source.repository) if source.repository else None
    values = dict(
        slug=slug(record.title), title=record.title,
        date_edtf=record.date.edtf if record.date else "", date_display=(record.date and record.date.display) or "",
        date_min=_day(record.date and record.date.min), date_max=_day(record.date and record.date.max),
        summary=record.summary or "", teaser=record.teaser or "", type=record.type or "",
        classification_marking=record.classification.marking if record.classification else "",
        classification_level=(record.classification and record.classification.level) or "",
        languages=record.languages, source_citation=source.citation or "", source_parts=source.parts,
        repository=repository.pk if repository else None,
        rights_statement=(record.rights and record.rights.statement) or "", rights_uri=(record.rights and record.rights.uri) or "",
        funders=record.funders, status=record.status, embargo_until=_day(record.embargo_until),
        declassification=record.declassification.model_dump(mode="json") if record.declassification else {},
        provenance_format=provenance.format, provenance_file=provenance.file or "",
        provenance_sha256=provenance.sha256 or "", ingested_at=provenance.ingested_at or "", content_sha256=digest,
        updated=now,
    )
    return (record.id, *(values[name] for name in DOCUMENT_FIELDS), now)


TEXT_FIELDS = ("document_id", "position", "kind", "language", "body", "translator", "notes")
MENTION_FIELDS = ("document_id", "authority", "role", "position", "name", "confidence", "pending")
RELATION_FIELDS = ("document_id", "position", "target_id", "target_title", "relation", "source", "score")
FINDING_FIELDS = ("document_id", "position", "field", "value", "source", "evidence", "confidence", "enricher")


def _text_rows(records: list[r.Record]) -> Iterator[tuple]:
    for record in records:
        for i, text in enumerate(record.texts):
            yield (record.id, i, text.kind, text.language or "", text.body, text.translator or "",
                   [note.model_dump() for note in text.notes])


def _mention_rows(records: list[r.Record], authorities: AuthorityResolver, review: LinkReview) -> Iterator[tuple]:
    for record in records:
        for role in ROLES:
            for i, link in enumerate(getattr(record, role)):
                confidence, pending = review.state(record.id, role, link.id)
                yield (record.id, authorities.resolve(link, role).pk, role, i, clean_name(link.name) or link.id,
                       confidence, pending)


def _relation_rows(records: list[r.Record]) -> Iterator[tuple]:
    for record in records:
        for i, rel in enumerate(record.related):
            yield (record.id, i, rel.id or "", rel.title or "", rel.relation, rel.source, rel.score)


def _link_topics(records: list[r.Record]) -> None:
    names = {name for record in records for name in record.topics}
    if not names:
        return
    m.Topic.objects.bulk_create([m.Topic(slug=slug(n), name=n) for n in names], ignore_conflicts=True)
    ids = dict(m.Topic.objects.filter(slug__in={slug(n) for n in names}).values_list("slug", "id"))
    m.DocumentTopic.objects.bulk_create(
        [m.DocumentTopic(document_id=rec.id, topic_id=ids[slug(n)], position=i)
         for rec in records for i, n in enumerate(dict.fromkeys(rec.topics))], ignore_conflicts=True)


def _link_subjects(records: list[r.Record]) -> None:
    names = {name for record in records for name in record.subjects}
    if not names:
        return
    m.Subject.objects.bulk_create([m.Subject(name=n) for n in names], ignore_conflicts=True)
    ids = dict(m.Subject.objects.filter(name__in=names).values_list("name", "id"))
    m.DocumentSubject.objects.bulk_create(
        [m.DocumentSubject(document_id=rec.id, subject_id=ids[n], position=i)
         for rec in records for i, n in enumerate(dict.fromkeys(rec.subjects))], ignore_conflicts=True)


# ---- reading back -------------------------------------------------------------------------

def documents_with_details(queryset=None, with_pending: bool = False):
    """Documents with everything `to_record` needs, fetched in a fixed number of queries.

    Their links are the published ones: links waiting for a curator (`Mention.pending`) are left
    out, so no channel that reads documents through here (pages, search index, API, exports,
    OAI-PMH, citations) shows them. `with_pending` is for code that rewrites a document or shows
    the staff everything; it must not feed a public channel."""
    queryset = m.Document.objects.all() if queryset is None else queryset
    return queryset.select_related("repository").prefetch_related(*_detail_lookups(with_pending))


def with_details(docs: list[m.Document]) -> list[m.Document]:
    """Documents already read (their repository selected) given what `documents_with_details`
    fetches, published links only: for a page that decides from the row alone whether to show it."""
    prefetch_related_objects(docs, *_detail_lookups(with_pending=False))
    return docs


def _detail_lookups(with_pending: bool) -> list:
    mentions = m.Mention.objects.select_related("authority")
    return ["texts", "relations",
            Prefetch("topic_links", queryset=m.DocumentTopic.objects.select_related("topic")),
            Prefetch("subject_links", queryset=m.DocumentSubject.objects.select_related("subject")),
            Prefetch("mentions", queryset=mentions if with_pending else mentions.filter(pending=False))]


@dataclass
class RecordParts:
    """What a record holds besides its document row: text layers, links by role, topics, subjects
    and relations, each in the catalog's order."""

    texts: list[r.Text] = field(default_factory=list)
    links: dict[str, list[r.Link]] = field(default_factory=lambda: {role: [] for role in ROLES})
    topics: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    related: list[r.Relation] = field(default_factory=list)
    authorities: set[int] = field(default_factory=set)  # the rows its links point at

    @classmethod
    def of(cls, doc: m.Document) -> "RecordParts":
        """The parts `documents_with_details` fetched for `doc`."""
        parts = cls(texts=[r.Text(kind=t.kind, language=t.language or None, body=t.body, translator=t.translator or None,
                                  notes=t.notes) for t in doc.texts.all()],
                    topics=[link.topic.name for link in doc.topic_links.all()],
                    subjects=[link.subject.name for link in doc.subject_links.all()],
                    related=[_relation(x.target_id, x.target_title, x.relation, x.source, x.score)
                             for x in doc.relations.all()])
        for mention in sorted(doc.mentions.all(), key=lambda x: (x.role, x.position)):
            parts.links[mention.role].append(r.Link(id=mention.authority.key, name=mention.name))
            parts.authorities.add(mention.authority_id)
        return parts


def _relation(target_id: str, title: str, relation: str, source: str, score: float | None) -> r.Relation:
    return r.Relation(id=target_id or None, title=title or None, relation=relation, source=source, score=score)


def record_parts(ids: list[str]) -> dict[str, RecordParts]:
    """The published parts of these documents (links waiting for a curator left out, as
    `documents_with_details` does by default), read as plain values in one query per table:
    without a model instance per text layer and link, for code that reads thousands of documents
    (the index catch-up after an ingest)."""
    parts = {doc_id: RecordParts() for doc_id in ids}
    texts = m.TextLayer.objects.filter(document_id__in=ids).order_by("document_id", "position")
    for doc_id, kind, language, body, translator, notes in texts.values_list(
            "document_id", "kind", "language", "body", "translator", "notes"):
        parts[doc_id].texts.append(r.Text(kind=kind, language=language or None, body=body,
                                          translator=translator or None, notes=notes))
    mentions = m.Mention.objects.filter(document_id__in=ids, pending=False).order_by("document_id", "role", "position")
    for doc_id, role, authority, key, name in mentions.values_list("document_id", "role", "authority_id", "authority__key",
                                                                   "name"):
        parts[doc_id].links[role].append(r.Link(id=key, name=name))
        parts[doc_id].authorities.add(authority)
    for doc_id, name in m.DocumentTopic.objects.filter(document_id__in=ids).order_by(
            "document_id", "position").values_list("document_id", "topic__name"):
        parts[doc_id].topics.append(name)
    for doc_id, name in m.DocumentSubject.objects.filter(document_id__in=ids).order_by(
            "document_id", "position").values_list("document_id", "subject__name"):
        parts[doc_id].subjects.append(name)
    for doc_id, *relation in m.Relation.objects.filter(document_id__in=ids).order_by("document_id", "position").values_list(
            "document_id", "target_id", "target_title", "relation", "source", "score"):
        parts[doc_id].related.append(_relation(*relation))
    return parts


def to_record(doc: m.Document, parts: RecordParts | None = None) -> r.Record:
    """The plain record of a catalog document, with the links `documents_with_details` fetched
    (use it: it avoids N+1 queries and decides whether links waiting for a curator are in), or
    with the `parts` given (`record_parts`; then `doc` needs only its repository selected)."""
    parts = RecordParts.of(doc) if parts is None else parts
    repo = doc.repository
    return r.Record(
        id=doc.id, title=doc.title,
        date=r.DateValue(edtf=doc.date_edtf, display=doc.date_display or None, min=_iso(doc.date_min), max=_iso(doc.date_max)) if doc.date_edtf else None,
        summary=doc.summary or None, teaser=doc.teaser or None, type=doc.type or None,
        classification=r.Classification(marking=doc.classification_marking, level=doc.classification_level or None) if doc.classification_marking else None,
        languages=doc.languages,
        texts=parts.texts, **parts.links, topics=parts.topics, subjects=parts.subjects, related=parts.related,
        source=r.Source(citation=doc.source_citation or None, parts=doc.source_parts,
                        repository=r.Repository(id=repo.key, name=repo.name, abbreviation=repo.abbreviation or None) if repo else None)
        if (doc.source_citation or doc.source_parts or repo) else None,
        rights=r.Rights(statement=doc.rights_statement or None, uri=doc.rights_uri or None) if (doc.rights_statement or doc.rights_uri) else None,
        funders=doc.funders, status=doc.status, embargo_until=_iso(doc.embargo_until),
        declassification=r.Declassification.model_validate(doc.declassification) if doc.declassification else None,
        provenance=r.Provenance(format=doc.provenance_format, file=doc.provenance_file or None, sha256=doc.provenance_sha256 or None,
                                ingested_at=doc.ingested_at or None) if doc.provenance_format else None,
    )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def to_authority(row: m.Authority) -> r.Authority:
    """The plain authority record of a catalog authority."""
    return r.Authority(id=row.key, kind=row.kind, name=row.name, abbreviation=row.abbreviation or None,
                       variants=[v.name for v in row.variants.all()], dates=row.dates or None,
                       description=row.description or None, external_ids=row.external_ids)
