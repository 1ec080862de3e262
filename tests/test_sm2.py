"""SM-2 exactly (docs/rules.md): golden sequences, the floor, exact ceilings, a reference replay."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ibdquiz.core.sm2 import Sm2State, review


def run(grades: list[int], state: Sm2State | None = None) -> list[Sm2State]:
    states = []
    current = state or Sm2State()
    for grade in grades:
        current = review(current, grade)
        states.append(current)
    return states


def test_new_state_defaults() -> None:
    state = Sm2State()
    assert (state.repetitions, state.easiness, state.interval) == (0, 2.5, 0)


def test_all_fours_from_new_give_1_6_15_38_95() -> None:
    states = run([4] * 5)
    assert [s.interval for s in states] == [1, 6, 15, 38, 95]
    assert {s.easiness for s in states} == {2.5}
    assert [s.repetitions for s in states] == [1, 2, 3, 4, 5]


def test_all_fives_raise_easiness_by_a_tenth_each_time() -> None:
    states = run([5] * 4)
    assert [s.easiness for s in states] == [2.6, 2.7, 2.8, 2.9]
    # interval uses the E-Factor *before* this review's update: ceil(6 × 2.7) = 17
    assert [s.interval for s in states] == [1, 6, 17, 48]  # ceil(17 × 2.8) = ceil(47.6)


def test_failure_keeps_easiness_and_restarts_1_1_6() -> None:
    before = run([5, 5, 5])[-1]
    after = run([1, 4, 4], before)
    assert after[0] == Sm2State(repetitions=0, easiness=before.easiness, interval=1)
    assert [s.interval for s in after] == [1, 1, 6]
    assert after[1].repetitions == 1


@pytest.mark.parametrize("grade,step", [(5, 0.1), (4, 0.0), (3, -0.14)])
def test_easiness_steps(grade: int, step: float) -> None:
    assert review(Sm2State(), grade).easiness == pytest.approx(2.5 + step, abs=1e-12)
    assert review(Sm2State(), grade).easiness == round(2.5 + step, 2)


def test_easiness_floor_is_1_3() -> None:
    states = run([3] * 20)
    assert states[-1].easiness == 1.3
    assert min(s.easiness for s in states) == 1.3


def test_ceiling_is_exact_where_a_float_is_not() -> None:
    # 406 × 3.0 = 1218 exactly; float(406 * (2.5 + 0.1 * 5)) rounds to 1218.0000000000002.
    assert math.ceil(406 * (2.5 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1)) == 1219
    state = Sm2State(repetitions=5, easiness=3.0, interval=406)
    assert review(state, 4).interval == 1218


def test_easiness_reached_by_steps_is_exact() -> None:
    state = run([5] * 5)[-1]  # 2.5 + 5 × 0.1, which floats add up to 3.0000000000000004
    assert state.easiness == 3.0
    assert review(Sm2State(5, state.easiness, 406), 4).interval == 1218


def test_review_does_not_mutate() -> None:
    state = Sm2State(2, 2.5, 6)
    review(state, 5)
    assert state == Sm2State(2, 2.5, 6)


@pytest.mark.parametrize("bad", [True, False, -1, 6, 4.0, "4", None])
def test_bad_quality_raises_value_error(bad: object) -> None:
    with pytest.raises(ValueError):
        review(Sm2State(), bad)  # type: ignore[arg-type]


def reference(grades: list[int]) -> list[tuple[int, Fraction, int]]:
    """SM-2 straight from the description, in exact fractions."""
    reps, ef, interval = 0, Fraction(5, 2), 0
    out = []
    for q in grades:
        if q < 3:
            reps, interval = 0, 1
        else:
            if reps == 0:
                interval = 1
            elif reps == 1:
                interval = 6
            else:
                interval = math.ceil(interval * ef)
            reps += 1
            ef = max(
                Fraction(13, 10),
                ef + Fraction(1, 10) - (5 - q) * (Fraction(8, 100) + (5 - q) * Fraction(2, 100)),
            )
        out.append((reps, ef, interval))
    return out


@settings(deadline=None, max_examples=300)
@given(st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=60))
def test_matches_reference_for_random_grades(grades: list[int]) -> None:
    expected = reference(grades)
    got = run(grades)
    for (reps, ef, interval), state in zip(expected, got, strict=True):
        assert state.repetitions == reps
        assert state.interval == interval
        assert Fraction(state.easiness_hundredths, 100) == ef
