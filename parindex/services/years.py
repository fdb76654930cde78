"""Evaluation years: opening a year gives every commune in scope its assessment.

Communes never create their own assessments: the province opens the year, and opening it again
later (a commune created by a merger, say) only adds what is missing. At national scale (about
3,300 communes × 80 scored items) everything is inserted in batches with a fixed number of
queries per batch.
"""

import datetime as dt

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from communes.models import COMMUNE_KINDS, Unit, UnitLineage
from parindex.errors import ParIndexError
from parindex.models import Assessment, CriteriaSetStatus, EvaluationYear, Item, Score
from parindex.selectors.criteria_sets import criteria_set_usable_for

ASSESSMENT_BATCH = 200


class YearError(ParIndexError):
    """A refused change to an evaluation year; the message says why, in Vietnamese."""


def units_in_year_scope(*, year):
    """Communes of the kinds the set applies to, under the year's scope, valid at some time in the year,
    except those merged during the year into a successor: the successor is assessed for the whole year
    (its evidence may come from its predecessors), so the predecessors are not assessed twice."""
    first_day, last_day = dt.date(year.year, 1, 1), dt.date(year.year, 12, 31)
    kinds = [k for k in year.criteria_set.unit_kinds if k in COMMUNE_KINDS]
    return (
        Unit.objects.filter(path__startswith=year.scope.path, kind__in=kinds)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=last_day))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first_day))
        .exclude(pk__in=UnitLineage.objects.filter(effective_date__gte=first_day, effective_date__lte=last_day)
                 .values("predecessor_id"))
    )


def evaluation_year_open(*, year):
    """Create the missing assessments (with one empty score per scored item) of `year`; returns how
    many assessments were created. Safe to run again at any time."""
    with transaction.atomic():
        # Two administrators pressing "open" at once must not both insert: serialise on the year row.
        year = EvaluationYear.objects.select_for_update().select_related("scope", "criteria_set").get(pk=year.pk)
        if year.is_published:
            raise YearError(f"{year}: kết quả đã công bố, không thể mở thêm bản đánh giá.")
        if not criteria_set_usable_for(criteria_set=year.criteria_set, scope=year.scope):
            raise YearError(f"{year}: bộ chỉ số “{year.criteria_set}” thuộc {year.criteria_set.province}, "
                            "không phải của tỉnh này.")
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
            _empty_scores_insert(assessment_ids=new_ids, criteria_set_id=year.criteria_set_id)
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
    # Remedy plans of the year before, accepted while this year did not exist, hand over their tasks now.
    from parindex.services.remedy import remedy_plans_transfer_pending

    remedy_plans_transfer_pending(year=year)
    return created


def _empty_scores_insert(*, assessment_ids, criteria_set_id):
    """One empty Score per (assessment, leaf), as one INSERT … SELECT: building ~300,000 model
    instances for bulk_create took minutes at national scale; the database does it in seconds.
    Columns come from the model, so a field added to Score later gets its default here too."""
    quote = connection.ops.quote_name
    now = timezone.now()
    columns, values, params = [], [], []
    for field in Score._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(quote(field.column))
        if field.name in ("assessment", "item"):
            values.append(f"a.{quote(Assessment._meta.pk.column)}" if field.name == "assessment"
                          else f"i.{quote(Item._meta.pk.column)}")
            continue
        if field.name == "max_points":
            values.append(f"i.{quote(Item._meta.get_field('max_points').column)}")  # copied from the item
            continue
        value = now if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False) \
            else field.get_default()
        if value is None:
            # PostgreSQL types a bare NULL in a SELECT list as text.
            values.append(f"CAST(NULL AS {field.db_type(connection)})" if connection.vendor == "postgresql"
                          else "NULL")
        else:
            values.append("%s")
            params.append(field.get_db_prep_save(value, connection))
    placeholders = ", ".join(["%s"] * len(assessment_ids))
    item = Item._meta
    sql = (
        f"INSERT INTO {quote(Score._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM {quote(Assessment._meta.db_table)} a "
        f"CROSS JOIN {quote(item.db_table)} i "
        f"WHERE a.{quote(Assessment._meta.pk.column)} IN ({placeholders}) "
        f"AND i.{quote(item.get_field('criteria_set').column)} = %s AND i.{quote(item.get_field('is_leaf').column)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *assessment_ids, criteria_set_id, True])
