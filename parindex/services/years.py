"""Evaluation years: opening a year gives every commune in scope its assessment.

Communes never create their own assessments: the province opens the year, and opening it again
later (a commune created by a merger, say) only adds what is missing. At national scale (about
3,300 communes × 80 scored items) everything is inserted in batches with a fixed number of
queries per batch.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from communes.models import COMMUNE_KINDS, Unit
from parindex.models import Assessment, CriteriaSetStatus, EvaluationYear, Item, Score

ASSESSMENT_BATCH = 200
SCORE_BATCH = 5000


def units_in_year_scope(*, year):
    """Communes of the kinds the set applies to, under the year's scope, valid at some time in the year."""
    first_day, last_day = dt.date(year.year, 1, 1), dt.date(year.year, 12, 31)
    kinds = [k for k in year.criteria_set.unit_kinds if k in COMMUNE_KINDS]
    return (
        Unit.objects.filter(path__startswith=year.scope.path, kind__in=kinds)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=last_day))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first_day))
    )


def evaluation_year_open(*, year):
    """Create the missing assessments (with one empty score per scored item) of `year`; returns how
    many assessments were created. Safe to run again at any time."""
    with transaction.atomic():
        # Two administrators pressing "open" at once must not both insert: serialise on the year row.
        year = EvaluationYear.objects.select_for_update().select_related("scope", "criteria_set").get(pk=year.pk)
        leaves = list(
            Item.objects.filter(criteria_set_id=year.criteria_set_id, is_leaf=True).values_list("pk", "max_points")
        )
        existing = Assessment.objects.filter(year=year).values("unit_id")
        unit_ids = list(
            units_in_year_scope(year=year).exclude(pk__in=existing).order_by("path").values_list("pk", flat=True)
        )
        created = 0
        for start in range(0, len(unit_ids), ASSESSMENT_BATCH):
            batch = unit_ids[start:start + ASSESSMENT_BATCH]
            Assessment.objects.bulk_create([Assessment(year=year, unit_id=u) for u in batch])
            # Re-read the ids rather than trusting bulk_create to return them on every backend.
            new_ids = list(Assessment.objects.filter(year=year, unit_id__in=batch).values_list("pk", flat=True))
            Score.objects.bulk_create(
                [Score(assessment_id=a, item_id=item_id, max_points=max_points)
                 for a in new_ids for item_id, max_points in leaves],
                batch_size=SCORE_BATCH,
            )
            created += len(new_ids)
        fields = []
        if year.opened_at is None:
            year.opened_at = timezone.now()
            fields.append("opened_at")
        if fields:
            year.save(update_fields=fields)
        if year.criteria_set.status == CriteriaSetStatus.DRAFT:
            # A draft in use is in force: say so, so it is not mistaken for next year's working copy.
            type(year.criteria_set).objects.filter(pk=year.criteria_set_id).update(status=CriteriaSetStatus.ACTIVE)
    return created
