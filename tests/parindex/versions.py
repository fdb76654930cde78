"""Per-item values as a page loaded just now would send them: each with its score's current version."""

from parindex.models import Score


def versioned(values):
    """{score id: {field: value}} -> the same with each score's current "version" added (one query)."""
    current = dict(Score.objects.filter(id__in=[int(i) for i in values]).values_list("id", "version"))
    return {score_id: {"version": current.get(int(score_id)), **raw} for score_id, raw in values.items()}
