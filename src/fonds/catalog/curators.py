"""Staff accounts for the curator's side (`fonds user create`): curators, and administrators.

A curator may look at documents and their findings and set curated values, nothing else; an
administrator may do everything the admin offers. Finer roles and workflow come with the staff UI.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

CURATORS = "curators"
CURATOR_PERMISSIONS = ("view_document", "change_document", "view_finding", "view_curatedvalue",
                       "add_curatedvalue", "change_curatedvalue", "delete_curatedvalue")


def curators_group() -> Group:
    """The group curators belong to, with exactly the permissions above."""
    group, _ = Group.objects.get_or_create(name=CURATORS)
    group.permissions.set(Permission.objects.filter(content_type__app_label="catalog", codename__in=CURATOR_PERMISSIONS))
    return group


@transaction.atomic
def create_user(username: str, password: str, admin: bool = False):
    """Create (or update the password and role of) a staff user; returns the user. A password that
    Django's validators refuse (too short, too common, all digits, like the user name) is a
    ValueError listing every reason, and changes nothing."""
    if not username.strip() or not password:
        raise ValueError("a user needs a name and a non-empty password")
    user, _ = get_user_model().objects.get_or_create(username=username.strip())
    try:
        validate_password(password, user)
    except ValidationError as error:
        transaction.set_rollback(True)  # a user created just now goes again
        raise ValueError("the password is refused: " + " ".join(error.messages)) from None
    user.set_password(password)
    user.is_staff, user.is_superuser = True, admin
    user.save()
    if not admin:
        user.groups.add(curators_group())
    return user
