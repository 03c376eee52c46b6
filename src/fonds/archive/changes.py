"""The one way to change a record: every road (admin, API, workflow, bulk actions, restore, the
command line) goes through these functions, which check the user's role, keep the change as a
curated value (so the next ingest of the source file applies it again instead of undoing it),
rewrite the document with a change-log row (the search index follows) and a history row (who,
when, which road, old and new values). Ingest and harvest write through `catalog.store`, which
keeps the same change log and history.

Nothing is ever deleted: a document leaves the public by being withdrawn, and keeps its URL.

The workflow: draft -> review -> published -> withdrawn. Contributors correct drafts and send them
to review; editors correct anything, publish, send back, withdraw, set embargoes and restore
older versions. An embargo keeps a published document from the public until its day (see
`visibility`); `release_embargoes` gives documents whose day has come a fresh datestamp.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timezone

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _, gettext_lazy

from fonds import curation
from fonds.archive import roles
from fonds.catalog import links
from fonds.catalog import models as m
from fonds.catalog.store import (Origin, apply_curation, curated_record, documents_with_details, record_revisions,
                                 snapshot, to_record, update_authority)
from fonds.records import Record

Road = m.Revision.Road
Status = m.Document.Status
# Keys whose change is a workflow decision, an editor's, even on a draft.
WORKFLOW_KEYS = ("status", "embargo_until")
# action -> (statuses it starts from, the status it leads to, the role it needs)
ACTIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "submit": ((Status.DRAFT,), Status.REVIEW, roles.CONTRIBUTOR),
    "return": ((Status.REVIEW, Status.PUBLISHED, Status.WITHDRAWN), Status.DRAFT, roles.EDITOR),
    "publish": ((Status.DRAFT, Status.REVIEW, Status.WITHDRAWN), Status.PUBLISHED, roles.EDITOR),
    "withdraw": ((Status.DRAFT, Status.REVIEW, Status.PUBLISHED), Status.WITHDRAWN, roles.EDITOR),
}
# Translated where shown (the staff pages); lazily, so the words follow the request's language.
ACTION_LABELS = {"submit": gettext_lazy("Send to review"), "return": gettext_lazy("Send back to draft"),
                 "publish": gettext_lazy("Publish"), "withdraw": gettext_lazy("Withdraw")}


class ChangeError(ValueError):
    """A change that cannot be made (unknown document, wrong state, a value that does not fit)."""


def _origin(user, road: str, note: str = "") -> Origin:
    return Origin(road, user.get_username() if user is not None else "", note)


def _document(doc_id: str) -> m.Document:
    doc = m.Document.objects.select_for_update().filter(pk=doc_id).first()
    if doc is None:
        raise ChangeError(_("no document with id '%(id)s'") % {"id": doc_id})
    return doc


def may_edit(user, doc: m.Document) -> bool:
    """Contributors correct drafts and documents in review; editors correct anything."""
    needed = roles.CONTRIBUTOR if doc.status in (Status.DRAFT, Status.REVIEW) else roles.EDITOR
    return roles.has_role(user, needed)


def _require_edit(user, doc: m.Document, keys) -> None:
    if not may_edit(user, doc):
        roles.require(user, roles.EDITOR, f"changing the {doc.status} document {doc.pk}")
    if any(key in WORKFLOW_KEYS for key in keys):
        roles.require(user, roles.EDITOR, "changing a document's status or embargo")


def allowed_actions(user, doc: m.Document) -> list[str]:
    """The workflow actions `user` may take on `doc` now."""
    return [action for action, (start, _, role) in ACTIONS.items() if doc.status in start and roles.has_role(user, role)]


@transaction.atomic
def edit(user, doc_id: str, values: dict, road: str, note: str = "") -> Record:
    """Set curated values ({record key: the record's JSON for it}) on a document; returns the record.

    Raises PermissionDenied, ChangeError (unknown document) or curation.CurationError (a value that
    does not fit the record; nothing changes)."""
    doc = _document(doc_id)
    _require_edit(user, doc, values)
    curated_record(documents_with_details(m.Document.objects.filter(pk=doc_id)).get(), values)  # raises if unfit
    _curate(doc, values, user, note)
    apply_curation(doc_id, _origin(user, road, note or f"set {', '.join(values)}"))
    return _record(doc_id)


@transaction.atomic
def uncurate(user, doc_id: str, keys: list[str], road: str, note: str = "") -> Record:
    """Remove curated values: the fields follow the source file again from its next ingest."""
    doc = _document(doc_id)
    _require_edit(user, doc, keys)
    m.CuratedValue.objects.filter(document=doc, field__in=keys).delete()
    apply_curation(doc_id, _origin(user, road, note or f"curated {', '.join(keys)} removed"))
    return _record(doc_id)


@transaction.atomic
def transition(user, doc_id: str, action: str, road: str, note: str = "") -> Record:
    """Take a workflow action (`ACTIONS`) on a document."""
    if action not in ACTIONS:
        raise ChangeError(_("unknown action '%(action)s' (choose from %(actions)s)")
                          % {"action": action, "actions": ", ".join(ACTIONS)})
    start, target, role = ACTIONS[action]
    doc = _document(doc_id)
    roles.require(user, role, f"{action} ({ACTION_LABELS[action].lower()})")
    if doc.status not in start:
        raise ChangeError(_("%(id)s is %(status)s: %(action)s applies to %(start)s documents")
                          % {"id": doc_id, "status": doc.status, "action": action, "start": " or ".join(start)})
    _curate(doc, {"status": str(target)}, user)
    apply_curation(doc_id, _origin(user, road, note or f"{action}: {doc.status} -> {target}"))
    return _record(doc_id)


@transaction.atomic
def set_embargo(user, doc_id: str, until: date | None, road: str, note: str = "") -> Record:
    """Keep a document from the public until `until` (None lifts the embargo)."""
    doc = _document(doc_id)
    roles.require(user, roles.EDITOR, "setting an embargo")
    if doc.embargo_until == until:
        return _record(doc_id)
    _curate(doc, {"embargo_until": until.isoformat() if until else None}, user)
    apply_curation(doc_id, _origin(user, road, note or (f"embargo until {until}" if until else "embargo lifted")))
    return _record(doc_id)


@transaction.atomic
def restore(user, doc_id: str, revision_id: int, road: str = Road.RESTORE) -> Record:
    """Bring a document's values back to those of an older version (its history row), as curated
    values. Status and embargo stay as they are (they are workflow decisions), and so do the text
    layers (they come from the source file)."""
    doc = _document(doc_id)
    roles.require(user, roles.EDITOR, "restoring an older version")
    revision = m.Revision.objects.filter(pk=revision_id, kind="document", object_id=doc_id).first()
    if revision is None:
        raise ChangeError(_("%(id)s has no version %(version)s") % {"id": doc_id, "version": revision_id})
    old = json.loads(revision.snapshot)
    current = _record(doc_id).to_json()
    values = {key: old.get(key) for key in curation.CURATABLE
              if key not in WORKFLOW_KEYS and old.get(key) != current.get(key)}
    if values:
        curation.apply(_record(doc_id), values)  # raises CurationError if the old values no longer fit
        _curate(doc, values, user, note=f"restored from version {revision_id}")
    apply_curation(doc_id, _origin(user, road, f"restored version {revision_id} of {revision.at:%Y-%m-%d %H:%M}"))
    return _record(doc_id)


def ingest(user, files, jobs: int = 0, progress=None, status: str | None = None, operator: str = "", **options):
    """An ingest run (call its `run()`) as `user`, who needs the contributor role; None is the
    operator, who holds the catalog itself (named `operator` in the history). `options` go to
    `catalog.ingest.Ingest` (`refused`, `sheet_files`)."""
    from fonds.catalog.ingest import Ingest

    if user is not None:
        roles.require(user, roles.CONTRIBUTOR, "ingest")
    origin = _origin(user, Road.INGEST) if user is not None else Origin(Road.INGEST, operator)
    return Ingest(files, jobs=jobs, progress=progress, origin=origin, status=status, **options)


def enrich(user, ids: list[str], operator: str = "", progress=None):
    """Run the enrichers again over stored documents (`catalog.ingest.enrich_stored`) as `user`, who
    needs the editor role (it may change published documents); None is the operator."""
    from fonds.catalog.ingest import enrich_stored

    if user is not None:
        roles.require(user, roles.EDITOR, "enriching documents again")
    origin = _origin(user, Road.CLI, "fonds enrich") if user is not None else Origin(Road.CLI, operator, "fonds enrich")
    return enrich_stored(ids, origin, progress=progress)


def harvest(user, url: str, operator: str = "", **options):
    """`fonds.oai.harvest.harvest` as `user` (contributor; None: the operator)."""
    from fonds.oai.harvest import harvest as run

    if user is not None:
        roles.require(user, roles.CONTRIBUTOR, "harvest")
    return run(url, user=user.get_username() if user is not None else operator, **options)


@dataclass
class BulkResult:
    done: list[str]
    failed: dict[str, str]


def bulk(user, doc_ids: list[str], action: str) -> BulkResult:
    """Take one workflow action on many documents, each in its own transaction (the admin's list
    actions); a document it does not apply to is reported, the others go on."""
    result = BulkResult([], {})
    for doc_id in doc_ids:
        try:
            transition(user, doc_id, action, Road.BULK)
            result.done.append(doc_id)
        except (ChangeError, PermissionDenied) as error:
            result.failed[doc_id] = str(error)
    return result


def release_embargoes(today: date | None = None) -> list[str]:
    """Give each public document whose embargo ended since its last change a fresh datestamp (and a
    change-log row and a history row), so OAI-PMH harvesters asking for changes since their last
    run fetch it; run daily (`fonds embargo`). Visibility itself needs no run: it is computed at
    read time. Returns the ids released."""
    today = today or date.today()
    released = []
    candidates = m.Document.objects.filter(status=Status.PUBLISHED, embargo_until__lte=today).values_list(
        "pk", "embargo_until", "updated")
    for doc_id, until, updated in candidates:
        if updated >= datetime.combine(until, time.min, tzinfo=timezone.utc):
            continue  # already changed on or after its embargo day
        with transaction.atomic():
            _document(doc_id).save(update_fields=["updated"])  # post_save adds the change-log row
            record = _record(doc_id)
            record_revisions([(snapshot(record), record)], Origin(Road.EMBARGO, note=f"embargo ended on {until}"))
        released.append(doc_id)
    return released


@transaction.atomic
def edit_authority(user, kind: str, key: str, values: dict, road: str, note: str = "") -> None:
    """Correct an authority record (administrators); kept in its history, and the documents naming
    it are re-indexed."""
    roles.require(user, roles.ADMINISTRATOR, "changing an authority record")
    row = m.Authority.objects.select_for_update().filter(kind=kind, key=key).first()
    if row is None:
        raise ChangeError(_("no %(kind)s '%(key)s'") % {"kind": kind, "key": key})
    if values:
        update_authority(row, values, _origin(user, road, note))


def history(user, kind: str, object_id: str) -> list[m.Revision]:
    """The history of a document (kind "document") or an authority, newest first (readers and up)."""
    roles.require(user, roles.READER, "reading the history")
    return list(m.Revision.objects.filter(kind=kind, object_id=object_id).order_by("-id"))


def _curate(doc: m.Document, values: dict, user, note: str = "") -> None:
    name = user.get_username() if user is not None else ""
    for key, value in values.items():
        m.CuratedValue.objects.update_or_create(document=doc, field=key,
                                                defaults={"value": value, "curator": name, "note": note})


def _record(doc_id: str) -> Record:
    return to_record(documents_with_details(m.Document.objects.filter(pk=doc_id)).get())


# ---- the curator queue, merging and splitting authorities --------------------------------------

def pending_links():
    """The curator queue: links waiting for a decision, least sure first (staff only)."""
    return m.Mention.objects.filter(pending=True).select_related("document", "authority").order_by(
        "confidence", "document_id", "role", "position")


def _pending(mention_id: int) -> m.Mention:
    mention = m.Mention.objects.select_related("authority").select_for_update(of=("self",)).filter(
        pk=mention_id, pending=True).first()
    if mention is None:
        raise ChangeError(_("link %(id)s: not in the curator queue (decided already, or no such link)") % {"id": mention_id})
    return mention


def _authority(kind: str | tuple[str, ...], key: str, what: str = "authority") -> m.Authority:
    kinds = (kind,) if isinstance(kind, str) else kind
    row = m.Authority.objects.filter(kind__in=kinds, key=(key or "").strip()).first()
    if row is None:
        raise ChangeError(_("%(what)s: no %(kinds)s with id '%(key)s'")
                          % {"what": what, "kinds": " or ".join(kinds), "key": key})
    return row


@transaction.atomic
def decide_link(user, mention_id: int, verdict: str, road: str, target_key: str = "", note: str = "") -> None:
    """Accept or reject a link of the curator queue, or link its name to another authority
    (`target_key`, of the same kind); editors. The decision holds for every later ingest."""
    roles.require(user, roles.EDITOR, "deciding on links in the curator queue")
    mention = _pending(mention_id)
    target = None
    if verdict == links.Verdict.RELINK:
        kinds = ("person", "organization") if mention.role in ("authors", "recipients") else mention.authority.kind
        target = _authority(kinds, target_key)
        if target.merged_into_id is not None:
            target = target.merged_into
    try:
        links.decide(mention, verdict, _origin(user, road, note or f"{verdict} {mention.role} link {mention.authority.key}"), target)
    except links.LinkError as error:
        raise ChangeError(str(error)) from None


@transaction.atomic
def merge_authorities(user, kind: str, source_key: str, target_key: str, road: str, note: str = "") -> list[str]:
    """Merge one authority into another of its kind (editors): every link moves, the names join as
    variants, the old address redirects. Returns the ids of the documents whose links moved."""
    roles.require(user, roles.EDITOR, "merging authorities")
    source, target = _authority(kind, source_key), _authority(kind, target_key, "merge into")
    try:
        return links.merge(source, target, _origin(user, road, note or f"merged {kind} {source.key} into {target.key}"))
    except links.LinkError as error:
        raise ChangeError(str(error)) from None


@transaction.atomic
def split_authority(user, kind: str, key: str, doc_ids: list[str], name: str, road: str, note: str = "") -> m.Authority:
    """Move the links of the chosen documents from an authority to a new one named `name`
    (editors); returns the new authority."""
    roles.require(user, roles.EDITOR, "splitting an authority")
    source = _authority(kind, key)
    try:
        return links.split(source, doc_ids, name, _origin(user, road, note or f"split {kind} {source.key}"))
    except links.LinkError as error:
        raise ChangeError(str(error)) from None
