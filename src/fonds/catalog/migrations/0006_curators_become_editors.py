"""Users of the former "curators" group (fonds user create before roles) become editors, which may
do all a curator could and take the workflow's steps; the role groups get their permissions after
the migration (fonds.staff's post_migrate)."""

from django.db import migrations


def curators_to_editors(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    curators = Group.objects.filter(name="curators").first()
    if curators is None:
        return
    editors, _ = Group.objects.get_or_create(name="editor")
    for user in curators.user_set.all():
        user.groups.add(editors)
    curators.delete()


class Migration(migrations.Migration):

    dependencies = [("catalog", "0005_revisions_history"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(curators_to_editors, migrations.RunPython.noop)]
