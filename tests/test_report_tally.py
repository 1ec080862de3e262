"""Wilson score intervals and tallies."""

from __future__ import annotations

import pytest

from ibdquiz.report.tally import Tally, wilson_interval


def test_wilson_matches_published_values() -> None:
    low, high = wilson_interval(8, 10) or (0.0, 0.0)
    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)
    low, high = wilson_interval(0, 10) or (1.0, 1.0)
    assert low == 0.0 and round(high, 4) == 0.2775
    low, high = wilson_interval(10, 10) or (0.0, 0.0)
    assert round(low, 4) == 0.7225 and high == pytest.approx(1.0)


def test_wilson_without_answers_is_none_and_bad_counts_are_refused() -> None:
    assert wilson_interval(0, 0) is None
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


def test_tally_counts_and_merges() -> None:
    a, b = Tally(), Tally()
    for ok in (True, False, True):
        a.add(ok)
    b.add(True)
    a.merge(b)
    assert (a.n, a.correct) == (4, 3)
    assert a.percent == 75.0
    interval = a.interval
    assert interval is not None and interval[0] < 75.0 < interval[1]
    assert Tally().percent is None and Tally().interval is None
