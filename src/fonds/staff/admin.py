"""The staff side (Django admin): a document's findings, curated values, workflow and history; the
curator queue of doubtful links; authority records with merge and split.

A document's own fields are read-only here: they come from its source file, and a curator corrects
one by setting a curated value for that record key, which every later ingest applies again (see
`fonds.curation`). Every change goes through `fonds.archive.changes` (roles checked, change log,
history). Documents are never deleted: they are withdrawn. The history page lists every version
with what changed, who changed it and how, and restores an older one.
"""

from __future__ import annotations

import json
from datetime import date

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext as _, gettext_lazy

from fonds import curation
from fonds.archive import changes, roles
from fonds.catalog import models as m
from fonds.catalog.store import curated_record, documents_with_details
from fonds.staff import jobs  # noqa: F401 - registers the jobs page beside the documents

Road = m.Revision.Road


class CuratedValueForm(forms.ModelForm):
    """A curated value as a curator types it; checked against the document's record before saving."""

    typed = forms.CharField(label=gettext_lazy("Value"), required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
                            help_text=gettext_lazy("Per field:") + " " + " ".join(f"{k}: {v}" for k, v in curation.CURATABLE.items()
                                                               if k in ("date", "classification", "people")))

    class Meta:
        model = m.CuratedValue
        fields = ("field", "typed", "note")
        widgets = {"note": forms.TextInput(attrs={"size": 40})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Status and embargo are workflow decisions: the buttons and the embargo form above set them.
        self.fields["field"].choices = [("", "---------")] + [
            (key, key) for key in curation.CURATABLE if key not in changes.WORKFLOW_KEYS]
        if self.instance.pk:
            self.fields["typed"].initial = curation.show(self.instance.field, self.instance.value)

    def clean(self):
        data = super().clean()
        field = data.get("field")
        if not field or self.errors:
            return data
        try:
            value = curation.parse(field, data.get("typed", ""))
            doc_id = self.instance.document_id  # set by the inline formset before validation
            curated_record(documents_with_details(m.Document.objects.filter(pk=doc_id)).get(), {field: value})
        except curation.CurationError as error:
            raise forms.ValidationError(str(error)) from None
        self.instance.value = value
        return data


class CuratedValueInline(admin.StackedInline):
    # Stacked rather than tabular: each field gets its own label (a table's cells had none: axe label).
    model = m.CuratedValue
    form = CuratedValueForm
    extra = 1
    readonly_fields = ("curator", "at")
    verbose_name = gettext_lazy("curated value (wins over the source file and the enrichers at every ingest)")

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(field__in=changes.WORKFLOW_KEYS)


def findings_of(doc: m.Document) -> list[dict]:
    """The enrichers' findings on a document as the change form lists them (read-only): each with
    the value shown, its evidence and whether a curator overrode its field. Two queries however
    many findings there are."""
    curated = {value.field for value in doc.curated_values.all()}
    return [{"enricher": f.enricher, "field": f.field, "value": _shown_value(f), "evidence": f.evidence,
             "source": f.source, "confidence": f.confidence, "overridden": f.field.split(".")[0] in curated}
            for f in doc.findings.all()]


def _shown_value(finding: m.Finding) -> str:
    value = finding.value
    if isinstance(value, dict):
        return value.get("name") or value.get("edtf") or value.get("marking") or str(value)
    return _("undated") if value is None and finding.field == "date" else str(value)


class RecordedValues(admin.AllValuesFieldListFilter):
    """The values a field holds as filter links, the empty value named (an empty link has no name
    a screen reader could read: axe link-name)."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            yield {**choice, "display": _("none recorded")} if choice["display"] == "" else choice


def _bulk_action(action: str):
    def run(modeladmin, request, queryset):
        result = changes.bulk(request.user, list(queryset.values_list("pk", flat=True)), action)
        if result.done:
            modeladmin.message_user(request, _("%(action)s: %(count)d documents.") % {"action": changes.ACTION_LABELS[action], "count": len(result.done)})
        for doc_id, reason in result.failed.items():
            modeladmin.message_user(request, f"{doc_id}: {reason}", messages.ERROR)
    run.__name__ = f"bulk_{action}"
    return admin.action(description=format_lazy(gettext_lazy("{action} (selected documents)"),
                                             action=changes.ACTION_LABELS[action]))(run)


@admin.register(m.Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "type", "date_display", "status", "embargo_until", "public_link")
    list_filter = ("status", ("classification_level", RecordedValues), ("provenance_format", RecordedValues))
    search_fields = ("id", "title")
    inlines = (CuratedValueInline,)  # the findings are listed read-only by the change form (findings_of)
    exclude = ("topics", "subjects")
    actions = [_bulk_action(action) for action in changes.ACTIONS]
    show_full_result_count = False  # counting a million rows on every list page is slow on PostgreSQL
    change_form_template = "admin/catalog/document/change_form.html"
    object_history_template = "admin/catalog/document/history.html"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in m.Document._meta.concrete_fields]

    def get_actions(self, request):
        found = super().get_actions(request)
        found.pop("delete_selected", None)
        return found

    def has_add_permission(self, request) -> bool:
        return False  # documents come in through ingest, harvest or the API

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # never deleted: withdrawn, with the URL kept

    def has_view_permission(self, request, obj=None) -> bool:
        return roles.has_role(request.user, roles.READER)

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is None:
            return roles.has_role(request.user, roles.CONTRIBUTOR)
        return changes.may_edit(request.user, obj)

    @admin.display(description=gettext_lazy("page"))
    def public_link(self, document: m.Document) -> str:
        return format_html('<a href="{}">{}</a>', document.get_absolute_url(), _("view"))

    def save_model(self, request, obj, form, change) -> None:
        pass  # the document's own fields are read-only; curated values are saved in save_formset

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is not m.CuratedValue:
            return super().save_formset(request, form, formset, change)
        doc_id = form.instance.pk
        items = formset.save(commit=False)
        values = {item.field: item.value for item in items}
        notes = "; ".join(item.note for item in items if item.note)
        if values:
            changes.edit(request.user, doc_id, values, Road.ADMIN, note=notes)
        removed = [item.field for item in formset.deleted_objects]
        if removed:
            changes.uncurate(request.user, doc_id, removed, Road.ADMIN)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        doc = self.get_object(request, object_id)
        extra = {}
        if doc is not None:
            extra = {"workflow_actions": [(a, changes.ACTION_LABELS[a]) for a in changes.allowed_actions(request.user, doc)],
                     "may_embargo": roles.has_role(request.user, roles.EDITOR), "findings": findings_of(doc)}
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def get_urls(self):
        own = [
            path("<path:object_id>/workflow/", self.admin_site.admin_view(self.workflow_view), name="catalog_document_workflow"),
            path("<path:object_id>/embargo/", self.admin_site.admin_view(self.embargo_view), name="catalog_document_embargo"),
            path("<path:object_id>/history/<int:revision_id>/restore/", self.admin_site.admin_view(self.restore_view),
                 name="catalog_document_restore"),
        ]
        return own + super().get_urls()

    def _back(self, object_id: str) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:catalog_document_change", args=[object_id]))

    def _post(self, request: HttpRequest, object_id: str, change) -> HttpResponseRedirect:
        """Run a change from a staff form (POST only), reporting success or the reason it failed."""
        if request.method != "POST":
            return self._back(object_id)
        try:
            message = change()
            self.message_user(request, message)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
        except (changes.ChangeError, curation.CurationError) as error:
            self.message_user(request, str(error), messages.ERROR)
        return self._back(object_id)

    def workflow_view(self, request: HttpRequest, object_id: str):
        action = request.POST.get("action", "")
        note = request.POST.get("note", "").strip()

        def change():
            record = changes.transition(request.user, object_id, action, Road.WORKFLOW, note)
            return _("%(id)s is now %(status)s.") % {"id": object_id, "status": record.status}
        return self._post(request, object_id, change)

    def embargo_view(self, request: HttpRequest, object_id: str):
        typed = request.POST.get("embargo_until", "").strip()

        def change():
            try:
                until = date.fromisoformat(typed) if typed else None
            except ValueError:
                raise changes.ChangeError(_("embargo: “%(typed)s” is not a day (YYYY-MM-DD)") % {"typed": typed[:40]}) from None
            changes.set_embargo(request.user, object_id, until, Road.ADMIN)
            return (_("%(id)s: embargo until %(day)s.") % {"id": object_id, "day": until} if until
                    else _("%(id)s: no embargo.") % {"id": object_id})
        return self._post(request, object_id, change)

    def restore_view(self, request: HttpRequest, object_id: str, revision_id: int):
        def change():
            changes.restore(request.user, object_id, revision_id)
            return _("%(id)s: version %(version)s restored.") % {"id": object_id, "version": revision_id}
        return self._post(request, object_id, change)

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        doc = get_object_or_404(m.Document, pk=object_id)
        return history_page(self, request, doc, "document", doc.pk, may_restore=roles.has_role(request.user, roles.EDITOR))


def history_page(model_admin, request: HttpRequest, obj, kind: str, object_id: str, may_restore: bool):
    """Every version of a record, newest first, each with what changed (old and new), who changed
    it, when and through which road."""
    revisions = changes.history(request.user, kind, object_id)
    rows = [{"revision": rev, "changes": [(key, _shown(old), _shown(new)) for key, (old, new) in sorted(rev.differences().items())]}
            for rev in revisions]
    context = {**model_admin.admin_site.each_context(request), "title": _("History of %(record)s") % {"record": obj}, "object": obj,
               "object_id": object_id, "opts": model_admin.model._meta, "rows": rows, "may_restore": may_restore}
    return TemplateResponse(request, "admin/catalog/document/history.html", context)


def _shown(value) -> str:
    if value in (None, "", [], {}):
        return "—"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=1)


class MergeForm(forms.Form):
    target = forms.CharField(label=gettext_lazy("Merge into (id of the authority that stays)"), max_length=160)
    note = forms.CharField(label=gettext_lazy("Note (why)"), required=False, widget=forms.TextInput(attrs={"size": 60}))


class SplitForm(forms.Form):
    documents = forms.MultipleChoiceField(label=gettext_lazy("Documents that name someone else"), widget=forms.CheckboxSelectMultiple)
    name = forms.CharField(label=gettext_lazy("Name of the new authority"), max_length=500)
    note = forms.CharField(label=gettext_lazy("Note (why)"), required=False, widget=forms.TextInput(attrs={"size": 60}))


class RelinkForm(forms.Form):
    target = forms.CharField(label=gettext_lazy("Link the name to (authority id)"), max_length=160)
    note = forms.CharField(label=gettext_lazy("Note (why)"), required=False, widget=forms.TextInput(attrs={"size": 60}))


def curator_form(model_admin, request: HttpRequest, title: str, form: forms.Form, intro: str = "",
                 candidates=()) -> TemplateResponse:
    """The page of one curator's form (merge, split, relink), with authorities to choose from."""
    context = {**model_admin.admin_site.each_context(request), "title": title, "form": form, "intro": intro,
               "candidates": candidates, "opts": model_admin.model._meta}
    return TemplateResponse(request, "admin/catalog/curator_form.html", context)


def similar_authorities(row: m.Authority, limit: int = 12) -> list[m.Authority]:
    """Authorities of the same kind whose names hold the first letters of this one's surname (the
    part before the comma of "Surname, Given", else the last word), for a curator to choose from."""
    surname = row.name.split(",")[0] if "," in row.name else row.name.split()[-1]
    return list(m.Authority.objects.filter(kind=row.kind, merged_into=None, name__icontains=surname.strip()[:6])
                .exclude(pk=row.pk).order_by("name")[:limit])


class CuratorViews:
    """The page of a curator's form (merge, split, relink): on a valid POST it runs the change and
    goes where the change says with its message; a change refused for its values shows the form
    again with the reason, one the user may not make goes back to `back`."""

    def _form_page(self, request: HttpRequest, form: forms.Form, change, back: str, title: str, intro: str,
                   candidates=()):
        if request.method == "POST" and form.is_valid():
            try:
                message, where = change(form.cleaned_data)
                self.message_user(request, message)
                return HttpResponseRedirect(where)
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
                return HttpResponseRedirect(back)
            except changes.ChangeError as error:
                self.message_user(request, str(error), messages.ERROR)
        return curator_form(self, request, title, form, intro, candidates)


@admin.register(m.PendingLink)
class PendingLinkAdmin(CuratorViews, admin.ModelAdmin):
    """The curator queue: links an enricher made with a confidence below the threshold (setting
    `link_threshold`), shown nowhere public until an editor accepts them, rejects them or links the
    name to another authority. Decisions hold for every later ingest and `fonds enrich`."""

    list_display = ("document_link", "role", "name", "authority_link", "confidence", "evidence", "relink_link")
    list_display_links = None  # the document column is a link of its own (a link in a link has no name: axe link-name)
    list_filter = ("role",)
    search_fields = ("name", "authority__name", "document__id", "document__title")
    actions = ["accept", "reject"]
    list_per_page = 50

    def get_queryset(self, request):
        return changes.pending_links().prefetch_related("document__findings")

    def has_view_permission(self, request, obj=None) -> bool:
        return roles.has_role(request.user, roles.READER)

    def has_change_permission(self, request, obj=None) -> bool:
        return roles.has_role(request.user, roles.EDITOR)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request):
        found = super().get_actions(request)
        found.pop("delete_selected", None)
        return found if roles.has_role(request.user, roles.EDITOR) else {}

    @admin.display(description=gettext_lazy("document"))
    def document_link(self, mention: m.Mention) -> str:
        url = reverse("admin:catalog_document_change", args=[mention.document_id])
        return format_html('<a href="{}">{}</a>', url, mention.document.title[:80] or mention.document_id)

    @admin.display(description=gettext_lazy("linked to"))
    def authority_link(self, mention: m.Mention) -> str:
        url = reverse("admin:catalog_authority_change", args=[mention.authority_id])
        return format_html('<a href="{}">{}</a> <code>{}</code>', url, mention.authority.name, mention.authority.key)

    @admin.display(description=gettext_lazy("evidence (where the enricher read it)"))
    def evidence(self, mention: m.Mention) -> str:
        for finding in mention.document.findings.all():
            if finding.field == mention.role and isinstance(finding.value, dict) \
                    and finding.value.get("id") == mention.authority.key:
                return f"{finding.evidence} ({finding.enricher}, {finding.source})"
        return "—"

    @admin.display(description=gettext_lazy("relink"))
    def relink_link(self, mention: m.Mention) -> str:
        url = reverse("admin:catalog_pendinglink_relink", args=[mention.pk])
        return format_html('<a class="relink" href="{}">{}</a>', url, _("link to another authority"))

    def _decide_all(self, request, queryset, verdict: str) -> None:
        done = 0
        for mention_id in list(queryset.values_list("pk", flat=True)):
            try:
                changes.decide_link(request.user, mention_id, verdict, Road.ADMIN)
                done += 1
            except (changes.ChangeError, PermissionDenied) as error:
                self.message_user(request, str(error), messages.ERROR)
        if done:
            self.message_user(request, (_("Links accepted: %(count)d.") if verdict == m.LinkDecision.Verdict.ACCEPT
                                        else _("Links rejected: %(count)d.")) % {"count": done})

    @admin.action(description=gettext_lazy("Accept the selected links (publish them)"))
    def accept(self, request, queryset):
        self._decide_all(request, queryset, m.LinkDecision.Verdict.ACCEPT)

    @admin.action(description=gettext_lazy("Reject the selected links (take them off their documents)"))
    def reject(self, request, queryset):
        self._decide_all(request, queryset, m.LinkDecision.Verdict.REJECT)

    def get_urls(self):
        own = [path("<int:mention_id>/relink/", self.admin_site.admin_view(self.relink_view), name="catalog_pendinglink_relink")]
        return own + super().get_urls()

    def relink_view(self, request: HttpRequest, mention_id: int):
        mention = get_object_or_404(changes.pending_links(), pk=mention_id)
        back = reverse("admin:catalog_pendinglink_changelist")

        def change(data):
            changes.decide_link(request.user, mention_id, m.LinkDecision.Verdict.RELINK, Road.ADMIN, data["target"], data["note"])
            return _("Linked %(name)s in %(document)s to %(target)s.") % {
                "name": mention.name, "document": mention.document_id, "target": data["target"]}, back
        intro = _("%(document)s (%(role)s): “%(name)s”, linked to %(authority)s with confidence %(confidence)s.") % {
            "document": mention.document_id, "role": mention.role, "name": mention.name,
            "authority": mention.authority.key, "confidence": mention.confidence}
        return self._form_page(request, RelinkForm(request.POST or None), change, back, _("Link to another authority"), intro,
                               similar_authorities(mention.authority))


