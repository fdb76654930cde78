"""The commune's result page: its appraised result item by item, where points were lost, and its
index year over year. Readable by whoever sees the assessment (the visibility selector)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from parindex.selectors import assessment_get_visible
from parindex.selectors.result import commune_result


@login_required
def commune_result_view(request, pk):
    assessment = assessment_get_visible(request.user, pk)
    return render(request, "parindex/results/commune_result.html", {
        "assessment": assessment, "result": commune_result(assessment=assessment),
    })
