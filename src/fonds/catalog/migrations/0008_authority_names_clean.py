"""Authority names and name variants are trimmed and hold no control characters (no line breaks).

First repairs the rows an older enricher wrote ("Washington, Eisenhower\n\n"): control characters
become spaces, runs of whitespace one space, and the name is trimmed of spaces and trailing commas
or colons; an authority whose name is then empty takes its key, an empty variant is dropped. Then
adds a check constraint on each name column, so that no later code can write such a name again.
Self-contained: the rules are written out here, not imported.
"""

import re

from django.db import migrations, models
from django.db.models.functions import Trim

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
SPACES = re.compile(r"\s+")
CHUNK = 1000


def clean(name: str) -> str:
    return SPACES.sub(" ", CONTROL.sub(" ", name or "")).strip().strip(" ,;:")


def clean_condition(field: str) -> models.Q:
    condition = models.Q(**{field: Trim(field)})
    for code in [*range(1, 32), 127]:
        condition &= ~models.Q(**{f"{field}__contains": chr(code)})
    return condition & ~models.Q(**{field: ""})


def repair(apps, schema_editor) -> None:
    for model_name, fallback in (("Authority", "key"), ("NameVariant", None)):
        model = apps.get_model("catalog", model_name)
        bad = []
        for pk, name, *rest in model.objects.order_by("pk").values_list("pk", "name", *([fallback] if fallback else [])).iterator(CHUNK):
            fixed = clean(name)
            if fixed != name:
                bad.append((pk, fixed or (rest[0] if rest else "")))
        for pk, fixed in bad:
            if fixed:
                model.objects.filter(pk=pk).update(name=fixed)
            else:
                model.objects.filter(pk=pk).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0007_repair_values_refused_at_the_door")]

    operations = [
        migrations.RunPython(repair, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="authority",
            constraint=models.CheckConstraint(condition=clean_condition("name"), name="authority_name_clean")),
        migrations.AddConstraint(
            model_name="namevariant",
            constraint=models.CheckConstraint(condition=clean_condition("name"), name="name_variant_clean")),
    ]
