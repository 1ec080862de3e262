"""One pass per deck: the distractor pools are built once and shared by warnings and cards."""

from __future__ import annotations

import gc

from ibdquiz.core import distractors
from ibdquiz.core.authoring import author_warnings
from ibdquiz.core.card import CardKind
from ibdquiz.core.cards import cards_for_deck
from ibdquiz.core.distractors import DeckPeers, DeckPools, deck_pools, fact_pool
from tests.helpers_cards import deck, fact, mayo_source, source


def test_pools_are_built_once_per_deck_object_and_forgotten_with_it() -> None:
    d = deck(mayo_source(), source("other", fact("x", "90%"), fact("y", "5%")))
    first = deck_pools(d)
    author_warnings(d, "t.yaml")
    cards_for_deck(d)
    assert deck_pools(d) is first  # the cards reuse the pools built once for the deck
    key = id(d)
    assert key in distractors._POOLS
    del d
    gc.collect()
    assert key not in distractors._POOLS


def test_an_equal_but_distinct_deck_gets_its_own_pools() -> None:
    a = deck(mayo_source())
    b = deck(mayo_source())
    assert deck_pools(a) is not deck_pools(b)


def test_shared_pools_match_a_fresh_computation_for_every_fact() -> None:
    d = deck(mayo_source(), source("other", fact("x", "90%"), fact("y", "12/24 (50%)"),
                                   fact("z", "3 months")))
    fresh = DeckPools(d)
    peers = DeckPeers(d)
    for src, f in d.facts():
        shared = deck_pools(d).pool(src.id, f.id)
        assert shared == fresh.pool(src.id, f.id)
        if f.answer.kind.numeric:
            assert shared == fact_pool(peers, src.id, f)
    choice = [c for c in cards_for_deck(d) if c.kind is CardKind.CHOICE]
    assert choice and all(c.pool == fresh.pool(c.source, c.fact).texts for c in choice
                          if not c.fact.startswith("_"))


def test_deck_tier_only_looks_at_a_bounded_number_of_peers() -> None:
    # 200 percent facts in other sources: the deck tier examines at most MAX_EXAMINED of them
    others = [source(f"s{i}", *(fact(f"f{j}", f"{(i * 10 + j) % 100}%") for j in range(10)))
              for i in range(20)]
    d = deck(source("lonely", fact("only", "54%")), *others)
    peers = DeckPeers(d)
    lonely = d.sources[0]
    seen = list(peers.same_deck("lonely", lonely.facts[0]))
    assert len(seen) == 200  # the index holds them all, in deck order ...
    pool = deck_pools(d).pool("lonely", "only")
    assert 3 <= len(pool) <= distractors.MAX_POOL  # ... but a pool stops early
