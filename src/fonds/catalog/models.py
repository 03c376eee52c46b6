"""Catalog models: documents with their text layers and links, authority records, the change log.

The mapping between these rows and the plain `fonds.records` types lives in `catalog.store`.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from django.db import models
from django.utils.translation import gettext_lazy
from django.db.models import Value
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce, NullIf, Trim
from django.urls import NoReverseMatch, reverse

from fonds.catalog.fields import CompressedTextField
from fonds.curation import CURATABLE


def clean_name_constraint(field: str, name: str) -> models.CheckConstraint:
    """A check that a name column is trimmed and holds no control character (no line break): the
    catalog refuses "Washington, Eisenhower\\n\\n" whatever code writes it. Written with LIKE tests
    (one per character) so that SQLite and PostgreSQL check it alike; NUL is left to PostgreSQL,
    which refuses it in any text."""
    clean = models.Q(**{field: Trim(field)})
    for code in [*range(1, 32), 127]:
        clean &= ~models.Q(**{f"{field}__contains": chr(code)})
    return models.CheckConstraint(condition=clean & ~models.Q(**{field: ""}), name=name)


# The parts of a source citation that name an archival file, most specific first: a decimal file,
# a delo, a folder; else a lot. `Document.archival_unit` holds the first one a document's source
# gives, so that the other documents of its file are found through an index.
ARCHIVAL_UNIT_PARTS = ("file", "delo", "folder", "lot")


def _source_part(key: str, trimmed: bool = False):
    """The text of one key of `source_parts`; trimmed, and empty as NULL, with `trimmed`."""
    text = KT(f"source_parts__{key}")
    return NullIf(Trim(text), Value("", output_field=models.TextField())) if trimmed else text


def _generated_text(expression) -> models.GeneratedField:
    """A column the database computes from `source_parts` on every write, whatever code writes the
    row (bulk writes, raw SQL and migrations included), so it can never disagree with them."""
    return models.GeneratedField(expression=expression, output_field=models.TextField(null=True, blank=True),
                                 db_persist=True, editable=False)


class Authority(models.Model):
    """A person, organization, place or repository, with a preferred name and variants."""

    class Kind(models.TextChoices):
        PERSON = "person"
        ORGANIZATION = "organization"
        PLACE = "place"
        REPOSITORY = "repository"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    key = models.CharField(max_length=160, help_text="Stable id within its kind, used in URLs.")
    name = models.TextField()
    abbreviation = models.TextField(blank=True, default="")
    dates = models.TextField(blank=True, default="")
    description = models.TextField(blank=True, default="")
    external_ids = models.JSONField(default=dict, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged",
                                    help_text="The authority a curator merged this one into; its URL redirects there.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="authority_kind_key"),
                       clean_name_constraint("name", "authority_name_clean")]
        ordering = ["name"]
        verbose_name = gettext_lazy("authority")
        verbose_name_plural = gettext_lazy("authorities")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(self.kind, kwargs={"key": self.key})  # URL names are the kinds


class NameVariant(models.Model):
    """Another form of an authority's name, in any script ("Хрущёв", "Khrushchov")."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="variants")
    name = models.TextField()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [clean_name_constraint("name", "name_variant_clean")]


