"""Writing scores under their per-item versions: the one place where the score sheet, the appraisal
sheet and the explanation page (full-sheet saves and per-item autosaves alike) change Score rows.

Each change carries the version of the score the person started from. All changes of one save go
out in ONE conditional UPDATE ("... WHERE (id = a AND version = 3) OR (id = b AND version = 7)") that
also moves each version on. If fewer rows than expected were updated, someone else wrote one of them
after it was read: the caller's transaction is rolled back and the save is refused with both values.
The database decides (PostgreSQL re-checks the WHERE after a concurrent writer commits), so no
timing between reading and writing can let a stale value through."""

from dataclasses import dataclass

from django.db.models import Case, F, Q, Value, When

from parindex.models import Score
from parindex.numbers import parse_id


class StaleScores(Exception):  # noqa: N818 - internal signal: the caller rolls back and reports conflicts
    pass


@dataclass
class ScoreChange:
    score: Score  # as loaded in this request
    version: int  # the version the person's page showed
    values: dict  # field name -> new value


@dataclass
class ScoreConflict:
    """A score someone else saved after the person's page loaded it: both sides, who and when."""

    score: Score  # as stored now (with item and updated_by loaded)
    yours: dict  # field name -> value sent
    theirs: dict  # field name -> value stored now
    by: object
    at: object
    version: int  # the current version: resending with it keeps "yours"
    yours_text: str = ""  # both sides as the sheet describes them ("6,5 điểm; thuyết minh: …")
    theirs_text: str = ""


def version_parse(raw):
    """A version sent by a page: ASCII digits, positive (parindex.numbers.parse_id), else None (the
    caller refuses the save or falls back to the sheet's version)."""
    return parse_id(raw)


def stale_split(changes):
    """(changes to write, stale changes) for scores that moved on before this request started writing.
    A full-sheet form sends every field of every item; a field the person left as their page showed it
    (its value at the page's version, from the history) is not theirs to write: it is dropped, and a
    stale item with nothing left is skipped, so a colleague's save of it stands (one query, only when
    something is stale)."""
    moved = [c for c in changes if c.score.version != c.version]
    if not moved:
        return changes, []
    condition = Q()
    for c in moved:
        condition |= Q(id=c.score.id, version=c.version)
    shown = {}
    for record in Score.history.filter(condition).order_by("history_date", "history_id"):
        shown[record.id] = record
    keep, stale = [c for c in changes if c.score.version == c.version], []
    for c in moved:
        record = shown.get(c.score.id)
        if record is not None:
            c.values = {k: v for k, v in c.values.items() if getattr(record, k) != v}
        if c.values:
            stale.append(c)
    return keep, stale


def scores_write(*, changes, actor, now, stamp=None, reason=""):
    """Write `changes` ([ScoreChange]) in one conditional UPDATE plus one history insert. Must run
    inside the caller's transaction.atomic(): raises StaleScores when any version moved, which rolls
    back everything the caller wrote in that transaction. `stamp` = extra fields set on every changed
    row (who last changed this kind of value)."""
    if not changes:
        return []
    condition = Q()
    for change in changes:
        condition |= Q(pk=change.score.pk, version=change.version)
    updates = {}
    for name in sorted({name for change in changes for name in change.values}):
        model_field = Score._meta.get_field(name)
        whens = [When(pk=c.score.pk, then=Value(c.values[name], output_field=model_field))
                 for c in changes if name in c.values]
        updates[name] = Case(*whens, default=F(name), output_field=model_field)
    stamp = dict(stamp or {})
    written = Score.objects.filter(condition).update(
        version=F("version") + 1, updated_by=actor, updated_at=now, **stamp, **updates,
    )
    if written != len(changes):
        raise StaleScores
    scores = []
    for change in changes:
        score = change.score
        for name, value in {**change.values, **stamp}.items():
            setattr(score, name, value)
        score.version = change.version + 1
        score.updated_by, score.updated_at = actor, now
        scores.append(score)
    Score.history.bulk_history_create(scores, update=True, default_user=actor, default_date=now,
                                      default_change_reason=reason)
    return scores


def conflicts_of(changes):
    """After a refused write: the changes whose score moved on, with what is stored now (one query)."""
    current = {s.id: s for s in Score.objects.filter(id__in=[c.score.id for c in changes])
               .select_related("item", "updated_by")}
    conflicts = []
    for change in changes:
        now = current.get(change.score.id)
        if now is None or now.version == change.version:
            continue
        conflicts.append(ScoreConflict(
            score=now, yours=dict(change.values), theirs={name: getattr(now, name) for name in change.values},
            by=now.updated_by, at=now.updated_at, version=now.version,
        ))
    return conflicts
