"""Item analysis: how each question behaved at the fellows' first attempts.

An *item* is one question as written: a fact's card of one kind, in one version (the card's
content hash, so an item the author fixes starts afresh). Its statistics come from first
exposures only (each fellow's first counted answer to that version; an undone attempt counts),
the attempt that measures what the fellow knew rather than what the scheduler taught:

- ``n`` fellows, difficulty ``p`` (share correct);
- discrimination: the point-biserial correlation of the item (right/wrong) with the fellow's
  *rest score* (their first-attempt % on the objective items of every other fact), and the
  upper–lower index (p in the top third of fellows by rest score minus p in the bottom third);
  both shown only from ``MIN_ITEM_N`` fellows;
- for choice cards, the share of fellows choosing each option.

"Items to review" lists, for the deck's author: possible miskeys (negative discrimination,
r ≤ −0.1 with a negative upper–lower index, or a distractor chosen more often than the key by
the top third), items too easy or cued (p ≥ 0.95),
dead distractors (offered to ``MIN_ITEM_N`` or more fellows, chosen by none of the
``MIN_WRONG_FOR_DEAD`` or more who got the item wrong), and flagged items.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from ibdquiz.report.fellow import OBJECTIVE_KINDS, CardInfo, Fellow, FirstExposure, card_from_id

MIN_ITEM_N = 10
"""Fellows at first attempt needed before discrimination, "too easy" and dead distractors."""
MIN_WRONG_FOR_DEAD = 10
"""A distractor is called dead only when this many fellows got the item wrong and none chose
it: when nearly everyone knows the answer no distractor is chosen, which says nothing, and with
10 wrong answers spread by guessing over 3–4 distractors, one is left unchosen by chance less
than 6% of the time."""
MISKEY_R = -0.1
"""Discrimination at or below this, with the upper–lower index negative too, reads as a
possible miskey (both measures say the item runs backwards; one alone is noisy at small n)."""
TOO_EASY_P = 0.95
UPPER_SHARE = 1 / 3
"""The top (and bottom) third of fellows by rest score, for the upper–lower index."""


@dataclass
class OptionShare:
    """One option of a choice item: how often it was shown and chosen at first attempts."""

    text: str
    key: bool
    offered: int = 0
    chosen: int = 0
    chosen_upper: int = 0
    """Chosen by fellows in the top third by rest score."""

    @property
    def share(self) -> float:
        """Share of the fellows shown it who chose it (0–1)."""
        return self.chosen / self.offered if self.offered else 0.0


@dataclass
class ItemStats:
    """One item's statistics, with why (if at all) its author should look at it."""

    card: CardInfo
    card_hash: str
    n: int = 0
    correct: int = 0
    discrimination: float | None = None
    upper_lower: float | None = None
    options: list[OptionShare] = field(default_factory=list)
    flagged_by: int = 0
    flag_reasons: list[str] = field(default_factory=list)
    location: str = ""
    """``file:line`` of the fact in the deck (with ``report --decks``)."""
    changed: bool = False
    """The deck's current version of the card differs from this one."""
    reasons: list[str] = field(default_factory=list)

    @property
    def p(self) -> float | None:
        """Difficulty: the share correct at first attempt (0–1)."""
        return self.correct / self.n if self.n else None

    @property
    def objective(self) -> bool:
        """Graded by ibdquiz (choice or typed)."""
        return self.card.kind in OBJECTIVE_KINDS

    @property
    def to_review(self) -> bool:
        """Listed under "Items to review"."""
        return bool(self.reasons)


def point_biserial(xs: Sequence[int], ys: Sequence[float]) -> float | None:
    """Pearson's r of 0/1 ``xs`` with ``ys`` (``None`` when either does not vary)."""
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 0 or syy <= 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def _rest_scores(fellow: Fellow) -> tuple[dict[str, list[int]], int, int]:
    """Per fact the fellow's objective first-attempt [n, correct], and the totals."""
    per_fact: dict[str, list[int]] = {}
    for card_id, exposure in fellow.first.items():
        if card_id.rpartition("/")[2] in OBJECTIVE_KINDS:
            cell = per_fact.setdefault(card_id.rpartition("/")[0], [0, 0])
            cell[0] += 1
            cell[1] += exposure.correct
    return per_fact, sum(c[0] for c in per_fact.values()), sum(c[1] for c in per_fact.values())