class Document(models.Model):
    """One document: every key of the record in DESIGN.md."""

    class Status(models.TextChoices):
        DRAFT = "draft"
        REVIEW = "review"
        PUBLISHED = "published"
        WITHDRAWN = "withdrawn"

    id = models.CharField(primary_key=True, max_length=160)
    slug = models.SlugField(max_length=120, allow_unicode=False)
    title = models.TextField()
    date_edtf = models.TextField(blank=True, default="")
    date_display = models.TextField(blank=True, default="")
    date_min = models.DateField(null=True, blank=True, db_index=True)
    date_max = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True, default="")
    teaser = models.TextField(blank=True, default="")
    type = models.TextField(blank=True, default="", db_index=True)
    classification_marking = models.TextField(blank=True, default="")
    classification_level = models.TextField(blank=True, default="")
    languages = models.JSONField(default=list, blank=True)
    source_citation = models.TextField(blank=True, default="")
    source_parts = models.JSONField(default=dict, blank=True)
    # Keys of `source_parts` that pages look documents up by, as indexed columns: an edition's
    # volume and document number (a FRUS document's neighbours and the documents it cites) and
    # the archival file (`ARCHIVAL_UNIT_PARTS`; the other documents of the same file).
    edition_volume = _generated_text(_source_part("volume"))
    edition_number = _generated_text(_source_part("document"))
    archival_unit = _generated_text(Coalesce(*(_source_part(key, trimmed=True) for key in ARCHIVAL_UNIT_PARTS)))
    repository = models.ForeignKey(Authority, null=True, blank=True, on_delete=models.PROTECT, related_name="held_documents")
    rights_statement = models.TextField(blank=True, default="")
    rights_uri = models.TextField(blank=True, default="")
    funders = models.JSONField(default=list, blank=True)
    declassification = models.JSONField(default=dict, blank=True,
                                        help_text="The record's declassification (status, review, withheld passages).")
    topics = models.ManyToManyField("Topic", through="DocumentTopic", blank=True, related_name="documents")
    subjects = models.ManyToManyField("Subject", through="DocumentSubject", blank=True, related_name="documents")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PUBLISHED, db_index=True)
    embargo_until = models.DateField(null=True, blank=True)
    provenance_format = models.TextField(blank=True, default="")
    provenance_file = models.TextField(blank=True, default="", db_index=True)
    provenance_sha256 = models.TextField(blank=True, default="")
    ingested_at = models.TextField(blank=True, default="")
    content_sha256 = models.CharField(max_length=64, blank=True, default="", help_text="Hash of the record without provenance, to skip unchanged rewrites.")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-updated", "id"]
        verbose_name = gettext_lazy("document")
        verbose_name_plural = gettext_lazy("documents")
        indexes = [models.Index(fields=["edition_volume", "edition_number"], name="document_edition"),
                   # A volume's telegrams (their numbers are looked up by the documents citing them).
                   models.Index(fields=["edition_volume", "type"], name="document_edition_type"),
                   models.Index(fields=["repository", "archival_unit"], name="document_archival_unit")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        name, kwargs = ("document", {"slug": self.slug}) if self.slug else ("document-short", {})
        try:
            return reverse(name, kwargs={"doc_id": self.id, **kwargs})
        except NoReverseMatch:
            # An id holding "/" (refused at ingest now, possible in older catalogs) cannot be routed;
            # its URL still names it, percent-encoded.
            return reverse(name, kwargs={"doc_id": "-", **kwargs}).replace("/-/", f"/{quote(self.id, safe='')}/", 1)


class TextLayer(models.Model):
    """The original, a transcription or a translation of a document."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="texts")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=16, choices=[(k, k) for k in ("original", "transcription", "translation")])
    language = models.TextField(blank=True, default="")
    body = CompressedTextField()
    translator = models.TextField(blank=True, default="")
    notes = models.JSONField(default=list, blank=True, help_text="Footnotes: [{n, at (offset in body), body}].")

    class Meta:
        ordering = ["position"]


class Mention(models.Model):
    """A document's link to an authority, in one role (author, recipient, person, ...)."""

    class Role(models.TextChoices):
        AUTHOR = "authors"
        RECIPIENT = "recipients"
        PERSON = "people"
        ORGANIZATION = "organizations"
        PLACE = "places"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="mentions")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="mentions")
    role = models.CharField(max_length=16, choices=Role.choices)
    position = models.PositiveIntegerField(default=0)
    name = models.TextField(help_text="The name as the document gives it.")
    confidence = models.FloatField(null=True, blank=True,
                                   help_text="The enricher's confidence; empty when the source or a curator gave the link.")
    pending = models.BooleanField(default=False, db_index=True,
                                  help_text="Below the confidence threshold and not yet accepted: shown to no public channel.")

    class Meta:
        ordering = ["role", "position"]
        indexes = [models.Index(fields=["authority", "role"])]


class LinkDecision(models.Model):
    """A curator's decision on a link an enricher made: accept it, reject it, or link the name to
    another authority. Kept apart from the links (which ingest rewrites), so every later ingest and
    `fonds enrich` applies it again; `found` is the authority key the enricher linked."""

    class Verdict(models.TextChoices):
        ACCEPT = "accept"
        REJECT = "reject"
        RELINK = "relink"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="link_decisions")
    role = models.CharField(max_length=16, choices=Mention.Role.choices)
    found = models.CharField(max_length=160, help_text="The authority key the enricher linked.")
    verdict = models.CharField(max_length=8, choices=Verdict.choices)
    target = models.CharField(max_length=160, blank=True, default="", help_text="For relink: the authority key chosen.")
    target_name = models.TextField(blank=True, default="")
    curator = models.TextField(blank=True, default="")
    note = models.TextField(blank=True, default="")
    at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["document", "role", "found"]
        constraints = [models.UniqueConstraint(fields=["document", "role", "found"], name="link_decision_once")]

    def __str__(self) -> str:
        return f"{self.document_id} {self.role} {self.found}: {self.verdict}"


class Topic(models.Model):
    """A collection or theme ("Cold War History", "Nuclear Disarmament")."""

    slug = models.SlugField(max_length=120, unique=True)
    name = models.TextField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("topic", kwargs={"slug": self.slug})


