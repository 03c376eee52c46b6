"""Staff roles, as Django groups: reader, contributor, editor, administrator.

Each role includes the ones before it:

- reader: reads everything in the reading room and the staff side (drafts, documents in review,
  embargoed and withdrawn ones), changes nothing;
- contributor: also corrects drafts (curated values) and sends them to review;
- editor: also corrects any document, publishes, sends back, withdraws, sets embargoes, restores
  older versions;
- administrator: also manages accounts and authority records (a Django superuser is one).

Anonymous visitors and signed-in users without a role see what the public sees.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

READER, CONTRIBUTOR, EDITOR, ADMINISTRATOR = "reader", "contributor", "editor", "administrator"
ROLES = (READER, CONTRIBUTOR, EDITOR, ADMINISTRATOR)
# Django permissions each role's group holds, so the admin shows each role what it may touch.
_VIEW = ["view_document", "view_finding", "view_curatedvalue", "view_revision", "view_authority", "view_topic"]
_CURATE = ["change_document", "add_curatedvalue", "change_curatedvalue", "delete_curatedvalue"]
PERMISSIONS = {
    READER: _VIEW,
    CONTRIBUTOR: _VIEW + _CURATE,
    EDITOR: _VIEW + _CURATE,
    ADMINISTRATOR: _VIEW + _CURATE + ["change_authority", "change_topic"],
}


def role_of(user) -> str | None:
    """The highest role of a user (None for anonymous visitors and users without one)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return ADMINISTRATOR
    cached = getattr(user, "_fonds_role", False)
    if cached is not False:
        return cached
    names = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
    role = next((name for name in reversed(ROLES) if name in names), None)
    user._fonds_role = role
    return role


def has_role(user, role: str) -> bool:
    """Whether `user` holds `role` or a higher one."""
    held = role_of(user)
    return held is not None and ROLES.index(held) >= ROLES.index(role)


def require(user, role: str, action: str) -> None:
    """Raise PermissionDenied (with a message naming the role needed) unless `user` holds `role`."""
    if not has_role(user, role):
        who = getattr(user, "get_username", lambda: "")() or _("an anonymous visitor")
        raise PermissionDenied(_("%(action)s needs the %(role)s role; %(who)s has %(held)s")
                               % {"action": action, "role": role, "who": who, "held": role_of(user) or _("none")})


def ensure_groups(**kwargs) -> None:
    """Create the role groups with their permissions (after every migrate)."""
    for role in ROLES:
        group(role)


def group(role: str) -> Group:
    """The group of a role, with exactly its permissions."""
    found, _ = Group.objects.get_or_create(name=role)
    found.permissions.set(Permission.objects.filter(content_type__app_label="catalog", codename__in=PERMISSIONS[role]))
    return found


@transaction.atomic
def assign(user, role: str) -> None:
    """Give `user` exactly `role` (and staff access to the admin); never changes a password."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r} (choose from {', '.join(ROLES)})")
    user.groups.remove(*Group.objects.filter(name__in=ROLES))
    user.groups.add(group(role))
    user.is_staff = True
    user.is_superuser = role == ADMINISTRATOR
    user.save(update_fields=["is_staff", "is_superuser"])
    user.__dict__.pop("_fonds_role", None)


@transaction.atomic
def create_user(username: str, password: str, role: str = EDITOR):
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
    user.save()
    assign(user, role)
    return user


def user_named(username: str):
    """The active user of that name; raises PermissionDenied naming it when there is none."""
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise PermissionDenied(f"no active user {username!r}")
    return user