def item_analysis(
    fellows: Sequence[Fellow], catalog: dict[str, CardInfo], flags: Sequence[object],
    locations: dict[str, tuple[str, int, str]],
) -> Iterator[ItemStats]:
    """Every item answered at least once, in deck order (catalogue order, then card id)."""
    answers: dict[tuple[str, str], list[tuple[FirstExposure, float | None]]] = {}
    for fellow in fellows:
        per_fact, total_n, total_c = _rest_scores(fellow)
        for (card_id, version), exposure in fellow.first_versions.items():
            own = per_fact.get(card_id.rpartition("/")[0], [0, 0])
            rest_n = total_n - own[0]
            rest = (total_c - own[1]) / rest_n if rest_n > 0 else None
            card = catalog.get(card_id)
            digest = version or (card.content_hash if card else "")
            answers.setdefault((card_id, digest), []).append((exposure, rest))
    flagged: dict[str, list[tuple[str, str]]] = {}
    for flag in flags:
        card_id = getattr(flag, "card_id", "")
        flagged.setdefault(card_id, []).append(
            (getattr(flag, "learner_id", ""), getattr(flag, "reason", ""))
        )
    order = {card_id: i for i, card_id in enumerate(catalog)}
    keys = sorted(answers, key=lambda k: (order.get(k[0], len(order)), k[0], k[1]))
    for card_id, digest in keys:
        card = catalog.get(card_id) or card_from_id(card_id)
        item = ItemStats(card=card, card_hash=digest)
        _fill(item, answers[(card_id, digest)])
        who = flagged.get(card_id, [])
        item.flagged_by = len({w for w, _ in who})
        item.flag_reasons = [r for _, r in who if r]
        where = locations.get(card_id)
        if where is not None:
            item.location = f"{where[0]}:{where[1]}"
            item.changed = bool(where[2] and digest and where[2] != digest)
        item.reasons = _reasons(item)
        yield item


def _fill(item: ItemStats, answers: list[tuple[FirstExposure, float | None]]) -> None:
    item.n = len(answers)
    item.correct = sum(1 for e, _ in answers if e.correct)
    scored = [(1 if e.correct else 0, r) for e, r in answers if r is not None]
    upper_ids: set[int] = set()
    if len(scored) >= MIN_ITEM_N:
        item.discrimination = point_biserial([x for x, _ in scored], [r for _, r in scored])
    ranked = sorted(
        (i for i, (_, r) in enumerate(answers) if r is not None), key=lambda i: answers[i][1] or 0
    )
    third = int(len(ranked) * UPPER_SHARE)
    if third >= 1:
        lower, upper = ranked[:third], ranked[-third:]
        upper_ids = set(upper)
        if len(ranked) >= MIN_ITEM_N:
            p_up = sum(answers[i][0].correct for i in upper) / third
            p_low = sum(answers[i][0].correct for i in lower) / third
            item.upper_lower = p_up - p_low
    if item.card.kind != "choice":
        return
    shares: dict[str, OptionShare] = {}
    for i, (exposure, _) in enumerate(answers):
        key = exposure.key
        for text in exposure.options:
            share = shares.get(text)
            if share is None:
                share = shares[text] = OptionShare(text, key == text)
            share.key = share.key or key == text
            share.offered += 1
        if exposure.chosen is not None and exposure.chosen in shares:
            shares[exposure.chosen].chosen += 1
            if i in upper_ids:
                shares[exposure.chosen].chosen_upper += 1
    if not any(s.key for s in shares.values()):  # older exports: the key is the card's answer
        for share in shares.values():
            share.key = share.text == item.card.answer
    item.options = list(shares.values())


def _reasons(item: ItemStats) -> list[str]:
    """Why the author should look at this item (empty: nothing stands out)."""
    reasons: list[str] = []
    keys = [o for o in item.options if o.key]
    if (item.discrimination is not None and item.discrimination <= MISKEY_R
            and item.upper_lower is not None and item.upper_lower < 0):
        reasons.append(
            f"possible miskey: negative discrimination (r = {item.discrimination:.2f}): "
            "fellows who do well elsewhere miss it more often"
        )
    elif keys and item.n >= MIN_ITEM_N:
        rival = max((o for o in item.options if not o.key), key=lambda o: o.chosen_upper,
                    default=None)
        if rival is not None and rival.chosen_upper > keys[0].chosen_upper:
            reasons.append(
                f"possible miskey: the top third chose {rival.text!r} "
                f"({rival.chosen_upper}) more often than the key ({keys[0].chosen_upper})"
            )
    p = item.p
    if item.objective and p is not None and item.n >= MIN_ITEM_N and p >= TOO_EASY_P:
        reasons.append(f"too easy or cued: {100 * p:.0f}% right at first attempt")
    wrong = item.n - item.correct
    for option in item.options:
        if (not option.key and option.offered >= MIN_ITEM_N and option.chosen == 0
                and wrong >= MIN_WRONG_FOR_DEAD):
            reasons.append(f"dead distractor: {option.text!r} chosen by none of "
                           f"{option.offered} fellows")
    if item.flagged_by:
        reasons.append(f"flagged by {item.flagged_by} fellow{'s' if item.flagged_by > 1 else ''}")
    return reasons
