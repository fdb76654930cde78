"""The history page of one assessment: every change a commune or an appraiser made, with who and when."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from parindex.selectors import assessment_get_visible
from parindex.selectors.assessment_history import LIMIT, assessment_history


@login_required
def assessment_history_view(request, pk):
    assessment = assessment_get_visible(request.user, pk)
    appraisal_side = request.user.has_perm("parindex.view_appraisal", assessment)
    entries = assessment_history(assessment=assessment, appraisal_side=appraisal_side)
    return render(request, "parindex/history/assessment_history.html", {
        "assessment": assessment, "entries": entries, "limit": LIMIT, "active_tab": "history",
        "appraisal_side": appraisal_side,
    })
