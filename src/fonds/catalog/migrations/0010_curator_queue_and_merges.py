"""The curator queue and merged authorities.

Links keep the confidence of the enricher that made them (`Mention.confidence`); those below the
`link_threshold` setting wait for a curator (`Mention.pending`) and curators' decisions on them are
kept (`LinkDecision`); an authority merged into another points at it (`Authority.merged_into`).
Existing links get their confidence from the findings the catalog holds, and the doubtful ones go
into the queue, unless a curator set that role's links (a curated value): an upgraded archive
stops publishing what it would not publish if ingested now.
"""

import django.db.models.deletion
from django.db import migrations, models

ROLES = ("authors", "recipients", "people", "organizations", "places")


def queue_doubtful_links(apps, schema_editor):
    from fonds.settings import get_settings

    threshold = get_settings().link_threshold
    Finding, Mention, CuratedValue = (apps.get_model("catalog", name) for name in ("Finding", "Mention", "CuratedValue"))
    curated = set(CuratedValue.objects.filter(field__in=ROLES).values_list("document_id", "field"))
    lowest: dict[tuple[str, str, str], float] = {}
    for doc_id, role, value, confidence in Finding.objects.filter(field__in=ROLES).values_list(
            "document_id", "field", "value", "confidence").iterator():
        if isinstance(value, dict) and value.get("id"):
            key = (doc_id, role, value["id"])
            lowest[key] = min(confidence, lowest.get(key, 1.0))
    for (doc_id, role, authority_key), confidence in lowest.items():
        pending = confidence < threshold and (doc_id, role) not in curated
        Mention.objects.filter(document_id=doc_id, role=role, authority__key=authority_key).update(
            confidence=confidence, pending=pending)


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0009_document_declassification'),
    ]

    operations = [
        migrations.CreateModel(
            name='PendingLink',
            fields=[
            ],
            options={
                'verbose_name': 'pending link',
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('catalog.mention',),
        ),
        migrations.AddField(
            model_name='authority',
            name='merged_into',
            field=models.ForeignKey(blank=True, help_text='The authority a curator merged this one into; its URL redirects there.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='merged', to='catalog.authority'),
        ),
        migrations.AddField(
            model_name='mention',
            name='confidence',
            field=models.FloatField(blank=True, help_text="The enricher's confidence; empty when the source or a curator gave the link.", null=True),
        ),
        migrations.AddField(
            model_name='mention',
            name='pending',
            field=models.BooleanField(db_index=True, default=False, help_text='Below the confidence threshold and not yet accepted: shown to no public channel.'),
        ),
        migrations.CreateModel(
            name='LinkDecision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('authors', 'Author'), ('recipients', 'Recipient'), ('people', 'Person'), ('organizations', 'Organization'), ('places', 'Place')], max_length=16)),
                ('found', models.CharField(help_text='The authority key the enricher linked.', max_length=160)),
                ('verdict', models.CharField(choices=[('accept', 'Accept'), ('reject', 'Reject'), ('relink', 'Relink')], max_length=8)),
                ('target', models.CharField(blank=True, default='', help_text='For relink: the authority key chosen.', max_length=160)),
                ('target_name', models.TextField(blank=True, default='')),
                ('curator', models.TextField(blank=True, default='')),
                ('note', models.TextField(blank=True, default='')),
                ('at', models.DateTimeField(auto_now=True)),
                ('document', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='link_decisions', to='catalog.document')),
            ],
            options={
                'ordering': ['document', 'role', 'found'],
                'constraints': [models.UniqueConstraint(fields=('document', 'role', 'found'), name='link_decision_once')],
            },
        ),
        migrations.RunPython(queue_doubtful_links, migrations.RunPython.noop),
    ]
