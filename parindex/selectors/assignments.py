"""Who appraises which items of which commune (appraisal assignments), read in one place: the
visibility rule, the permission predicate, the appraisal service, the queue, the coordinator's
progress view and the reports all ask these functions."""

from dataclasses import dataclass, field

from django.db.models import Q

from communes.models import DEPARTMENT_KINDS, Role
from communes.selectors import memberships_of
from parindex.models import AppraisalAssignment, Item, Score


def user_team_ids(user):
    """The departments (teams) the user appraises for: their appraiser roles held on a sở, ngành."""
    return [m.unit_id for m in memberships_of(user) if m.role == Role.APPRAISER and m.unit.kind in DEPARTMENT_KINDS]


@dataclass(frozen=True)
class _Grant:
    """One assignment as the permission checks need it (cached per request user)."""

    id: int
    year_id: int
    item_id: int
    commune_ids: frozenset | None  # None: every commune of the year


def assignments_of(user):
    """The user's own assignments (directly or through their department), read once per request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_par_assignments", None)
    if cached is None:
        teams = user_team_ids(user)
        rows = (AppraisalAssignment.objects.filter(Q(appraiser=user) | Q(team_id__in=teams))
                .prefetch_related("communes"))
        cached = [
            _Grant(a.id, a.year_id, a.item_id, frozenset(c.id for c in a.communes.all()) or None) for a in rows
        ]
        user._par_assignments = cached
    return cached


def assigned_assessments_q(user, prefix=""):
    """A Q() on Assessment (or, with `prefix`, on a model reaching it) for the communes of the
    years in which the user holds an assignment."""
    q = Q(pk__in=[])
    for grant in assignments_of(user):
        part = Q(**{f"{prefix}year_id": grant.year_id})
        if grant.commune_ids is not None:
            part &= Q(**{f"{prefix}unit_id__in": sorted(grant.commune_ids)})
        q |= part
    return q


def is_assigned_to(user, assessment):
    return any(g.year_id == assessment.year_id and (g.commune_ids is None or assessment.unit_id in g.commune_ids)
               for g in assignments_of(user))


def year_assignments(*, year):
    return list(
        AppraisalAssignment.objects.filter(year=year)
        .select_related("item", "appraiser", "team", "assigned_by").prefetch_related("communes")
        .order_by("item__sort_key")
    )


def _covers(assignment, unit_id):
    ids = getattr(assignment, "_commune_ids", None)
    if ids is None:
        ids = assignment._commune_ids = {c.id for c in assignment.communes.all()}
    return not ids or unit_id in ids


def _ancestors(item, by_id):
    """The item, its parent, … up to its area (most specific first)."""
    chain = []
    while item is not None:
        chain.append(item)
        item = by_id.get(item.parent_id)
    return chain


@dataclass
class Responsibility:
    """Per leaf of one assessment: the assignment responsible for it (None: the coordinator)."""

    by_leaf: dict = field(default_factory=dict)  # leaf item id -> AppraisalAssignment | None
    items: dict = field(default_factory=dict)  # item id -> Item

    @property
    def has_assignments(self):
        return any(a is not None for a in self.by_leaf.values())


def leaf_responsibility(*, year, unit_id, assignments=None, items=None):
    """Which assignment is responsible for each leaf of `year`'s set for the commune `unit_id`:
    the most specific assignment above the leaf (a criterion's before its area's) that covers it."""
    assignments = year_assignments(year=year) if assignments is None else assignments
    if items is None:
        items = {i.id: i for i in Item.objects.filter(criteria_set_id=year.criteria_set_id)}
    by_item = {a.item_id: a for a in assignments if _covers(a, unit_id)}
    by_leaf = {}
    for item in items.values():
        if not item.is_leaf:
            continue
        by_leaf[item.id] = next((by_item[i.id] for i in _ancestors(item, items) if i.id in by_item), None)
    return Responsibility(by_leaf=by_leaf, items=items)


def assignment_held_by(assignment, user):
    if assignment.appraiser_id is not None:
        return assignment.appraiser_id == user.id
    return assignment.team_id in user_team_ids(user)


def appraisable_item_ids(*, user, assessment, responsibility=None):
    """The leaves of `assessment` that `user` may appraise (score, comment, flag): those of their
    assignments, and, for the coordinator (an appraiser or administrator over the commune, as in the
    district flow of 2024), every leaf without an assignment."""
    responsibility = responsibility or leaf_responsibility(year=assessment.year, unit_id=assessment.unit_id)
    coordinator = user.has_perm("parindex.appraise_assessment", assessment)
    return {
        leaf for leaf, assignment in responsibility.by_leaf.items()
        if (assignment is None and coordinator) or (assignment is not None and assignment_held_by(assignment, user))
    }


def unfinished_assigned_leaves(*, assessment):
    """Codes of the assigned leaves still without a round-1 appraised score (applicable ones only)."""
    responsibility = leaf_responsibility(year=assessment.year, unit_id=assessment.unit_id)
    assigned = [leaf for leaf, a in responsibility.by_leaf.items() if a is not None]
    if not assigned:
        return []
    missing = Score.objects.filter(assessment=assessment, item_id__in=assigned, not_applicable=False,
                                   appraised_score__isnull=True).order_by("item__sort_key")
    return list(missing.values_list("item__code", flat=True))


@dataclass
class AreaCell:
    area: object
    assignees: list
    done: int = 0
    total: int = 0

    @property
    def finished(self):
        return self.total > 0 and self.done == self.total

    @property
    def started(self):
        return self.done > 0


@dataclass
class ProgressRow:
    assessment: object
    cells: list

    @property
    def assigned_done(self):
        return all(c.finished for c in self.cells if c.assignees)


def _leaf_done(score, round2):
    if score["not_applicable"]:
        return True
    if round2 and score["flagged"]:
        return score["round2_score"] is not None
    return score["appraised_score"] is not None


def appraisal_progress(*, year, assessments, only_items=None):
    """Commune × area: how many leaves are appraised, and by whom each area is appraised for that
    commune. Three queries whatever the number of communes. `only_items` limits the leaves counted
    (a department appraiser's own part)."""
    from parindex.models import AssessmentStatus

    assignments = year_assignments(year=year)
    items = {i.id: i for i in Item.objects.filter(criteria_set_id=year.criteria_set_id).order_by("sort_key")}
    areas = [i for i in items.values() if i.parent_id is None]
    ids = [a.id for a in assessments]
    scores = {}
    for s in Score.objects.filter(assessment_id__in=ids).values(
            "assessment_id", "item_id", "not_applicable", "appraised_score", "round2_score", "flagged"):
        scores.setdefault(s["assessment_id"], []).append(s)
    rows = []
    for assessment in assessments:
        responsibility = leaf_responsibility(year=year, unit_id=assessment.unit_id, assignments=assignments,
                                             items=items)
        round2 = assessment.status == AssessmentStatus.EXPLAINED
        cells = {a.id: AreaCell(area=a, assignees=[]) for a in areas}
        for s in scores.get(assessment.id, []):
            if only_items is not None and s["item_id"] not in only_items:
                continue
            cell = cells[items[s["item_id"]].area_id]
            cell.total += 1
            cell.done += _leaf_done(s, round2)
            assignment = responsibility.by_leaf.get(s["item_id"])
            if assignment is not None and assignment.assignee_name not in cell.assignees:
                cell.assignees.append(assignment.assignee_name)
        rows.append(ProgressRow(assessment=assessment, cells=[cells[a.id] for a in areas]))
    return areas, rows


@dataclass
class MyPart:
    """A department appraiser's part of one commune: their leaves, how many are appraised, which areas."""

    leaves: set
    done: int
    area_codes: list

    @property
    def todo(self):
        return len(self.leaves) - self.done


def my_items_in_year(*, user, year, assessments):
    """{assessment id: MyPart} for a user with assignments in `year` (department appraisers); None
    when the user has none (the whole sheet is theirs, as in the district flow). Three queries."""
    if not any(g.year_id == year.id for g in assignments_of(user)):
        return None
    assignments = year_assignments(year=year)
    items = {i.id: i for i in Item.objects.filter(criteria_set_id=year.criteria_set_id)}
    mine = {}
    for assessment in assessments:
        responsibility = leaf_responsibility(year=year, unit_id=assessment.unit_id, assignments=assignments,
                                             items=items)
        mine[assessment.id] = {leaf for leaf, a in responsibility.by_leaf.items()
                               if a is not None and assignment_held_by(a, user)}
    done = {}
    scores = Score.objects.filter(assessment_id__in=list(mine)).values(
        "assessment_id", "item_id", "not_applicable", "appraised_score", "round2_score", "flagged")
    by_id = {a.id: a for a in assessments}
    from parindex.models import AssessmentStatus

    for s in scores:
        if s["item_id"] in mine[s["assessment_id"]]:
            round2 = by_id[s["assessment_id"]].status == AssessmentStatus.EXPLAINED
            done[s["assessment_id"]] = done.get(s["assessment_id"], 0) + _leaf_done(s, round2)
    result = {}
    for aid, leaves in mine.items():
        codes = sorted({items[items[leaf].area_id].code for leaf in leaves}, key=lambda c: items_code_key(c))
        result[aid] = MyPart(leaves=leaves, done=done.get(aid, 0), area_codes=codes)
    return result


def items_code_key(code):
    return [int(p) if p.isdigit() else p for p in code.split(".")]


def assigned_appraiser_emails(*, assessment):
    """E-mail addresses of the appraisers assigned items of this commune in its year (directly or as
    members of the department), so that notifications and reminders reach them too."""
    from communes.models import Membership

    assignments = [a for a in year_assignments(year=assessment.year) if _covers(a, assessment.unit_id)]
    emails = {a.appraiser.email for a in assignments if a.appraiser_id and a.appraiser.is_active}
    teams = [a.team_id for a in assignments if a.team_id]
    if teams:
        emails |= set(Membership.objects.filter(unit_id__in=teams, role=Role.APPRAISER, user__is_active=True)
                      .values_list("user__email", flat=True))
    return sorted(e for e in emails if e)
