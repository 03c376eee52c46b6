from django.apps import AppConfig
from django.db.models.signals import post_migrate


class Config(AppConfig):
    name = "fonds.staff"
    label = "fonds_staff"
    verbose_name = "Staff"

    def ready(self) -> None:
        from fonds.archive.roles import ensure_groups

        # After migrate, when the permissions exist: the role groups, with exactly their permissions.
        post_migrate.connect(ensure_groups, sender=self, dispatch_uid="fonds-role-groups")
