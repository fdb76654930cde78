"""Permission rules for actions on one object (django-rules). Lists never use these: they go through
the visibility selectors. Every predicate takes an Assessment, a Unit or an EvaluationYear."""

import rules

from .models import Role
from .selectors import memberships_of, user_has_role_over


def _unit_of(obj):
    if obj is None:
        return None
    if hasattr(obj, "unit"):
        return obj.unit
    if hasattr(obj, "scope"):
        return obj.scope
    return obj


def _role_predicate(*roles, name):
    @rules.predicate(name=name)
    def predicate(user, obj=None):
        unit = _unit_of(obj)
        return unit is not None and user_has_role_over(user, unit, roles)

    return predicate


is_commune_officer = _role_predicate(Role.COMMUNE_OFFICER, name="is_commune_officer")
is_commune_leader = _role_predicate(Role.COMMUNE_LEADER, name="is_commune_leader")
is_appraiser = _role_predicate(Role.APPRAISER, name="is_appraiser")
is_province_admin = _role_predicate(Role.PROVINCE_ADMIN, name="is_province_admin")
has_any_role = _role_predicate(*Role.values, name="has_any_role")
is_superuser = rules.is_superuser

APPRAISAL_VIEW_ROLES = (Role.APPRAISER, Role.PROVINCE_ADMIN, Role.VIEWER)


@rules.predicate(name="sees_appraisal")
def sees_appraisal(user, obj=None):
    """Appraisers, viewers and administrators read the appraisal side: over the object's unit, or,
    without an object (the queue, year pages filtered by visibility), anywhere."""
    if obj is None:
        return any(m.role in APPRAISAL_VIEW_ROLES for m in memberships_of(user))
    unit = _unit_of(obj)
    return unit is not None and user_has_role_over(user, unit, APPRAISAL_VIEW_ROLES)


@rules.predicate(name="is_assigned_appraiser")
def is_assigned_appraiser(user, obj=None):
    """An appraiser (or department) assigned areas of this assessment's year for its commune; without
    an object (the queue), anyone holding an assignment."""
    from parindex.selectors.assignments import assignments_of, is_assigned_to

    if obj is None:
        return bool(assignments_of(user))
    if not hasattr(obj, "year_id") or not hasattr(obj, "unit_id"):
        return False
    return is_assigned_to(user, obj)


@rules.predicate(name="coordinates_year")
def coordinates_year(user, obj=None):
    """The coordinator of a year (Sở Nội vụ): an appraiser or administrator over the year's whole scope."""
    scope = getattr(obj, "scope", None)
    return scope is not None and user_has_role_over(user, scope, (Role.APPRAISER, Role.PROVINCE_ADMIN))


can_view = is_superuser | has_any_role | is_assigned_appraiser
can_edit_self_assessment = is_commune_officer | is_commune_leader
can_approve_as_leader = is_commune_leader
can_appraise = is_appraiser | is_province_admin | is_superuser
can_administer = is_province_admin | is_superuser
can_view_appraisal = is_superuser | sees_appraisal | is_assigned_appraiser
# Scoring items: the coordinator or district appraiser (every unassigned item), or an assigned
# appraiser (their items only: the appraisal service decides which).
can_appraise_items = can_appraise | is_assigned_appraiser
can_manage_assignments = is_superuser | coordinates_year

rules.add_perm("parindex.view_assessment", can_view)
rules.add_perm("parindex.edit_self_assessment", can_edit_self_assessment)
rules.add_perm("parindex.submit_assessment", can_edit_self_assessment)
rules.add_perm("parindex.leader_approve_assessment", can_approve_as_leader)
rules.add_perm("parindex.edit_remedy_plan", can_edit_self_assessment)
rules.add_perm("parindex.appraise_assessment", can_appraise)
rules.add_perm("parindex.approve_assessment", can_appraise)
rules.add_perm("parindex.appraise_items", can_appraise_items)
rules.add_perm("parindex.manage_assignments", can_manage_assignments)
rules.add_perm("parindex.view_appraisal", can_view_appraisal)
rules.add_perm("parindex.publish_results", can_administer)
rules.add_perm("parindex.reopen_assessment", can_administer)
rules.add_perm("parindex.grant_lock_exception", can_administer)
rules.add_perm("parindex.manage_year", can_administer)
rules.add_perm("communes.manage_unit", can_administer)
