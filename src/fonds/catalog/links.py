"""Curators' work on links and authorities: the decisions of the curator queue (accept, reject,
link to another authority), merging two authorities and splitting one.

Each operation runs in the caller's transaction and leaves what every catalog write leaves: a
change-log row per document it touches (the search index follows) and history rows (who, when,
what moved) for the documents and the authorities. Decisions are kept as `LinkDecision` rows that
every later write of the document applies again (`store.LinkReview`), and a merged authority keeps
its row, pointing at its target (`Authority.merged_into`), so its address redirects and any source
file or curated value naming it links to the target; that is how curated work survives `fonds
enrich` and re-ingest. The service layer (`fonds.archive.changes`) checks roles before calling here.
"""

from __future__ import annotations

import json

from fonds.catalog import models as m
from fonds.catalog.store import (Origin, add_variants, authority_fields, apply_curation, documents_with_details,
                                 record_revisions, snapshot, snapshots, to_authority, to_record)
from fonds.names import clean_name, slug

Verdict = m.LinkDecision.Verdict


class LinkError(ValueError):
    """A curator's operation that cannot be done; the message says which value and why."""


def decide(mention: m.Mention, verdict: str, origin: Origin, target: m.Authority | None = None) -> None:
    """Accept, reject or relink (to `target`) one link; kept for every later write of the document."""
    if verdict not in Verdict.values:
        raise LinkError(f"verdict: {verdict!r} is not one of {', '.join(Verdict.values)}")
    if verdict == Verdict.RELINK:
        if target is None:
            raise LinkError("authority: say which authority the name is linked to instead")
        if target.pk == mention.authority_id:
            raise LinkError(f"authority: the link already points at {target.key}")
    m.LinkDecision.objects.update_or_create(
        document_id=mention.document_id, role=mention.role, found=mention.authority.key,
        defaults={"verdict": verdict, "target": target.key if target else "", "target_name": target.name if target else "",
                  "curator": origin.user, "note": origin.note})
    if verdict == Verdict.ACCEPT:
        _accept(mention, origin)
    else:
        apply_curation(mention.document_id, origin)  # the document is rewritten with the decision applied


def _accept(mention: m.Mention, origin: Origin) -> None:
    """Publish a waiting link: the record does not change, its public view does."""
    m.Mention.objects.filter(pk=mention.pk).update(pending=False)
    m.Change.objects.create(document_id=mention.document_id, op=m.Change.Op.UPSERT)
    record = to_record(documents_with_details(m.Document.objects.filter(pk=mention.document_id), with_pending=True).get())
    _document_revision(record, origin, {f"{mention.role} link {mention.authority.key}": ["pending", "accepted"]})


def _document_revision(record, origin: Origin, changed: dict) -> None:
    m.Revision.objects.create(kind="document", object_id=record.id, user=origin.user, road=origin.road, note=origin.note,
                              changes=changed, snapshot=json.dumps(snapshot(record), ensure_ascii=False, sort_keys=True))


def merge(source: m.Authority, target: m.Authority, origin: Origin) -> list[str]:
    """Merge `source` into `target`: every link and holding moves, the names join as variants, and
    the source stays as a pointer (its URL redirects). Returns the ids of the documents moved."""
    if source.pk == target.pk:
        raise LinkError(f"{source.key}: an authority cannot be merged into itself")
    if source.kind != target.kind:
        raise LinkError(f"{target.key}: is a {target.kind}, {source.key} a {source.kind}; merge authorities of one kind")
    for row in (source, target):
        if row.merged_into_id is not None:
            raise LinkError(f"{row.key}: was merged into {row.merged_into.key} already")
    moved = sorted(set(m.Mention.objects.filter(authority=source).values_list("document_id", flat=True))
                   | set(m.Document.objects.filter(repository=source).values_list("pk", flat=True)))
    before_docs = snapshots(moved)
    before_source, before_target = authority_fields(source), authority_fields(target)
    for mention in m.Mention.objects.filter(authority=source):
        duplicate = m.Mention.objects.filter(document_id=mention.document_id, role=mention.role, authority=target)
        if duplicate.exists():  # the document links both already: one link stays, published if either was
            duplicate.filter(pending=True).update(pending=mention.pending)
            mention.delete()
        else:
            mention.authority = target
            mention.save(update_fields=["authority"])
    m.Document.objects.filter(repository=source).update(repository=target)
    joined = add_variants(target, [source.name, *source.variants.values_list("name", flat=True)])
    source.merged_into = target
    source.save(update_fields=["merged_into"])
    m.Authority.objects.filter(merged_into=source).update(merged_into=target)  # no chains of redirects
    _move_decisions(source, target)
    _authority_revision(source, before_source, origin, {"merged_into": [None, target.key], "documents moved": [moved, []]})
    _authority_revision(target, before_target, origin, {"merged from": [None, source.key], "variants added": [None, joined],
                                                        "documents moved in": [None, moved]})
    _documents_changed(moved, before_docs, origin)
    return moved


