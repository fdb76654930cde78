from communes.models import Role
from communes.selectors import memberships_of, user_primary_role


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    memberships = memberships_of(user)
    return {
        "nav_role": user_primary_role(user),
        "nav_roles": {m.role for m in memberships} | ({Role.PROVINCE_ADMIN} if user.is_superuser else set()),
        "nav_units": sorted({m.unit.display_name for m in memberships}),
        "Role": Role,
    }
