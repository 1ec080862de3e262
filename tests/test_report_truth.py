"""The report tells simulated fellows apart where the truth is known (issue 12's "done when").

Every cohort answers the bundled deck's real cards (``tests/helpers_sim.py``); the exports go
through the real reader, the cohort and, where it matters, the real CLI.
"""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ibdquiz.core.card import Card, CardKind
from ibdquiz.core.cards import choice_options
from ibdquiz.report.cohort import Cohort, build_cohort
from ibdquiz.report.fellow import summarize_export
from ibdquiz.report.items import ItemStats
from tests.helpers_sim import (
    DECK_FILE,
    SimFellow,
    deck_cards,
    default_choice,
    simulate,
    true_objective,
)

NOW = datetime(2025, 12, 1, tzinfo=timezone.utc)


def _cohort(docs: list[dict[str, Any]]) -> Cohort:
    fellows = [summarize_export(doc, Path(f"{i}.json")) for i, doc in enumerate(docs)]
    return build_cohort(fellows, generated_at=NOW)


def _by_name(cohort: Cohort, name: str) -> Any:
    fellow = next(f for f in cohort.fellows if f.name == name)
    return cohort.stats[fellow.learner_id]


def test_a_guesser_scores_near_chance_and_honest_fellows_do_not() -> None:
    sims = [SimFellow(f"id-{i}", f"Dr {i}", ability=1.0) for i in range(5)]
    sims.append(SimFellow("id-guess", "Dr Guess", ability=0.0, guesser=True))
    cohort = _cohort(simulate(sims, seed=11))
    guess = _by_name(cohort, "Dr Guess")
    assert guess.chance is not None and 5 < guess.chance < 25
    assert guess.chance - 5 <= guess.objective.percent <= guess.chance + 5
    assert abs(guess.choice.percent - 100 / 4.5) < 8  # 4–5 options: 20–25% by luck
    for i in range(5):
        honest = _by_name(cohort, f"Dr {i}")
        assert honest.objective.percent > honest.chance + 25
    # the guesser is below the others, and the interval says so
    assert cohort.below_cohort(next(f for f in cohort.fellows if f.name == "Dr Guess"))


def test_a_generous_self_grader_is_flagged_and_honest_ones_are_not() -> None:
    sims = [SimFellow(f"id-{i}", f"Dr {i}", ability=0.5 + 0.2 * i) for i in range(5)]
    sims.append(SimFellow("id-gen", "Dr Generous", ability=0.0, generous=True))
    cohort = _cohort(simulate(sims, seed=12))
    assert [f.name for f in cohort.generous] == ["Dr Generous"]
    generous = _by_name(cohort, "Dr Generous")
    assert generous.self_graded.percent > 95
    assert generous.gap is not None and generous.gap.points > 30
    # the headline stays objective: the generous grades do not lift it
    assert generous.objective.percent < 70


def test_the_cohort_mean_is_not_dragged_by_a_heavy_struggling_user() -> None:
    sims = [SimFellow(f"id-{i}", f"Dr {i}", ability=2.0) for i in range(4)]
    sims.append(SimFellow("id-heavy", "Dr Heavy", ability=-1.5, reviews_per_card=12))
    cohort = _cohort(simulate(sims, seed=13))
    heavy = next(f for f in cohort.fellows if f.name == "Dr Heavy")
    others = [f for f in cohort.fellows if f is not heavy]
    assert heavy.total.n > 3 * max(f.total.n for f in others)  # most of the answers
    means = [cohort.stats[f.learner_id].objective.percent for f in cohort.fellows]
    assert abs(cohort.objective.percent - sum(means) / len(means)) < 1e-9
    pooled = cohort.pooled_objective.percent
    assert pooled is not None and cohort.objective.percent > pooled + 10
    truth = 100 * sum(true_objective(s) for s in sims) / len(sims)
    low, high = cohort.objective.interval or (0, 0)
    assert low - 5 <= truth <= high + 5  # objective answers also carry guessing


def _choice_cards() -> list[Card]:
    return [c for c in deck_cards() if c.kind is CardKind.CHOICE and len(c.pool) >= 3]


