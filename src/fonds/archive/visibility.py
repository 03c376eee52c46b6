"""Who may see what: the QuerySets every channel reads documents, authorities and topics through.

A document is public when it is published and its embargo (if any) has passed. Embargoes are
computed at read time against today's date, so a document publishes itself on its embargo day in
every channel at once (the search index applies the same rule at search time; `fonds embargo`
gives such documents a fresh datestamp so incremental harvesters fetch them). Staff with a role
(`roles`) see every document in the reading room; everyone else sees the public ones.

Authorities and topics are shown only through public documents: a person linked only to drafts
has no public page, no API record, no sitemap entry and no set. Links waiting for a curator
(`Mention.pending`: an enricher was not sure enough) count for nothing public either: only
`published_mentions` link a public document to an authority.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet

from fonds.archive import roles
from fonds.catalog import models as m

PUBLISHED, WITHDRAWN = m.Document.Status.PUBLISHED, m.Document.Status.WITHDRAWN


def _released(today: date | None = None) -> Q:
    return Q(embargo_until__isnull=True) | Q(embargo_until__lte=today or date.today())


def public_condition(today: date | None = None) -> Q:
    """The condition of `public` on a document row."""
    return _released(today) & Q(status=PUBLISHED)


def public(queryset: QuerySet | None = None, today: date | None = None) -> QuerySet:
    """Documents anyone may read: published, embargo passed."""
    queryset = m.Document.objects.all() if queryset is None else queryset
    return queryset.filter(public_condition(today))


def visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """Documents `user` may read: everything for staff with a role, else the public ones."""
    queryset = m.Document.objects.all() if queryset is None else queryset
    return queryset if roles.has_role(user, roles.READER) else public(queryset)


def visible_among(user, ids, queryset: QuerySet | None = None) -> list[m.Document]:
    """The documents among `ids` that `user` may read, looked up by primary key alone and checked
    here: with the visibility condition in the SQL, SQLite's planner walks the `status` index
    instead (every published document, for a page of 20 ids)."""
    queryset = m.Document.objects.all() if queryset is None else queryset
    docs = list(queryset.filter(pk__in=list(ids)).order_by())
    if roles.has_role(user, roles.READER):
        return docs
    today = date.today()
    return [doc for doc in docs if is_public(doc.status, doc.embargo_until, today)]


def harvestable(queryset: QuerySet | None = None, today: date | None = None) -> QuerySet:
    """What OAI-PMH exposes: public documents, and withdrawn ones (embargo passed) as tombstones."""
    queryset = m.Document.objects.all() if queryset is None else queryset
    return queryset.filter(_released(today), status__in=[PUBLISHED, WITHDRAWN])


def withdrawn(queryset: QuerySet | None = None) -> QuerySet:
    """Documents whose URL stays, with a notice instead of the document."""
    queryset = m.Document.objects.all() if queryset is None else queryset
    return queryset.filter(status=WITHDRAWN)


def is_public(status: str, embargo_until: date | None, today: date | None = None) -> bool:
    """The rule of `public` for one document's values (re-checking search hits by primary key)."""
    return status == PUBLISHED and (embargo_until is None or embargo_until <= (today or date.today()))


def can_read(user, doc: m.Document) -> bool:
    return roles.has_role(user, roles.READER) or is_public(doc.status, doc.embargo_until)


# ---- authorities and topics ----------------------------------------------------------------------

def published_mentions() -> QuerySet:
    """Links that count in public: every link but those waiting in the curator queue."""
    return m.Mention.objects.filter(pending=False)


def _has_documents(documents: QuerySet, kind: str | None = None) -> Q:
    """Authorities linked to one of `documents` (as a published mention, or as the holding archive)."""
    mentioned = Exists(published_mentions().filter(authority=OuterRef("pk"), document__in=documents.values("pk")))
    held = Exists(documents.filter(repository=OuterRef("pk")).values("pk"))
    if kind == "repository":
        return Q(held)
    if kind is None:
        return Q(mentioned) | Q(held)
    return Q(mentioned)


def authorities_for(user, kind: str | None = None) -> QuerySet:
    """Authorities with at least one document `user` may read (all of them for staff)."""
    rows = m.Authority.objects.all() if kind is None else m.Authority.objects.filter(kind=kind)
    if roles.has_role(user, roles.READER):
        return rows
    return rows.filter(_has_documents(public(), kind))


def merged_into(kind: str, key: str) -> m.Authority | None:
    """The authority a curator merged this one into (following merges of merges), or None."""
    row = m.Authority.objects.filter(kind=kind, key=key, merged_into__isnull=False).select_related("merged_into").first()
    if row is None:
        return None
    target = row.merged_into
    while target.merged_into_id is not None:
        target = target.merged_into
    return target


def public_authorities(kind: str | None = None) -> QuerySet:
    """Authorities with at least one public document."""
    return authorities_for(None, kind)


def topics_for(user) -> QuerySet:
    """Topics with at least one document `user` may read."""
    if roles.has_role(user, roles.READER):
        return m.Topic.objects.all()
    return m.Topic.objects.filter(Exists(m.DocumentTopic.objects.filter(topic=OuterRef("pk"),
                                                                       document__in=public().values("pk"))))


def public_topics() -> QuerySet:
    return topics_for(None)


def authority_documents(user, authority: m.Authority) -> QuerySet:
    """The documents of an authority that `user` may read (through links published, for everyone)."""
    documents = visible_to(user)
    if authority.kind == "repository":
        return documents.filter(repository=authority)
    return documents.filter(pk__in=mentions_for(user).filter(authority=authority).values("document_id"))


def topic_documents(user, topic: m.Topic) -> QuerySet:
    """The documents under a topic that `user` may read."""
    return visible_to(user).filter(pk__in=m.DocumentTopic.objects.filter(topic=topic).values("document_id"))


# ---- links and subjects (browsing) ---------------------------------------------------------------

def mentions_for(user) -> QuerySet:
    """The links (mentions) between documents `user` may read and their authorities: every page that
    counts or lists an entity's documents, or the people who appear together, reads links here, so
    that one rule decides which links are shown."""
    return published_mentions().filter(document__in=visible_to(user).values("pk"))


def subjects_for(user) -> QuerySet:
    """Subject headings with at least one document `user` may read."""
    if roles.has_role(user, roles.READER):
        return m.Subject.objects.all()
    return m.Subject.objects.filter(Exists(m.DocumentSubject.objects.filter(subject=OuterRef("pk"),
                                                                           document__in=public().values("pk"))))