@admin.register(m.Authority)
class AuthorityAdmin(CuratorViews, admin.ModelAdmin):
    """Authority records: administrators correct names and descriptions; editors merge two records
    (every link moves, the names join, the old address redirects) and split one (choosing the
    documents that go to a new record). Every edit, merge and split is kept in the history."""

    list_display = ("name", "kind", "key", "dates", "merged_into")
    list_filter = ("kind",)
    search_fields = ("name", "key")
    fields = ("kind", "key", "name", "abbreviation", "dates", "description", "external_ids", "merged_into")
    readonly_fields = ("kind", "key", "merged_into")
    change_form_template = "admin/catalog/authority/change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {"may_curate": roles.has_role(request.user, roles.EDITOR)}
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def get_urls(self):
        own = [path("<int:object_id>/merge/", self.admin_site.admin_view(self.merge_view), name="catalog_authority_merge"),
               path("<int:object_id>/split/", self.admin_site.admin_view(self.split_view), name="catalog_authority_split")]
        return own + super().get_urls()

    def merge_view(self, request: HttpRequest, object_id: int):
        row = get_object_or_404(m.Authority, pk=object_id)

        def change(data):
            target = data["target"].strip()
            moved = changes.merge_authorities(request.user, row.kind, row.key, target, Road.ADMIN, data["note"])
            kept = m.Authority.objects.get(kind=row.kind, key=target)
            return (_("Merged %(key)s into %(target)s; documents moved: %(count)d.") % {"key": row.key, "target": target, "count": len(moved)},
                    reverse("admin:catalog_authority_change", args=[kept.pk]))
        intro = _("%(name)s (%(kind)s %(key)s) goes into the authority you name; its address will redirect there.") % {
            "name": row.name, "kind": row.kind, "key": row.key}
        return self._form_page(request, MergeForm(request.POST or None), change,
                               reverse("admin:catalog_authority_change", args=[row.pk]), _("Merge %(name)s") % {"name": row.name}, intro,
                               similar_authorities(row))

    def split_view(self, request: HttpRequest, object_id: int):
        row = get_object_or_404(m.Authority, pk=object_id)
        form = SplitForm(request.POST or None)
        linked = m.Document.objects.filter(mentions__authority=row).distinct().order_by("date_min", "id")
        form.fields["documents"].choices = [(doc.pk, f"{doc.pk}: {doc.title[:100]}") for doc in linked[:500]]

        def change(data):
            new = changes.split_authority(request.user, row.kind, row.key, data["documents"], data["name"], Road.ADMIN,
                                          data["note"])
            return (_("Split %(key)s; documents moved to %(new)s: %(count)d.") % {"key": row.key, "new": new.key, "count": len(data["documents"])},
                    reverse("admin:catalog_authority_change", args=[new.pk]))
        intro = _("Choose the documents of %(name)s (%(key)s) that name someone else; they go to a new %(kind)s.") % {
            "name": row.name, "key": row.key, "kind": row.kind}
        return self._form_page(request, form, change, reverse("admin:catalog_authority_change", args=[row.pk]),
                               _("Split %(name)s") % {"name": row.name}, intro)

    def has_add_permission(self, request) -> bool:
        return False  # authorities come with the documents that name them

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return roles.has_role(request.user, roles.READER)

    def has_change_permission(self, request, obj=None) -> bool:
        return roles.has_role(request.user, roles.ADMINISTRATOR)

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        row = get_object_or_404(m.Authority, pk=object_id)
        return history_page(self, request, row, row.kind, row.key, may_restore=False)

    def save_model(self, request, obj, form, change) -> None:
        changes.edit_authority(request.user, obj.kind, obj.key, {name: form.cleaned_data[name] for name in form.changed_data},
                               Road.ADMIN)
