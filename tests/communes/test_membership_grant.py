import pytest
from django.contrib.auth.models import Group

from communes.models import Membership, Role
from communes.services import (
    PROVINCE_ADMIN_GROUP,
    MembershipError,
    membership_grant,
    membership_revoke,
)
from tests.factories import UserFactory


def test_granting_province_admin_makes_the_user_staff_in_the_group(world):
    user = UserFactory(username="new_admin")
    assert not user.is_staff
    membership_grant(user=user, unit=world.province, role=Role.PROVINCE_ADMIN)
    user.refresh_from_db()
    assert user.is_staff
    assert user.groups.filter(name=PROVINCE_ADMIN_GROUP).exists()
    assert user.has_perm("communes.change_unit")
    assert user.has_perm("parindex.add_criteriaset")
    assert user.has_perm("parindex.change_evaluationyear")
    assert user.has_perm("auth.add_user")
    assert not user.has_perm("auth.change_group")
    assert not user.has_perm("parindex.change_assessment")


def test_world_admin_is_a_staff_province_admin(world):
    world.admin.refresh_from_db()
    assert world.admin.is_staff and not world.admin.is_superuser
    assert world.admin.groups.filter(name=PROVINCE_ADMIN_GROUP).exists()


def test_other_roles_do_not_give_admin_access(world):
    for user in (world.officer_a, world.appraiser, world.viewer):
        user.refresh_from_db()
        assert not user.is_staff
        assert not user.groups.exists()


def test_revoking_the_last_province_admin_role_removes_admin_access(world):
    membership = Membership.objects.get(user=world.admin, role=Role.PROVINCE_ADMIN)
    membership_revoke(membership=membership)
    world.admin.refresh_from_db()
    assert not world.admin.is_staff
    assert not world.admin.groups.filter(name=PROVINCE_ADMIN_GROUP).exists()


def test_a_superuser_keeps_staff_when_roles_change(world):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    membership = membership_grant(user=root, unit=world.province, role=Role.PROVINCE_ADMIN)
    membership_revoke(membership=membership)
    root.refresh_from_db()
    assert root.is_staff


def test_granting_twice_creates_one_membership(world):
    membership_grant(user=world.officer_a, unit=world.commune_a, role=Role.COMMUNE_OFFICER)
    assert Membership.objects.filter(user=world.officer_a, role=Role.COMMUNE_OFFICER).count() == 1


def test_it_refuses_a_commune_role_on_a_district(world):
    with pytest.raises(MembershipError, match="phải gắn với một xã"):
        membership_grant(user=world.officer_a, unit=world.district, role=Role.COMMUNE_OFFICER)


def test_it_refuses_province_admin_on_a_commune(world):
    with pytest.raises(MembershipError, match="tỉnh"):
        membership_grant(user=world.officer_a, unit=world.commune_a, role=Role.PROVINCE_ADMIN)
    assert not Group.objects.get(name=PROVINCE_ADMIN_GROUP).user_set.filter(pk=world.officer_a.pk).exists()
