"""What the load test's simulated people need, read from a database with the demo data: their
accounts, the sheets they may edit, the items with their versions, and the URLs they use.

    python benchmarks/load/fixture.py OUT.json     (with DATABASE_URL etc. set by load_test.py)
"""

import json
import os
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.urls import reverse  # noqa: E402

from communes.models import Membership, Role  # noqa: E402
from parindex.models import Assessment, AssessmentStatus, Score, ScoringMethod  # noqa: E402
from parindex.selectors import assessments_visible_to  # noqa: E402
from parindex.services.workflow import self_assessment_lock_reason  # noqa: E402

PASSWORD = "ParIndex@2024"  # the demo accounts' password (README)
OFFICERS = 15  # as many as the locustfile's Officer weight


def officer_sheets():
    """Every sheet a demo officer may still edit, with that officer and its self-scored items."""
    sheets = []
    for assessment in Assessment.objects.filter(status=AssessmentStatus.DRAFT).select_related("year", "unit"):
        if self_assessment_lock_reason(assessment=assessment):
            continue
        officer = (Membership.objects.filter(unit=assessment.unit, role=Role.COMMUNE_OFFICER)
                   .select_related("user").first())
        if officer is None:
            continue
        scores = (Score.objects.filter(assessment=assessment, not_applicable=False,
                                       item__scoring_method=ScoringMethod.SELF)
                  .select_related("item").order_by("item__sort_key"))
        sheets.append({
            "username": officer.user.username,
            "sheet_url": reverse("score_sheet", args=[assessment.pk]),
            "items": [{
                "save_url": reverse("score_item_save", args=[assessment.pk, s.pk]),
                "value_field": "self_score",
                "fields": {"note": s.self_note or ""},
                "step": float((s.max_points / 2).quantize(Decimal("0.01"))),
                "version": s.version,
            } for s in scores],
        })
    if not sheets:
        raise SystemExit("no open self-assessment in the demo: run load_demo --refresh-dates")
    return sheets


def main(out):
    users = get_user_model().objects
    sheets = officer_sheets()
    appraiser = users.get(username="thamdinh.bato")
    in_appraisal = (assessments_visible_to(appraiser)
                    .filter(status__in=[AssessmentStatus.SUBMITTED, AssessmentStatus.IN_APPRAISAL,
                                        AssessmentStatus.EXPLAINED, AssessmentStatus.APPRAISED]))
    ba_thanh = Assessment.objects.select_related("year").get(unit__code="21199", year__year=2024)
    fixture = {
        "password": PASSWORD,
        "login_url": reverse("login"),
        "officers": sheets,
        # Officers sharing a sheet split its items, so that no two simulated people edit one item.
        "officer_item_shares": -(-OFFICERS // len(sheets)),
        "appraiser": {
            "username": appraiser.username,
            "queue_url": reverse("appraisal_queue"),
            "sheet_urls": [reverse("appraisal_sheet", args=[a.pk]) for a in in_appraisal],
        },
        "viewer": {
            "username": "xem.bato",
            "pages": {"mở bảng điều khiển: tiến độ": reverse("dashboard_progress", args=[ba_thanh.year.pk]),
                      "mở bảng điều khiển: xếp hạng": reverse("dashboard_ranking", args=[ba_thanh.year.pk]),
                      "mở bảng điều khiển: lĩnh vực": reverse("dashboard_areas", args=[ba_thanh.year.pk])},
        },
        "reporter": {
            "username": "canbo.bathanh",
            "assessment": ba_thanh.pk,
            "request_url": reverse("report_request"),
        },
    }
    if not fixture["appraiser"]["sheet_urls"]:
        raise SystemExit("the demo appraiser has no assessment in appraisal")
    Path(out).write_text(json.dumps(fixture, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main(sys.argv[1])
