"""The curator's view of a document (Django admin): what the enrichers found, and curated values.

A document's own fields are read-only here: they come from its source file, and a curator corrects
one by setting a curated value for that record key, which every later ingest applies again (see
`fonds.curation`). Saving a curated value rewrites the document at once, with a change-log row, so
the search index and the public pages follow.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.html import format_html

from fonds import curation
from fonds.catalog import models as m
from fonds.catalog.store import apply_curation, curated_record, documents_with_details


class CuratedValueForm(forms.ModelForm):
    """A curated value as a curator types it; checked against the document's record before saving."""

    typed = forms.CharField(label="Value", required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
                            help_text="Per field: " + " ".join(f"{k}: {v}" for k, v in curation.CURATABLE.items()
                                                               if k in ("date", "classification", "people")))

    class Meta:
        model = m.CuratedValue
        fields = ("field", "typed", "note")
        widgets = {"note": forms.TextInput(attrs={"size": 40})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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


class CuratedValueInline(admin.TabularInline):
    model = m.CuratedValue
    form = CuratedValueForm
    extra = 1
    readonly_fields = ("curator", "at")
    verbose_name = "curated value (wins over the source file and the enrichers at every ingest)"


class FindingInline(admin.TabularInline):
    model = m.Finding
    fields = ("enricher", "field", "shown_value", "evidence", "source", "confidence", "overridden")
    readonly_fields = fields
    can_delete = False
    extra = 0
    verbose_name = "enricher finding"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        # `overridden` reads each finding's document's curated values: two queries, not one per finding.
        return super().get_queryset(request).prefetch_related("document__curated_values")

    @admin.display(description="value")
    def shown_value(self, finding: m.Finding) -> str:
        value = finding.value
        if isinstance(value, dict):
            return value.get("name") or value.get("edtf") or value.get("marking") or str(value)
        return "undated" if value is None and finding.field == "date" else str(value)

    @admin.display(description="overridden by a curator", boolean=True)
    def overridden(self, finding: m.Finding) -> bool:
        top = finding.field.split(".")[0]
        return any(curated.field == top for curated in finding.document.curated_values.all())


@admin.register(m.Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "type", "date_display", "status", "public_link")
    list_filter = ("status", "classification_level", "provenance_format")
    search_fields = ("id", "title")
    inlines = (CuratedValueInline, FindingInline)
    exclude = ("topics", "subjects")
    show_full_result_count = False  # counting a million rows on every list page is slow on PostgreSQL

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in m.Document._meta.concrete_fields]

    def has_add_permission(self, request) -> bool:
        return False  # documents come in through ingest, harvest or the API

    @admin.display(description="page")
    def public_link(self, document: m.Document) -> str:
        return format_html('<a href="{}">view</a>', document.get_absolute_url())

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is m.CuratedValue:
            for item in formset.save(commit=False):
                item.curator = request.user.get_username()
                item.save()
            for item in formset.deleted_objects:
                item.delete()
            return
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        apply_curation(form.instance.pk)
