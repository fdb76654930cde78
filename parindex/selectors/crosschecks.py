"""The criteria set's cross-check rules evaluated on one assessment: the one place that decides
which rule fires, read by the pre-submit quality check, the score sheet and the appraisal sheet.
A fixed number of queries whatever the size of the set (none beyond the rules when it has none)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from parindex.models import CheckFigure, CheckKind, CheckSeverity, CrossCheckRule, Score, ScoringMethod
from parindex.numbers import format_percent, format_points
from parindex.selectors.appraisal import last_year_scores
from parindex.selectors.plan import plan_completion, service_figure_rates

SELF = "self"
APPRAISAL = "appraisal"


@dataclass
class CheckFinding:
    rule: CrossCheckRule
    item: object  # the Item the finding is shown beside (a leaf, or the heading the rule is declared on)
    detail: str
    score_id: int | None = None
    # A rule that cannot be judged (its figure is not entered yet) only warns: it must not block
    # a submission over data the commune may legitimately not have.
    undecided: bool = False

    @property
    def severity(self):
        return CheckSeverity.WARNING if self.undecided else self.rule.severity

    @property
    def is_error(self):
        return self.severity == CheckSeverity.ERROR

    @property
    def message(self):
        return f"{self.rule.message} ({self.detail})" if self.detail else self.rule.message

    @property
    def anchor(self):
        return f"item-{self.item.code}"


@dataclass
class CrossCheckResult:
    findings: list = field(default_factory=list)

    @property
    def errors(self):
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self):
        return [f for f in self.findings if not f.is_error]

    def by_item(self):
        """{item id: [findings]} for showing each finding beside its item."""
        grouped = {}
        for finding in self.findings:
            grouped.setdefault(finding.item.id, []).append(finding)
        return grouped


def _value(score, stage):
    """The score a rule reads: the commune's own, or on the appraisal sheet the appraiser's last word
    (falling back to the commune's claim while the item is not appraised yet)."""
    if score.not_applicable:
        return None
    if stage == APPRAISAL and score.final_score is not None:
        return score.final_score
    return score.self_score


class _Figures:
    """The commune's figures, read only when a rule asks for them."""

    def __init__(self, assessment):
        self.assessment = assessment
        self._rates = self._plan = None

    def rate(self, figure):
        """(value in %, year threshold in %, whether the year's threshold is met) for one figure."""
        if figure == CheckFigure.PLAN_COMPLETION:
            if self._plan is None:
                self._plan = plan_completion(assessment=self.assessment)
            return self._plan.done_percent, None, None
        if self._rates is None:
            self._rates = service_figure_rates(assessment=self.assessment)
        rate = {
            CheckFigure.ONLINE_RATE: self._rates.online,
            CheckFigure.FULLY_ONLINE_RATE: self._rates.fully_online,
            CheckFigure.DIGITISED_RATE: self._rates.digitised,
        }[figure]
        return rate.value, rate.threshold, rate.meets


def _figure_finding(rule, value, figures, max_points):
    rate, year_threshold, year_meets = figures.rate(rule.figure)
    threshold = rule.threshold if rule.threshold is not None else year_threshold
    if threshold is None:
        return None, False  # nothing to compare with: the year sets no threshold for this figure
    cap = rule.limit
    over = value > cap if cap is not None else value >= max_points
    if not over:
        return None, False
    label = CheckFigure(rule.figure).label
    label = label[0].lower() + label[1:]  # mid-sentence; "CCHC" keeps its capitals
    if rate is None:
        return f"chưa nhập {label}", True
    # A threshold the year sets is one to exceed ("trên 95%", as the figures page judges it); one the
    # set declares is one to reach.
    reached = year_meets if rule.threshold is None else rate >= threshold
    if reached:
        return None, False
    claimed = (f"điểm {format_points(value)} vượt {format_points(cap)}" if cap is not None
               else f"điểm {format_points(value)} là điểm tối đa")
    return f"{label} {format_percent(rate)}, ngưỡng {format_percent(threshold)}: chưa đạt; {claimed}", False


def assessment_cross_checks(*, assessment, stage=SELF):
    """Evaluate the set's rules on the assessment's scores; `stage` is SELF (the commune's scores)
    or APPRAISAL (the appraiser's). Returns a CrossCheckResult in the set's order."""
    rules = list(CrossCheckRule.objects.filter(item__criteria_set_id=assessment.year.criteria_set_id)
                 .select_related("item").order_by("item__sort_key", "order", "id"))
    result = CrossCheckResult()
    if not rules:
        return result
    scores = list(Score.objects.filter(assessment=assessment).select_related("item")
                  .annotate(evidence_count=Count("evidence")).order_by("item__sort_key"))
    figures = _Figures(assessment)
    last_year = None
    for rule in rules:
        item = rule.item
        if item.is_leaf:
            covered = [s for s in scores if s.item_id == item.id]
        else:
            covered = [s for s in scores if s.item.code.startswith(f"{item.code}.")]
        if rule.kind == CheckKind.EVIDENCE:
            for score in covered:
                if score.item.scoring_method != ScoringMethod.SELF:
                    continue  # survey and external figures come with no commune evidence
                value = _value(score, stage)
                if value is not None and value > 0 and score.evidence_count == 0:
                    result.findings.append(CheckFinding(rule, score.item, "", score.id))
            continue
        values = [v for v in (_value(s, stage) for s in covered) if v is not None]
        if not values:
            continue
        value = sum(values, Decimal("0"))
        score_id = covered[0].id if item.is_leaf else None
        detail, undecided = None, False
        if rule.kind == CheckKind.FIGURE:
            detail, undecided = _figure_finding(rule, value, figures, item.max_points)
        elif rule.kind == CheckKind.LAST_YEAR:
            if last_year is None:
                last_year = last_year_scores(assessment)
            before = [last_year[s.item.code] for s in covered
                      if last_year.get(s.item.code) is not None]
            if before:
                previous = sum(before, Decimal("0"))
                if value - previous > rule.limit:
                    detail = (f"điểm {format_points(value)}, năm trước {format_points(previous)}: "
                              f"tăng {format_points(value - previous)}, quá {format_points(rule.limit)} điểm")
        if detail:
            result.findings.append(CheckFinding(rule, item, detail, score_id, undecided))
    result.findings.sort(key=lambda f: f.item.sort_key)
    return result
