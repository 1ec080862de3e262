"""Card generation and option picking on a large deck: ``python benchmarks/bench_cards.py``.

Target: cards for a 1000-fact deck in well under a second (the deck is re-synced at start-up),
and a choice card's options in well under a millisecond.
"""

from __future__ import annotations

import time

from ibdquiz.core.answers import parse_answer
from ibdquiz.core.card import CardKind
from ibdquiz.core.cards import cards_for_deck, choice_options
from ibdquiz.core.model import Deck, Fact, Source

ANSWERS = ["{}%", "{}/120", "{} months", "{}-{} ng/mL", "{} mg", "plain text {}"]


def big_deck(facts: int = 1000, per_source: int = 20) -> Deck:
    """A synthetic deck of mixed answer kinds."""
    sources = []
    for s in range(facts // per_source):
        items = []
        for i in range(per_source):
            k = s * per_source + i
            template = ANSWERS[k % len(ANSWERS)]
            value = k % 97 + 1
            text = template.format(value, value + 5)
            items.append(Fact(id=f"f{k}", ask=f"Question {k}?", answer=parse_answer(text),
                              explain="e"))
        sources.append(Source(id=f"s{s}", citation=f"Journal {s}", label=f"Study {s}",
                              design=["cohort", "trial", "series", "review", "audit"][s % 5],
                              n=10 + s, facts=tuple(items)))
    return Deck(id="big", title="Big", sources=tuple(sources))


def main() -> None:
    deck = big_deck()
    start = time.perf_counter()
    cards = cards_for_deck(deck)
    generated = time.perf_counter() - start
    choices = [c for c in cards if c.kind is CardKind.CHOICE]
    start = time.perf_counter()
    for card in choices:
        choice_options(card, 3)
    picked = (time.perf_counter() - start) / max(1, len(choices))
    print(f"{len(cards)} cards from 1000 facts in {generated * 1000:.0f} ms")
    print(f"options for {len(choices)} choice cards: {picked * 1e6:.0f} µs each")


if __name__ == "__main__":
    main()