def _thirty(tmp_path: Path) -> tuple[Path, Card, Card, int]:
    """30 fellows; one item keyed wrong, one with a distractor nobody would pick."""
    choice = _choice_cards()
    miskeyed, dead = choice[3], choice[7]

    def chooser(fellow: SimFellow, card: Card, options: tuple[str, ...], key: int,
                knows: bool, rng: random.Random) -> int:
        if card.id == miskeyed.id and knows:  # the fellows who know pick the "real" answer
            return (key + 1) % len(options)
        if card.id == dead.id:
            useless = (key + 2) % len(options)
            if knows and rng.random() > 0.7:  # a hard item: most fellows guess
                return key
            return rng.choice([i for i in range(len(options)) if i != useless])
        return default_choice(fellow, card, options, key, knows, rng)

    rng = random.Random(5)
    sims = [SimFellow(f"id-{i:02d}", f"Dr {i:02d}", ability=rng.gauss(0.7, 1.2))
            for i in range(30)]
    flagged = {
        sims[0].learner_id: [{"card_id": miskeyed.id, "reason": "the key looks wrong",
                              "flagged_at": "2025-02-01T20:00:00+01:00",
                              "options": ["a", "b", "c", "d"], "context": "Mayo · choice",
                              "card_hash": miskeyed.content_hash}],
        sims[1].learner_id: [{"card_id": miskeyed.id, "reason": "two answers fit",
                              "flagged_at": "2025-02-02T20:00:00+01:00",
                              "options": ["a", "b", "c", "d"], "context": "Mayo · choice",
                              "card_hash": miskeyed.content_hash}],
    }
    docs = simulate(sims, seed=14, chooser=chooser, flags=flagged)
    folder = tmp_path / "exports"
    folder.mkdir()
    for i, doc in enumerate(docs):
        (folder / f"fellow-{i:02d}.json").write_text(json.dumps(doc), encoding="utf-8")
    return folder, miskeyed, dead, 2


def test_items_to_review_finds_the_miskey_and_the_dead_distractor(tmp_path: Path) -> None:
    folder, miskeyed, dead, _ = _thirty(tmp_path)
    items_csv, items_json = tmp_path / "items.csv", tmp_path / "items.json"
    page = tmp_path / "r.html"
    result = subprocess.run(
        [sys.executable, "-m", "ibdquiz", "report", str(folder), "--decks",
         str(DECK_FILE.parent), "--items-csv", str(items_csv), "--items-json", str(items_json),
         "--output", str(page)],
        capture_output=True, text=True, encoding="utf-8", timeout=120,
    )
    assert result.returncode == 0, result.stderr
    rows = {r["card_id"]: r for r in csv.DictReader(items_csv.open(encoding="utf-8"))}
    mis = rows[miskeyed.id]
    assert "possible miskey" in mis["review"]
    assert mis["discrimination"] == "" or float(mis["discrimination"]) < 0.1
    assert float(mis["p"]) < 0.3  # the fellows who know it are marked wrong
    assert mis["location"] == f"{DECK_FILE}:{miskeyed.line}"
    assert "flagged by 2 fellows" in mis["review"]
    dead_row = rows[dead.id]
    assert "dead distractor" in dead_row["review"]
    assert int(dead_row["n"]) == 30
    doc = json.loads(items_json.read_text(encoding="utf-8"))
    entry = next(i for i in doc["items"] if i["card_id"] == dead.id)
    shown = choice_options(dead, 0)
    useless = shown.options[(shown.correct_index + 2) % len(shown.options)]
    option = next(o for o in entry["options"] if o["text"] == useless)
    assert (option["key"], option["chosen"], option["offered"]) == (False, 0, 30)
    assert f"dead distractor: {useless!r} chosen by none of 30 fellows" in dead_row["review"]
    html = page.read_text(encoding="utf-8")
    review = html.split("<h2>Items to review</h2>")[1].split("<h2>")[0]
    assert miskeyed.id in review and dead.id in review
    assert f"tacrolimus-refractory-crohns.yaml:{miskeyed.line}" in review
    flags = html.split("<h2>Flagged questions</h2>")[1].split("<h2>")[0]
    assert flags.count("<tr>") == 2  # header + one question, flagged by two fellows
    assert "header: Mayo · choice" in flags and "the key looks wrong" in flags
    assert "two answers fit" in flags


def test_item_statistics_of_an_ordinary_item() -> None:
    rng = random.Random(8)
    sims = [SimFellow(f"id-{i:02d}", f"Dr {i:02d}", ability=rng.gauss(0.5, 1.5))
            for i in range(30)]
    cohort = _cohort(simulate(sims, seed=15))
    items = [i for i in cohort.items if isinstance(i, ItemStats)]
    choice = [i for i in items if i.card.kind == "choice"]
    every = [c for c in deck_cards() if c.kind is CardKind.CHOICE]
    assert len(choice) == len(every) and all(i.n == 30 for i in choice)
    # knowing the fact makes an item right: discrimination is positive on average
    rs = [i.discrimination for i in choice if i.discrimination is not None]
    assert sum(rs) / len(rs) > 0.2
    for item in choice:
        assert abs(sum(o.share for o in item.options) - 1) < 1e-9  # every answer is one option
        assert sum(1 for o in item.options if o.key) == 1
