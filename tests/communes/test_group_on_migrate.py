import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from communes.services import PROVINCE_ADMIN_GROUP


@pytest.mark.django_db
def test_migrate_gives_the_province_admin_group_its_permissions():
    Group.objects.filter(name=PROVINCE_ADMIN_GROUP).delete()
    call_command("migrate", verbosity=0)
    codenames = set(Group.objects.get(name=PROVINCE_ADMIN_GROUP).permissions.values_list("codename", flat=True))
    assert {"change_criteriaset", "change_evaluationyear", "change_unit", "add_user"} <= codenames
