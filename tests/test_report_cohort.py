"""Aggregation: first answers of the day, study days, coverage, areas, weeks, missed facts."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from ibdquiz.report.cohort import MIN_FELLOWS_FOR_PERCENTILES, build_cohort, percentile_ranks
from ibdquiz.report.fellow import summarize_export, week_label
from tests.helpers_report import export_doc, review

SURGERY = "tacrolimus-refractory-crohns/mayo-2013/surgery/choice"
UC = "tacrolimus-other-studies/ibd-2008/uc-response/recall"
NOW = datetime(2025, 3, 1, tzinfo=timezone.utc)


def _fellow_a() -> dict[str, object]:
    reviews = [
        review(SURGERY, "2025-01-06T19:00:00+01:00", "new", False),
        review(SURGERY, "2025-01-06T19:05:00+01:00", "redrill", True),  # not counted
        review(SURGERY, "2025-01-06T21:00:00+01:00", "review", True),  # same card, same day
        review(UC, "2025-01-07T02:30:00+01:00", "new", True),  # before 04:00: day of the 6th
        review(SURGERY, "2025-01-08T19:00:00+01:00", "review", True),
        review(UC, "2025-01-09T19:00:00+01:00", "practice", False),  # not counted
    ]
    flags = [{"card_id": UC, "reason": "two answers fit",
              "flagged_at": "2025-01-09T19:01:00+01:00"}]
    return export_doc(learner_id="a", learner="Dr A", reviews=reviews, flags=flags)


def test_a_fellow_counts_only_the_first_new_or_review_answer_of_each_card_each_day() -> None:
    fellow = summarize_export(_fellow_a(), Path("a.json"))
    assert (fellow.total.n, fellow.total.correct) == (3, 2)
    assert fellow.all_answers == 6
    assert fellow.study_days == 3  # the 6th (with 02:30 on the 7th), the 8th, the 9th
    assert fellow.answered_cards == {SURGERY, UC}
    sources = fellow.by_source()
    assert (sources["tacrolimus-refractory-crohns/mayo-2013"].n,
            sources["tacrolimus-refractory-crohns/mayo-2013"].correct) == (2, 1)
    assert (sources["tacrolimus-other-studies/ibd-2008"].n,
            sources["tacrolimus-other-studies/ibd-2008"].correct) == (1, 1)
    tags = fellow.by_tag()
    assert (tags["outcomes"].n, tags["outcomes"].correct) == (3, 2)
    assert (tags["crohns"].n, tags["ulcerative-colitis"].n) == (2, 1)
    assert fellow.coverage() == {
        "tacrolimus-refractory-crohns": (1, 18), "tacrolimus-other-studies": (1, 12)
    }
    assert [week_label(w) for w in fellow.by_week] == ["2025-01-06"]


def test_the_cohort_lists_missed_facts_flags_and_fellows_without_answers() -> None:
    a = summarize_export(_fellow_a(), Path("a.json"))
    idle = summarize_export(export_doc(learner_id="b", learner="Dr B", reviews=[]), Path("b.json"))
    cohort = build_cohort([idle, a], generated_at=NOW)
    assert [f.name for f in cohort.fellows] == ["Dr A", "Dr B"]
    assert [f.learner_id for f in cohort.no_answers] == ["b"]
    assert cohort.percentiles is None  # a small cohort gets no percentiles
    assert (cohort.total.n, cohort.total.correct) == (3, 2)
    missed = cohort.missed
    assert len(missed) == 1
    assert missed[0].key == "tacrolimus-refractory-crohns/mayo-2013/surgery"
    assert (missed[0].missed, missed[0].asked, missed[0].fellows_missed) == (1, 2, 1)
    assert missed[0].citation == "Inflamm Bowel Dis 2013; 19:1107-11"
    assert missed[0].answer == "54%"
    assert [(f.fellow, f.reason) for f in cohort.flags] == [("Dr A", "two answers fit")]
    assert {row.key for row in cohort.sources} >= {
        "tacrolimus-refractory-crohns/mayo-2013", "tacrolimus-other-studies/ibd-2008"
    }
    mayo = next(r for r in cohort.sources if r.key.endswith("mayo-2013"))
    assert mayo.title == "Mayo Clinic series, 2013"
    assert mayo.objective.n + mayo.self_graded.n == 2


def test_percentiles_appear_only_for_a_large_enough_cohort() -> None:
    fellows = []
    for i in range(MIN_FELLOWS_FOR_PERCENTILES):
        reviews = [review(SURGERY, f"2025-01-{6 + d:02d}T19:00:00+01:00", "review", d < i)
                   for d in range(MIN_FELLOWS_FOR_PERCENTILES)]
        doc = export_doc(learner_id=f"f{i}", learner=f"Fellow {i:02d}", reviews=reviews)
        fellows.append(summarize_export(doc, Path(f"f{i}.json")))
    cohort = build_cohort(fellows, generated_at=NOW)
    assert cohort.percentiles is not None
    assert cohort.percentiles["f9"] == 100.0 and cohort.percentiles["f0"] == 0.0
    assert build_cohort(fellows[:-1], generated_at=NOW).percentiles is None


def test_percentile_ranks_count_ties_as_half() -> None:
    ranks = percentile_ranks({"a": 50.0, "b": 50.0, "c": 90.0})
    assert ranks == {"a": 25.0, "b": 25.0, "c": 100.0}
