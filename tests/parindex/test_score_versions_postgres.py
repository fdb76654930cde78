"""Per-item versions on PostgreSQL with real transactions: two people saving the same item at the same
moment, by the per-item autosave path (one item) or the full-sheet path (every item of the page).
Exactly one wins; the other gets a conflict carrying both values; nothing is overwritten, whatever the
timing. Two timings: released together from a barrier (many rounds, on separate connections), and
"held", where the first save's transaction stays open until the second is seen waiting for its lock, so
the second is decided by PostgreSQL re-checking the conditional UPDATE after the first commits."""

from decimal import Decimal

import pytest
from django.db import connection

from parindex.models import Assessment, AssessmentStatus, Score
from parindex.numbers import display_points
from parindex.selectors.sheet import score_signature_of
from parindex.services.appraisal import AppraisalSheetError, appraisal_sheet_save
from parindex.services.scores import score_sheet_save
from tests.parindex.races import race_held, race_together
from tests.parindex.workflow_states import drive

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
S = AssessmentStatus
ROUNDS = 8


@pytest.fixture(autouse=True)
def _postgresql_only():
    assert connection.vendor == "postgresql", "the services run must use PostgreSQL"


def _officer_save(world, actor, values):
    """A score-sheet save by a fresh request, to run later: ("ok", versions) or ("conflict", conflicts)."""
    def run():
        result = score_sheet_save(assessment=Assessment.objects.get(pk=world.assessment_a.pk), actor=actor,
                                  values=values)
        if result.saved:
            return ("ok", {i: s.version for i, s in result.scores.items()})
        return ("conflict", result.conflicts)
    return run


def _item(score, value, note):
    return {"self_score": value, "not_applicable": False, "note": note, "version": score.version,
            "original": score_signature_of(score)}


def _sheet(world, overrides):
    """A full-sheet post as the page loaded now sends it: every item, with some typed values."""
    scores = list(Score.objects.filter(assessment=world.assessment_a).select_related("item"))
    return {s.id: overrides.get(s.item.code, _item(s, display_points(s.self_score), s.self_note))
            for s in scores}, {s.item.code: s for s in scores}


def _check_one_winner(outcomes, score, values_by_actor):
    kinds = sorted(o[0] for o in outcomes)
    assert kinds == ["conflict", "ok"], outcomes
    winner = 0 if outcomes[0][0] == "ok" else 1
    loser = 1 - winner
    score.refresh_from_db()
    stored, loser_value = values_by_actor[winner], values_by_actor[loser]
    assert score.self_score == Decimal(stored)
    [conflict] = outcomes[loser][1]
    # The loser sees both values (the fields they changed) and who won; their value was not written.
    assert conflict.yours.get("self_score", Decimal(loser_value)) == Decimal(loser_value)
    assert conflict.theirs.get("self_score", Decimal(stored)) == Decimal(stored)
    assert conflict.yours["self_note"] != score.self_note and conflict.theirs["self_note"] == score.self_note
    assert conflict.version == score.version
    return winner


def test_per_item_autosaves_of_one_item_released_together_never_overwrite(world):
    officers = (world.officer_a, world.leader_a)
    for i in range(ROUNDS):
        score = Score.objects.select_related("item").get(assessment=world.assessment_a, item__code="1.1")
        mine, theirs = ("1", "0,5") if i % 2 else ("0,5", "1")
        outcomes = race_together(
            _officer_save(world, officers[0], {score.id: _item(score, mine, f"vòng {i} A")}),
            _officer_save(world, officers[1], {score.id: _item(score, theirs, f"vòng {i} B")}),
        )
        _check_one_winner(outcomes, score, [mine.replace(",", "."), theirs.replace(",", ".")])
        assert score.history.count() == i + 1  # one history row per winning save, none for the loser


def test_full_sheet_saves_released_together_never_overwrite(world):
    for i in range(ROUNDS):
        loaded, by_code = _sheet(world, {})
        s11, s12, s21 = by_code["1.1"], by_code["1.2"], by_code["2.1"]
        a_values = {**loaded, s11.id: _item(s11, "2", f"A{i}"), s12.id: _item(s12, "1", f"A{i}")}
        b_values = {**loaded, s11.id: _item(s11, "1,5", f"B{i}"), s21.id: _item(s21, "0,5", f"B{i}")}
        outcomes = race_together(_officer_save(world, world.officer_a, a_values),
                             _officer_save(world, world.leader_a, b_values))
        winner = _check_one_winner(outcomes, s11, ["2", "1.5"])
        s12.refresh_from_db()
        s21.refresh_from_db()
        # All or nothing: the loser's other items were not written either.
        if winner == 0:
            assert s12.self_note == f"A{i}" and s21.self_note != f"B{i}"
        else:
            assert s21.self_note == f"B{i}" and s12.self_note != f"A{i}"


def test_a_held_per_item_save_makes_the_waiting_one_a_conflict(world):
    score = Score.objects.select_related("item").get(assessment=world.assessment_a, item__code="1.1")
    first, second = race_held(
        _officer_save(world, world.officer_a, {score.id: _item(score, "2", "trước")}),
        _officer_save(world, world.leader_a, {score.id: _item(score, "1", "sau")}),
    )
    assert first[0] == "ok" and second[0] == "conflict"
    [conflict] = second[1]
    assert conflict.by == world.officer_a and conflict.theirs["self_note"] == "trước"
    score.refresh_from_db()
    assert (score.self_score, score.self_note, score.version) == (Decimal("2"), "trước", 2)


def test_a_held_full_sheet_save_makes_the_waiting_one_a_conflict(world):
    loaded, by_code = _sheet(world, {})
    s11, s12 = by_code["1.1"], by_code["1.2"]
    first, second = race_held(
        _officer_save(world, world.officer_a, {**loaded, s11.id: _item(s11, "2", "A")}),
        _officer_save(world, world.leader_a, {**loaded, s11.id: _item(s11, "1", "B"), s12.id: _item(s12, "1", "B")}),
    )
    assert first[0] == "ok" and second[0] == "conflict"
    s11.refresh_from_db()
    s12.refresh_from_db()
    assert (s11.self_note, s12.self_note, s12.version) == ("A", "", 1)


def test_two_appraisers_autosaving_one_item_released_together_one_wins(world):
    a = drive(world.assessment_a, S.IN_APPRAISAL, officer=world.officer_a, appraiser=world.appraiser)
    for i in range(ROUNDS):
        score = Score.objects.get(assessment=a, item__code="1.1")

        def save(actor, value, score=score):
            def run():
                try:
                    appraisal_sheet_save(assessment=Assessment.objects.get(pk=a.pk), actor=actor, values={
                        "scores": {score.id: {"appraised_score": value, "version": score.version}}})
                    return ("ok", value)
                except AppraisalSheetError as exc:
                    return ("conflict", exc.conflicts)
            return run

        outcomes = race_together(save(world.appraiser, f"1,{i}"), save(world.admin, f"0,{i}"))
        assert sorted(o[0] for o in outcomes) == ["conflict", "ok"], outcomes
        won = next(o[1] for o in outcomes if o[0] == "ok")
        [conflict] = next(o[1] for o in outcomes if o[0] == "conflict")
        score.refresh_from_db()
        assert score.appraised_score == Decimal(won.replace(",", "."))
        assert conflict.theirs["appraised_score"] == score.appraised_score
