"""Who acts for which unit. The visibility rule of the whole product starts here:
a user sees the subtrees of the units they hold a role in (everything, for a superuser)."""

from functools import reduce
from operator import or_

from django.db.models import Q

from .models import Membership, Role, Unit


def memberships_of(user):
    """The user's roles, read once per request object and cached on it."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_par_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("unit"))
        user._par_memberships = cached
    return cached


def unit_paths_of(user, roles=None):
    return [m.unit.path for m in memberships_of(user) if roles is None or m.role in roles]


def _subtree_q(paths, field="path"):
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in paths))


def units_visible_to(user):
    """Every unit the user may see: the one visibility rule, for units."""
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    return Unit.objects.filter(_subtree_q(unit_paths_of(user)))


def unit_subtree_q(user, field="unit__path", roles=None):
    """A Q() limiting a queryset to units under the user's roles (optionally only some roles)."""
    if user.is_superuser and roles is None:
        return Q()
    return _subtree_q(unit_paths_of(user, roles), field=field)


def user_has_role_over(user, unit, roles):
    """True when one of the user's memberships in `roles` covers `unit` (same unit or an ancestor)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return any(m.role in roles and unit.path.startswith(m.unit.path) for m in memberships_of(user))


def user_primary_role(user):
    """The role that decides the user's landing page, by weight of responsibility."""
    if user.is_superuser:
        return Role.PROVINCE_ADMIN
    order = [Role.PROVINCE_ADMIN, Role.APPRAISER, Role.COMMUNE_LEADER, Role.COMMUNE_OFFICER, Role.VIEWER]
    roles = {m.role for m in memberships_of(user)}
    return next((r for r in order if r in roles), None)


def communes_under(unit):
    from .models import COMMUNE_KINDS

    return Unit.objects.filter(path__startswith=unit.path, kind__in=COMMUNE_KINDS)
