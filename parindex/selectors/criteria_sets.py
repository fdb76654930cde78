"""Who sees and who edits which criteria set: a set belongs to a province (its administrators edit it)
or is a national template (province null: every province sees, uses and copies it; only a superuser
edits it). Every admin page, form choice and list filter over sets goes through these."""

from django.db.models import Q

from communes.models import PROVINCE_KINDS, Role, Unit
from communes.selectors import memberships_of, user_has_role_over
from parindex.models import CriteriaSet


def provinces_administered_by(user):
    """The provinces the user may own sets for: every province for a superuser, else those where the
    user is a province administrator."""
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    provinces = Unit.objects.filter(kind__in=PROVINCE_KINDS)
    if user.is_superuser:
        return provinces
    ids = [m.unit_id for m in memberships_of(user) if m.role == Role.PROVINCE_ADMIN]
    return provinces.filter(pk__in=ids)


def criteria_sets_visible_to(user):
    """National templates and the sets of the provinces the user administers."""
    if not getattr(user, "is_authenticated", False):
        return CriteriaSet.objects.none()
    if user.is_superuser:
        return CriteriaSet.objects.all()
    return CriteriaSet.objects.filter(Q(province__isnull=True) | Q(province__in=provinces_administered_by(user)))


def criteria_sets_editable_by(user):
    """Sets whose content the user may change (frozen or not: freezing is checked by the services)."""
    if not getattr(user, "is_authenticated", False):
        return CriteriaSet.objects.none()
    if user.is_superuser:
        return CriteriaSet.objects.all()
    return CriteriaSet.objects.filter(province__in=provinces_administered_by(user))


def criteria_set_editable_by(*, user, criteria_set):
    if user.is_superuser:
        return True
    return criteria_set.province_id is not None and user_has_role_over(
        user, criteria_set.province, [Role.PROVINCE_ADMIN])


def criteria_set_usable_for(*, criteria_set, scope):
    """A year of `scope` may use national templates and its own province's sets."""
    return criteria_set.province_id is None or criteria_set.province_id == scope.pk
