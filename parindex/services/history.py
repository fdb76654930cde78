"""Recording who changed the yearly data, for the history page (django-simple-history).

Saves and deletions of tracked models are recorded by simple-history's signals; these helpers name
the acting user when a service knows it (a Celery task or a command has no request for the
middleware to read), and record changes made with a queryset update, which sends no signal."""

from parindex.models import Assessment


def by(obj, actor):
    """Mark `obj` as changed by `actor` for the history record of its next save or delete."""
    if actor is not None and getattr(actor, "pk", None):
        obj._history_user = actor
    return obj


def assessment_history_record(*, assessment_id, actor, reason=""):
    """Record the assessment's current values after a queryset update (which the history does not
    see), as a change by `actor`."""
    fresh = Assessment.objects.get(pk=assessment_id)
    Assessment.history.bulk_history_create(
        [fresh], update=True, default_user=actor if getattr(actor, "pk", None) else None,
        default_change_reason=reason,
    )
