"""The commune's other yearly figures, computed in one place for pages and reports:
plan completion, meeting counts and online public-service rates against the year's thresholds."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from parindex.models import Meeting, MeetingKind, PlanTask, PlanTaskStatus, ServiceFigures
from parindex.numbers import percent


@dataclass
class PlanCompletion:
    total: int
    done: int
    not_done: int
    in_progress: int
    not_started: int

    @property
    def remaining(self):
        return self.total - self.done

    @property
    def done_percent(self):
        """Exact share of tasks completed (57/58 → 98,2758…; shown as 98,28%)."""
        return percent(self.done, self.total)

    @property
    def not_done_percent(self):
        """Tasks not completed, whatever their state (1/58 → 1,72%)."""
        return percent(self.remaining, self.total)


def plan_completion(*, assessment):
    counts = PlanTask.objects.filter(assessment=assessment).aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status=PlanTaskStatus.DONE)),
        not_done=Count("id", filter=Q(status=PlanTaskStatus.NOT_DONE)),
        in_progress=Count("id", filter=Q(status=PlanTaskStatus.IN_PROGRESS)),
        not_started=Count("id", filter=Q(status=PlanTaskStatus.NOT_STARTED)),
    )
    return PlanCompletion(**counts)


def meeting_counts(*, assessment):
    """{kind: count} for every kind (zero included): "02 Hội nghị, 05 phiên họp thường kỳ"."""
    rows = Meeting.objects.filter(assessment=assessment).values("kind").annotate(n=Count("id"))
    counts = {kind: 0 for kind in MeetingKind.values}
    counts.update({r["kind"]: r["n"] for r in rows})
    return counts


@dataclass
class Rate:
    """One rate: from counts when they are known, or the published figure; compared with a threshold
    that must be exceeded ("đạt 100%, quy định trên 95%")."""

    label: str
    part: int | None
    whole: int | None
    published: Decimal | None
    threshold: Decimal | None

    @property
    def computed(self):
        if self.part is None or not self.whole:
            return None
        return percent(self.part, self.whole)

    @property
    def value(self):
        # A rate published by the national system is the official figure; counts give it otherwise.
        return self.published if self.published is not None else self.computed

    @property
    def source(self):
        if self.published is not None:
            return "published"
        return "counts" if self.computed is not None else None

    @property
    def meets(self):
        if self.value is None or self.threshold is None:
            return None
        return self.value > self.threshold


@dataclass
class ServiceRates:
    figures: ServiceFigures | None
    online: Rate
    fully_online: Rate
    digitised: Rate

    @property
    def rates(self):
        return [self.online, self.fully_online, self.digitised]


def service_figure_rates(*, assessment):
    figures = ServiceFigures.objects.filter(assessment=assessment).first()
    year = assessment.year
    f = figures or ServiceFigures(assessment=assessment)
    return ServiceRates(
        figures=figures,
        online=Rate("Tỷ lệ hồ sơ trực tuyến (một phần + toàn trình)", f.dossiers_online, f.dossiers_received,
                    f.online_rate_published, year.online_filing_threshold),
        fully_online=Rate("Tỷ lệ hồ sơ trực tuyến toàn trình", f.dossiers_fully_online, f.dossiers_received,
                          None, None),
        digitised=Rate("Tỷ lệ số hóa kết quả giải quyết hồ sơ", f.results_digitised, f.dossiers_received,
                       f.digitised_rate_published, year.digitisation_threshold),
    )