def _move_decisions(source: m.Authority, target: m.Authority) -> None:
    """Decisions about links to `source` now concern links to `target` (enrichers find the target
    from now on), unless the document has a decision about the target already."""
    m.LinkDecision.objects.filter(target=source.key).update(target=target.key, target_name=target.name)
    for decision in m.LinkDecision.objects.filter(found=source.key):
        if not m.LinkDecision.objects.filter(document_id=decision.document_id, role=decision.role, found=target.key).exists():
            decision.found = target.key
            decision.save(update_fields=["found"])


def split(source: m.Authority, doc_ids: list[str], name: str, origin: Origin) -> m.Authority:
    """Give the documents `doc_ids` of `source` a new authority named `name`; the rest keep `source`.
    Each moved link is recorded as a relink decision, so a later ingest or `fonds enrich` that
    links those documents to `source` again is corrected. Returns the new authority."""
    name = clean_name(name or "")
    if not name:
        raise LinkError("name: the new authority needs a name")
    if source.merged_into_id is not None:
        raise LinkError(f"{source.key}: was merged into {source.merged_into.key}; split that one")
    mentions = list(m.Mention.objects.filter(authority=source, document_id__in=doc_ids))
    linked = {mention.document_id for mention in mentions}
    missing = sorted(set(doc_ids) - linked)
    if not doc_ids:
        raise LinkError("documents: choose the documents that go to the new authority")
    if missing:
        raise LinkError(f"documents: {', '.join(missing)} not linked to {source.key}")
    new = m.Authority.objects.create(kind=source.kind, key=_free_key(source.kind, name), name=name)
    before_docs = snapshots(sorted(linked))
    for mention in mentions:
        m.LinkDecision.objects.update_or_create(
            document_id=mention.document_id, role=mention.role, found=source.key,
            defaults={"verdict": Verdict.RELINK, "target": new.key, "target_name": mention.name,
                      "curator": origin.user, "note": origin.note or f"split from {source.key}"})
        mention.authority = new
        mention.pending = False  # a curator chose this link
        mention.save(update_fields=["authority", "pending"])
    moved = sorted(linked)
    _authority_revision(source, authority_fields(source), origin, {"split into": [None, new.key], "documents moved": [moved, []]})
    m.Revision.objects.create(kind=new.kind, object_id=new.key, user=origin.user, road=origin.road, note=origin.note,
                              created=True, snapshot=json.dumps(to_authority(new).to_json(), ensure_ascii=False),
                              changes={"split from": [None, source.key], "documents": [None, moved]})
    _documents_changed(moved, before_docs, origin)
    return new


def _free_key(kind: str, name: str) -> str:
    """A key for a new authority from its name, numbered when the name's own is taken."""
    base = slug(name)[:150] or "authority"
    key, number = base, 1
    while m.Authority.objects.filter(kind=kind, key=key).exists():
        number += 1
        key = f"{base}-{number}"
    return key


def _authority_revision(row: m.Authority, before: dict, origin: Origin, moved: dict) -> None:
    after = to_authority(row).to_json()
    changed = {key: [before.get(key), value] for key, value in after.items() if key in before and before[key] != value}
    m.Revision.objects.create(kind=row.kind, object_id=row.key, user=origin.user, road=origin.road, note=origin.note,
                              changes={**changed, **moved}, snapshot=json.dumps(after, ensure_ascii=False))


def _documents_changed(ids: list[str], before: dict[str, dict], origin: Origin) -> None:
    """A change-log row and a history row (old and new links) for each document whose links moved."""
    m.Change.objects.bulk_create(m.Change(document_id=doc_id, op=m.Change.Op.UPSERT) for doc_id in ids)
    docs = documents_with_details(m.Document.objects.filter(id__in=ids), with_pending=True)
    record_revisions([(before.get(doc.id), to_record(doc)) for doc in docs], origin)
