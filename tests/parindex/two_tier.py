"""A province appraised by area (after 1/7/2025), on top of the `world` fixture: a coordinator of
Sở Nội vụ (an appraiser over the whole province), the justice department appraising area 1 for every
commune, a finance officer appraising criterion 2.1 for commune A only; the rest of area 2 falls to
the coordinator."""

from communes.models import Role, UnitKind
from communes.services import membership_grant
from parindex.models import Item
from parindex.services.assignments import assignment_save
from tests.factories import UnitFactory, UserFactory


class TwoTier:
    pass


def two_tier(world):
    t = TwoTier()
    t.world = world
    t.justice = UnitFactory(name="Sở Tư pháp", kind=UnitKind.DEPARTMENT, code="STP", parent=world.province)
    t.finance = UnitFactory(name="Sở Tài chính", kind=UnitKind.DEPARTMENT, code="STC", parent=world.province)

    def person(username, unit):
        user = UserFactory(username=username)
        membership_grant(user=user, unit=unit, role=Role.APPRAISER)
        return user

    t.coordinator = person("sonoivu", world.province)
    t.justice_appraiser = person("sotuphap", t.justice)
    t.justice_colleague = person("sotuphap2", t.justice)
    t.finance_appraiser = person("sotaichinh", t.finance)
    items = {i.code: i for i in Item.objects.filter(criteria_set=world.year.criteria_set)}
    t.items = items
    t.area1 = assignment_save(year=world.year, actor=t.coordinator, item=items["1"], team=t.justice)
    t.crit21 = assignment_save(year=world.year, actor=t.coordinator, item=items["2.1"],
                               appraiser=t.finance_appraiser, communes=[world.commune_a])
    return t
