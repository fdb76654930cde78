from .rankings import RankedResult, band_for, year_ranking
from .totals import AreaTotals, AssessmentTotals, assessment_totals, assessments_totals
from .visibility import assessment_get_visible, assessments_visible_to, years_visible_to

__all__ = [
    "AreaTotals", "AssessmentTotals", "RankedResult", "assessment_get_visible", "assessment_totals",
    "assessments_totals", "assessments_visible_to", "band_for", "year_ranking", "years_visible_to",
]
