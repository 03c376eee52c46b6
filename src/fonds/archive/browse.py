"""Browsing the archive: indexes of names, topics, subjects and dates with their document counts,
an entity's timeline and the people named with it, and who wrote to whom.

Every count and name comes through `visibility` (the documents and the links a visitor may read),
so a name linked only to hidden documents, or only by a link that is not shown, appears nowhere.
"""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear

from fonds.archive import visibility
from fonds.catalog import models as m

INDEX_KINDS = ("person", "organization", "place", "repository")


@dataclass
class Entry:
    """One line of an index: a name, where it leads, how many documents it has."""

    name: str
    url: str
    count: int
    note: str = ""


def authority_index(user, kind: str) -> list[Entry]:
    """People, organizations, places or archives with the number of documents `user` may read, by name."""
    if kind == "repository":
        counts = dict(visibility.visible_to(user).exclude(repository=None).order_by()
                      .values_list("repository_id").annotate(n=Count("pk")))
    else:
        counts = dict(visibility.mentions_for(user).filter(authority__kind=kind).order_by()
                      .values_list("authority_id").annotate(n=Count("document_id", distinct=True)))
    rows = m.Authority.objects.filter(pk__in=list(counts)).order_by("name", "pk")
    return [Entry(row.name, row.get_absolute_url(), counts[row.pk], row.dates) for row in rows]


def topic_index(user) -> list[Entry]:
    """Topics with the number of documents `user` may read."""
    counts = dict(m.DocumentTopic.objects.filter(document__in=visibility.visible_to(user).values("pk")).order_by()
                  .values_list("topic_id").annotate(n=Count("document_id", distinct=True)))
    return [Entry(t.name, t.get_absolute_url(), counts[t.pk]) for t in m.Topic.objects.filter(pk__in=list(counts))]


def subject_index(user, url_for) -> list[Entry]:
    """Subject headings with the number of documents `user` may read; `url_for(name)` is each one's page."""
    counts = dict(m.DocumentSubject.objects.filter(document__in=visibility.visible_to(user).values("pk")).order_by()
                  .values_list("subject_id").annotate(n=Count("document_id", distinct=True)))
    return [Entry(s.name, url_for(s.name), counts[s.pk]) for s in m.Subject.objects.filter(pk__in=list(counts))]


def subject_documents(user, name: str) -> QuerySet:
    """The documents under a subject heading that `user` may read."""
    links = m.DocumentSubject.objects.filter(subject__name=name)
    return visibility.visible_to(user).filter(pk__in=links.values("document_id"))


# ---- dates ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    """A decade ("1950s"), a year ("1959") or a month ("1959-12"): a span of days and its parts."""

    label: str
    level: str  # "decade", "year" or "month"
    first: date
    last: date

    @property
    def display(self) -> str:
        """How the period reads: "1950s", "1959", "April 1959"."""
        return f"{calendar.month_name[self.first.month]} {self.first.year}" if self.level == "month" else self.label

    @property
    def parent(self) -> Period | None:
        if self.level == "month":
            return period(str(self.first.year))
        if self.level == "year":
            return period(f"{self.first.year // 10 * 10}s")
        return None

    def parts(self) -> list[Period]:
        """The periods one level down (years of a decade, months of a year); none for a month."""
        if self.level == "decade":
            return [period(str(year)) for year in range(self.first.year, self.first.year + 10)]
        if self.level == "year":
            return [period(f"{self.first.year:04d}-{month:02d}") for month in range(1, 13)]
        return []


def period(label: str) -> Period | None:
    """The period a label names ("1950s", "1959", "1959-12"), or None for anything else."""
    try:
        if len(label) == 5 and label.endswith("s") and label[:4].isdigit() and label[3] == "0":
            year = int(label[:4])
            return Period(label, "decade", date(year, 1, 1), date(year + 9, 12, 31))
        if len(label) == 4 and label.isdigit():
            year = int(label)
            return Period(label, "year", date(year, 1, 1), date(year, 12, 31))
        if len(label) == 7 and label[4] == "-" and label[:4].isdigit() and label[5:].isdigit():
            year, month = int(label[:4]), int(label[5:])
            return Period(label, "month", date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))
    except ValueError:  # year 0, month 13
        return None
    return None


def period_documents(documents: QuerySet, span: Period) -> QuerySet:
    """The documents whose (earliest) date falls in the period."""
    return documents.filter(date_min__gte=span.first, date_min__lte=span.last)


def year_counts(documents: QuerySet) -> dict[int, int]:
    """{year: documents} by each document's earliest date."""
    rows = documents.exclude(date_min=None).order_by().annotate(y=ExtractYear("date_min")).values_list("y").annotate(n=Count("pk"))
    return dict(rows)


