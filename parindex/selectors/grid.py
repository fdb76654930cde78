"""The compact grid view of the score sheet and the appraisal sheet: which filters each leaf of the
read model (selectors.tree) answers to, and how many leaves each filter holds.

Everything is computed from the rows already loaded by `assessment_tree`, so the grid costs no query
per row. The filters are chosen through the query string (`?view=grid&loc=…`), so they work without
JavaScript; static/js/sheet-grid.js applies the same marks instantly."""

from dataclasses import dataclass, field

UNSCORED = "chua-cham"
ERRORS = "co-loi"
NO_EVIDENCE = "thieu-minh-chung"
FLAGGED = "giai-trinh"
ROUND2 = "vong-2"

FILTERS = (
    (UNSCORED, "Chưa chấm"),
    (ERRORS, "Có lỗi"),
    (NO_EVIDENCE, "Thiếu tài liệu kiểm chứng"),
    (FLAGGED, "Bị yêu cầu giải trình"),
    (ROUND2, "Vòng 2"),
)
SELF = "self"
APPRAISAL = "appraisal"


@dataclass
class GridFilter:
    key: str
    label: str
    count: int
    active: bool


@dataclass
class SheetGrid:
    filters: list
    chosen: str  # "" = every leaf
    leaves: list = field(default_factory=list)

    @property
    def shown_count(self):
        return sum(1 for leaf in self.leaves if not leaf.grid_hidden)


def view_of(params):
    """"grid" or "cards" from the query string (or a POST carrying the page's view)."""
    return "grid" if params.get("view") == "grid" else "cards"


def filter_of(params):
    chosen = params.get("loc", "")
    return chosen if chosen in dict(FILTERS) else ""


def _is_unscored(leaf, side):
    score = leaf.score
    if side == SELF:
        return leaf.is_self_scored and not leaf.is_scored
    return not score.not_applicable and score.appraised_score is None and score.round2_score is None


# From the return for explanation on, a flagged item is a round-2 item (explained, then scored again).
ROUND2_STATUSES = frozenset({"returned", "explained", "appraised", "approved", "published"})


def _in_round2(leaf, round2_open):
    score = leaf.score
    return score.round2_score is not None or (round2_open and score.flagged)


def leaf_marks(*, leaf, side, round2_open, failing):
    """The filters one leaf answers to."""
    score = leaf.score
    marks = set()
    if _is_unscored(leaf, side):
        marks.add(UNSCORED)
    leaf.grid_check_error = any(check.is_error for check in getattr(leaf, "checks", None) or [])
    if score.id in failing or leaf.grid_check_error:
        marks.add(ERRORS)
    if (not score.not_applicable and score.self_score is not None and score.self_score > 0
            and not leaf.evidence):
        marks.add(NO_EVIDENCE)
    if score.flagged:
        marks.add(FLAGGED)
    if _in_round2(leaf, round2_open):
        marks.add(ROUND2)
    return marks


def failing_items(leaves, errors_of):
    """The items a refused save failed on, in sheet order: code, anchor and every message, for the
    list at the top of the page."""
    failing = []
    for leaf in leaves:
        errors = errors_of(leaf)
        if errors:
            failing.append({"code": leaf.item.code, "name": leaf.item.name, "messages": list(errors.values()),
                            "score_id": leaf.score.id})
    return failing


def grid_query(*, view, chosen=""):
    """The query string that keeps the chosen view and filter (after a save, in links)."""
    if view != "grid":
        return ""
    return "?view=grid" + (f"&loc={chosen}" if chosen else "")


def sheet_grid(*, assessment, leaves, side, chosen="", failing=frozenset(), areas=()):
    """Marks every leaf (`grid_marks`, `grid_hidden`) and counts the leaves of each filter.

    `failing` holds the ids of the scores whose last save on this page was refused (an invalid value,
    a conflict); failing cross-checks of error severity count as errors too."""
    round2_open = assessment.status in ROUND2_STATUSES
    counts = dict.fromkeys(dict(FILTERS), 0)
    for leaf in leaves:
        leaf.grid_marks = leaf_marks(leaf=leaf, side=side, round2_open=round2_open, failing=failing)
        leaf.grid_marks_text = " ".join(sorted(leaf.grid_marks))
        leaf.grid_hidden = bool(chosen) and chosen not in leaf.grid_marks
        for key in leaf.grid_marks:
            counts[key] += 1
    for area in areas:
        area.grid_hidden = bool(chosen) and all(r.grid_hidden for r in area.rows if r.is_leaf)
    filters = [GridFilter(key=key, label=label, count=counts[key], active=key == chosen) for key, label in FILTERS]
    return SheetGrid(filters=filters, chosen=chosen, leaves=list(leaves))
