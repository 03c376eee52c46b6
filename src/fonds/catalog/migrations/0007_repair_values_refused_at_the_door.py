"""Values that ingest now refuses at the door (fonds.records) but an older catalog may hold: a
rights URI that is not http(s) (`javascript:...`) and a date that is not EDTF. Reading such a
document back into a record would fail, so its page would not open. Nothing is lost: the URI moves
into the rights statement as text, and the date's text stays as its display form."""

from django.db import migrations
from pydantic import ValidationError

from fonds.records import Rights, edtf_problem


def _unsafe(uri: str) -> bool:
    try:
        Rights(uri=uri)
    except ValidationError:
        return True
    return False


def repair(apps, schema_editor) -> None:
    Document = apps.get_model("catalog", "Document")
    for doc in Document.objects.exclude(rights_uri="").only("id", "rights_uri", "rights_statement").iterator():
        if _unsafe(doc.rights_uri):
            doc.rights_statement = "\n".join(part for part in (doc.rights_statement, doc.rights_uri) if part)
            doc.rights_uri = ""
            doc.save(update_fields=["rights_uri", "rights_statement"])
    for doc in Document.objects.exclude(date_edtf="").only("id", "date_edtf", "date_display").iterator():
        if edtf_problem(doc.date_edtf):
            doc.date_display = doc.date_display or doc.date_edtf
            doc.date_edtf = ""
            doc.date_min = doc.date_max = None
            doc.save(update_fields=["date_edtf", "date_display", "date_min", "date_max"])


class Migration(migrations.Migration):

    dependencies = [("catalog", "0006_curators_become_editors")]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