class Subject(models.Model):
    """A subject heading."""

    name = models.TextField(unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DocumentTopic(models.Model):
    """A document's topic, in the order the record lists them."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="topic_links")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["document", "topic"], name="document_topic_once")]


class DocumentSubject(models.Model):
    """A document's subject heading, in the order the record lists them."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="subject_links")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["document", "subject"], name="document_subject_once")]


class Relation(models.Model):
    """A typed link between documents; `target_id` may name a document not (yet) in the catalog."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="relations")
    position = models.PositiveIntegerField(default=0)
    target_id = models.CharField(max_length=160, blank=True, default="")
    target_title = models.TextField(blank=True, default="")
    relation = models.TextField(default="related")
    source = models.TextField(default="curated")
    score = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["position"]


class Finding(models.Model):
    """What an enricher set on a document at its last ingest: the value, where from, how sure.

    Replaced whenever ingest rewrites the document; curators review them on the staff side and
    correct a value with a `CuratedValue`.
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="findings")
    position = models.PositiveIntegerField(default=0)
    field = models.TextField(help_text='The record key it set ("date", "people", "source.parts.fond").')
    value = models.JSONField(null=True, blank=True)
    source = models.TextField(help_text='Where it was read: a field and character span ("texts[0]:120-138").')
    evidence = models.TextField(blank=True, default="")
    confidence = models.FloatField()
    enricher = models.CharField(max_length=32)

    class Meta:
        ordering = ["document", "position"]

    def __str__(self) -> str:
        return f"{self.enricher} → {self.field}"


class CuratedValue(models.Model):
    """A curator's value for one key of a document's record; every later ingest applies it again.

    The value is the record's JSON for that key (see `fonds.curation`), so it wins over both the
    source file and the enrichers, whatever the file says next time.
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="curated_values")
    field = models.CharField(max_length=32, choices=[(key, key) for key in CURATABLE])
    value = models.JSONField(null=True, blank=True)
    curator = models.TextField(blank=True, default="")
    note = models.TextField(blank=True, default="", help_text="Why (a source, a reason).")
    at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["field"]
        constraints = [models.UniqueConstraint(fields=["document", "field"], name="curated_value_once")]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.field}"


class Change(models.Model):
    """The change log: one row per catalog write, in the same transaction, for the indexer."""

    class Op(models.TextChoices):
        UPSERT = "upsert"
        DELETE = "delete"

    seq = models.BigAutoField(primary_key=True)
    document_id = models.CharField(max_length=160, db_index=True)
    op = models.CharField(max_length=8, choices=Op.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["seq"]


class SourceFile(models.Model):
    """A file ingested into the catalog, so an unchanged file is recognised and skipped."""

    path = models.TextField(unique=True)
    sha256 = models.CharField(max_length=64)
    format = models.TextField()
    records = models.PositiveIntegerField(default=0)
    ingested_at = models.DateTimeField(auto_now=True)


class PageImage(models.Model):
    """One page image (scan) of a document; `path` is relative to the archive's media folder.

    The table keeps the name it had when this model lived in the IIIF app.
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="page_images")
    position = models.PositiveIntegerField(help_text="1 for the first page.")
    path = models.TextField(help_text="File path relative to the archive's media folder.")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    label = models.TextField(blank=True, default="")

    class Meta:
        db_table = "fonds_iiif_pageimage"
        ordering = ["document", "position"]
        constraints = [models.UniqueConstraint(fields=["document", "position"], name="page_image_position_once")]

    def __str__(self) -> str:
        return f"{self.document_id} p. {self.position}"


class Revision(models.Model):
    """One change to a document or an authority record: who, when, through which road, the old and
    new value of each key that changed, and the record as it was after the change.

    Every write of `catalog.store` adds one, in the same transaction as the change itself, so the
    history is as complete as the change log. `snapshot` is the record's JSON without its
    provenance and with each text layer reduced to a digest (texts come from the source file only
    and are not restored); it is what a restore goes back to.
    """

    class Road(models.TextChoices):
        INGEST = "ingest"
        HARVEST = "harvest"
        ADMIN = "admin"
        API = "api"
        WORKFLOW = "workflow"
        BULK = "bulk"
        RESTORE = "restore"
        EMBARGO = "embargo"
        CLI = "cli"

    kind = models.CharField(max_length=16, help_text='"document" or an authority kind ("person", ...).')
    object_id = models.CharField(max_length=200, help_text="The document id, or the authority's key.")
    at = models.DateTimeField(auto_now_add=True)
    user = models.TextField(blank=True, default="", help_text="Who made the change (empty: the system).")
    road = models.CharField(max_length=16, choices=Road.choices)
    note = models.TextField(blank=True, default="")
    created = models.BooleanField(default=False, help_text="The record's first version (its values are the snapshot's).")
    changes = models.JSONField(default=dict, help_text="{key: [old value, new value]} for each key that changed.")
    snapshot = CompressedTextField(help_text="The record's JSON after the change.")

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["kind", "object_id", "id"], name="revision_object")]

    def __str__(self) -> str:
        return f"{self.object_id} by {self.user or self.road} at {self.at:%Y-%m-%d %H:%M}"

    def differences(self) -> dict[str, list]:
        """{key: [old, new]}: what changed; for a first version, each value it has (the snapshot's,
        not stored twice)."""
        if not self.created:
            return self.changes
        return {key: [None, value] for key, value in json.loads(self.snapshot).items() if value not in (None, [], {}, "")}


class PendingLink(Mention):
    """The curator queue: links below the confidence threshold that no curator accepted yet."""

    class Meta:
        proxy = True
        verbose_name = gettext_lazy("pending link")
        verbose_name_plural = gettext_lazy("pending links")
