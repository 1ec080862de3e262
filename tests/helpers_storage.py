"""Shared set-up for the storage, session and stats tests: a small deck, a settable clock.

The deck is an invented example (no medical claim): its numbers only exercise the card kinds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ibdquiz.core.deckload import load_deck_text
from ibdquiz.core.model import Deck

DECK_TEXT = """\
deck: demo
title: Demo deck
tags: [demo]
sources:
  - id: alpha
    citation: Example Journal 2000; 1:1-2
    label: Example study A
    facts:
      - id: yes-share
        ask: What share of respondents answered yes?
        answer: {yes}
        explain: An example explanation.
        tags: [answers]
      - id: no-share
        ask: What share of respondents answered no?
        answer: 20%
      - id: blank-share
        ask: What share of respondents left it blank?
        answer: 6%
      - id: follow-up
        ask: How long was the example follow-up?
        answer: 10 months
        explain: Ten months in the example.
{extra}
  - id: beta
    citation: Example Journal 2001; 2:3-4
    label: Example study B
    tags: [second]
    facts:
      - id: word
        ask: Which example word was chosen?
        answer: apple
        explain: The example chose apple.
"""

EXTRA_FACT = """\
      - id: extra
        ask: What share of respondents answered twice?
        answer: 3%
"""


def demo_deck(*, yes: str = "54%", extra: bool = False, ask_suffix: str = "") -> Deck:
    """The demo deck; ``yes`` changes one answer, ``extra`` adds a fact, ``ask_suffix`` rewords."""
    text = DECK_TEXT.format(yes=yes, extra=EXTRA_FACT if extra else "")
    if ask_suffix:
        text = text.replace(
            "What share of respondents answered yes?",
            f"What share of respondents answered yes{ask_suffix}?",
        )
    result = load_deck_text(text, "demo.yaml")
    if result.deck is None:
        raise RuntimeError("\n".join(str(d) for d in result.diagnostics))
    return result.deck


EST = timezone(timedelta(hours=-5))


@dataclass
class FakeClock:
    """A clock the test moves by hand (aware, in the learner's zone)."""

    moment: datetime

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        """Move the clock forward."""
        self.moment += timedelta(**delta)


def clock_at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> FakeClock:
    """A clock at a local time in UTC−5."""
    return FakeClock(datetime(year, month, day, hour, minute, tzinfo=EST))


def file_bytes(path: Path) -> bytes:
    """A file's bytes, to prove a refused file was left untouched."""
    return path.read_bytes()