def date_index(documents: QuerySet, span: Period | None) -> list[tuple[Period, int]]:
    """The parts of a period (decades for the whole archive) with their document counts; only those
    that have documents."""
    if span is None:
        decades = Counter()
        for year, count in year_counts(documents).items():
            decades[year // 10 * 10] += count
        return [(period(f"{d}s"), n) for d, n in sorted(decades.items())]
    inside = period_documents(documents, span)
    if span.level == "decade":
        counts = year_counts(inside)
        return [(p, counts[p.first.year]) for p in span.parts() if counts.get(p.first.year)]
    if span.level == "year":
        counts = dict(inside.order_by().annotate(mo=ExtractMonth("date_min")).values_list("mo").annotate(n=Count("pk")))
        return [(p, counts[p.first.month]) for p in span.parts() if counts.get(p.first.month)]
    return []


def undated_count(documents: QuerySet) -> int:
    return documents.filter(date_min=None).count()


# ---- an entity's page ----------------------------------------------------------------------------

def timeline(documents: QuerySet) -> list[dict]:
    """Bars for a list of documents: one per year from the first to the last, with counts and the
    bar's share of the busiest year (0-100)."""
    counts = year_counts(documents)
    if not counts:
        return []
    peak = max(counts.values())
    return [{"year": y, "count": counts.get(y, 0), "share": round(100 * counts.get(y, 0) / peak)}
            for y in range(min(counts), max(counts) + 1)]


def companions(user, authority: m.Authority, limit: int) -> list[Entry]:
    """The people most often named in the same documents as `authority` (documents `user` may read)."""
    documents = visibility.authority_documents(user, authority).values("pk")
    rows = (visibility.mentions_for(user).filter(document__in=documents, authority__kind="person")
            .exclude(authority=authority).order_by().values_list("authority_id")
            .annotate(n=Count("document_id", distinct=True)).order_by("-n", "authority_id")[:limit])
    counts = dict(rows)
    people = {a.pk: a for a in m.Authority.objects.filter(pk__in=list(counts))}
    return [Entry(people[pk].name, people[pk].get_absolute_url(), n) for pk, n in counts.items()]


# ---- correspondence ------------------------------------------------------------------------------

@dataclass
class Network:
    """Who wrote to whom: people (with letters sent and received) and author -> recipient pairs."""

    nodes: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    documents: int = 0


def correspondence(documents: QuerySet, involving: m.Authority | None = None) -> Network:
    """The author -> recipient pairs of `documents` (the ones a visitor may read; each pair counted
    once per document), from published links; with `involving`, only the pairs that person is one
    side of."""
    # The ids first: as a nested subquery, PostgreSQL without fresh statistics joined it in a nested
    # loop over every link (159 s for one person's 185 documents in a new test database).
    ids = list(documents.order_by().values_list("pk", flat=True))
    links = (visibility.published_mentions()
             .filter(document_id__in=ids, role__in=[m.Mention.Role.AUTHOR, m.Mention.Role.RECIPIENT])
             .order_by().values_list("document_id", "role", "authority_id"))
    authors, recipients = {}, {}
    for doc_id, role, authority_id in links:
        (authors if role == m.Mention.Role.AUTHOR else recipients).setdefault(doc_id, set()).add(authority_id)
    pairs = Counter()
    for doc_id, senders in authors.items():
        for sender in senders:
            for recipient in recipients.get(doc_id, ()):
                if recipient != sender and (involving is None or involving.pk in (sender, recipient)):
                    pairs[(sender, recipient)] += 1
    names = {a.pk: a for a in m.Authority.objects.filter(pk__in={pk for pair in pairs for pk in pair})}
    # A pair whose authority is gone by now (merged and removed between the two queries) is left out.
    pairs = Counter({pair: n for pair, n in pairs.items() if pair[0] in names and pair[1] in names})
    sent, received = Counter(), Counter()
    for (a, b), n in pairs.items():
        sent[a] += n
        received[b] += n
    nodes = [{"id": pk, "name": row.name, "url": row.get_absolute_url(), "sent": sent[pk], "received": received[pk]}
             for pk, row in sorted(names.items(), key=lambda item: (-(sent[item[0]] + received[item[0]]), item[1].name))]
    edges = [{"source": names[a], "target": names[b], "source_id": a, "target_id": b, "count": n}
             for (a, b), n in sorted(pairs.items(), key=lambda item: (-item[1], names[item[0][0]].name, names[item[0][1]].name))]
    return Network(nodes, edges, len({d for d, senders in authors.items() if recipients.get(d) and (
        involving is None or involving.pk in senders | recipients[d])}))
