"""``ibdquiz preview``: every question a deck generates, for the director who wrote it."""

from __future__ import annotations

import json
from itertools import groupby
from pathlib import Path
from typing import Any

import click

from ibdquiz.commands import common
from ibdquiz.commands.common import Context, get_context
from ibdquiz.core.card import Card, CardKind
from ibdquiz.core.cards import DESIGN_FACT, SIZE_FACT, cards_for_deck, choice_options
from ibdquiz.core.context import context
from ibdquiz.core.grading import input_hint
from ibdquiz.core.model import Deck
from ibdquiz.core.printable import printable
from ibdquiz.errors import DeckError

_DECK_SUFFIXES = (".yaml", ".yml")


@click.command("preview")
@click.argument("target", metavar="PATH|DECK")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Text for reading, or one JSON array of cards.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed for the choice options (a session uses the card's review count).")
def preview(target: str, fmt: str, seed: int) -> None:
    """Show every card a deck generates: prompts, answers, options (the correct one marked).

    PATH is a deck file; DECK is the id of a deck found by 'ibdquiz decks'. A deck with errors
    prints them (stderr, one per line) and exits 1.

    \b
    Example:
        ibdquiz preview my-deck.yaml
        ibdquiz preview tacrolimus-refractory-crohns --format json --seed 3
    """
    deck = resolve_deck(get_context(), target)
    cards = cards_for_deck(deck)
    if fmt == "json":
        click.echo(json.dumps([card_json(c, seed) for c in cards], ensure_ascii=False, indent=2))
    else:
        render_text(deck, cards, seed)


def resolve_deck(ctx: Context, target: str) -> Deck:
    """The deck a PATH or a deck id names; a file with errors prints them and exits 1."""
    path = Path(target)
    if path.is_file() or (path.exists() and not path.is_dir()):  # a device, a FIFO: refused
        from ibdquiz.core.deckload import load_deck

        result = load_deck(path)
        for diagnostic in result.diagnostics:
            click.echo(printable(str(diagnostic)), err=True)
        if result.deck is None:
            raise click.exceptions.Exit(1)
        return result.deck
    if path.is_dir():
        raise DeckError(f"{printable(target)} is a folder; preview one deck file or a deck id")
    if path.suffix.lower() in _DECK_SUFFIXES or "/" in target or "\\" in target:
        raise DeckError(f"{printable(target)}: no such file")
    from ibdquiz.commands.decks import load_catalog

    catalog = load_catalog(ctx)
    if target not in catalog.decks:
        known = ", ".join(sorted(catalog.decks)) or "none"
        raise DeckError(
            f"no deck file or deck id '{printable(target)}' (deck ids found: {known}); "
            "'ibdquiz decks' lists them"
        )
    return catalog.decks[target]


def card_json(card: Card, seed: int) -> dict[str, Any]:
    """One card as the preview object of docs/rules.md (choice only: options, correct_index)."""
    out: dict[str, Any] = {
        "card_id": card.id,
        "deck": card.deck,
        "source": card.source,
        "fact": card.fact,
        "kind": card.kind.value,
        "prompt": card.prompt,
        "answer": card.answer.text,
        "answer_kind": card.answer.kind.value,
        "context": context(card),
    }
    if card.kind is CardKind.CHOICE:
        options = choice_options(card, seed)
        out["options"] = list(options.options)
        out["correct_index"] = options.correct_index
    out["citation"] = card.citation
    out["via"] = card.via
    out["explain"] = card.explain
    return out


_APPRAISAL_HEADINGS = {SIZE_FACT: "study size", DESIGN_FACT: "study design"}
_LABEL_WIDTH = 8


def render_text(deck: Deck, cards: list[Card], seed: int) -> None:
    """Cards grouped by source and fact, with rich formatting (deck text is never markup).

    Each fact is a small table: a label column (ask, answer, choice, numeric, recall, why) and a
    text column whose long lines wrap under themselves, so the page reads well at 80 columns.
    """
    from rich.text import Text

    console = common.console(highlight=False)
    console.print(Text(printable(deck.title), style="bold"))
    console.print(Text(f"{deck.id} · {len(cards)} cards · options shown for seed {seed}",
                       style="dim"))
    sources = {s.id: s for s in deck.sources}
    facts = {(s.id, f.id): f for s in deck.sources for f in s.facts}
    for source_id, source_cards in groupby(cards, key=lambda c: c.source):
        source = sources[source_id]
        details = [x for x in (source.design, f"n={source.n}" if source.n else "") if x]
        console.print()
        name = printable(f"{source.label or source.citation} ({source.id})")
        console.rule(Text(name, style="bold"), align="left")
        shown = [source.citation] if source.label and source.label != source.citation else []
        if shown or details:  # a source without a label is already named by its citation
            console.print(Text(printable(" · ".join([*shown, *details])), style="dim"))
        for fact_id, fact_cards in groupby(source_cards, key=lambda c: c.fact):
            fact = facts.get((source_id, fact_id))
            _render_fact(console, fact_id, list(fact_cards), seed,
                         cloze=fact is not None and fact.cloze is not None)


def _render_fact(console: Any, fact_id: str, cards: list[Card], seed: int, *, cloze: bool
                 ) -> None:
    from rich.text import Text

    first = cards[0]
    appraisal = _APPRAISAL_HEADINGS.get(fact_id)
    where = [f"line {first.line}"] if first.line else []
    heading = Text(appraisal or fact_id, style="bold cyan")
    extra = ["appraisal card", *where] if appraisal else where
    if extra:
        heading.append(f"  ({', '.join(extra)})", style="dim")
    console.print()
    console.print(heading)
    row = _Rows(console)
    header = context(first)
    whole = [first.label or first.source, first.design or "",
             f"n={first.n}" if first.n is not None else "", first.citation]
    if header != " · ".join(dict.fromkeys(part for part in whole if part)):
        row.add("header", header, "dim", "  (hides what would give the answer)")
    row.add("cloze" if cloze else "ask", first.prompt)
    row.add("answer", first.answer.text, "bold green", f"  ({first.answer.kind.value})")
    for card in cards:
        if card.kind is CardKind.CHOICE:
            options = choice_options(card, seed)
            for index, option in enumerate(options.options):
                right = index == options.correct_index
                row.add("choice" if index == 0 else "", option, "bold green" if right else "",
                        "  ✓ correct" if right else "", number=f"{index + 1}. ")
        elif card.kind is CardKind.NUMERIC:
            row.add("numeric", f"typed; the fellow sees: {input_hint(card)}", "dim")
        else:
            row.add("recall", "flashcard: reveal, then grade 0-5", "dim")
    if first.explain:
        row.add("patients" if appraisal else "why", first.explain, "italic")


class _Rows:
    """Prints label + text rows whose long text wraps under itself (a hanging indent)."""

    INDENT = 2

    def __init__(self, console: Any) -> None:
        self.console = console

    def add(self, label: str, text: str, style: str = "", note: str = "", *, number: str = ""
            ) -> None:
        """One row: ``label`` in its column, then ``number`` and ``text`` wrapped; ``note`` dim."""
        import textwrap

        from rich.text import Text

        left = " " * self.INDENT + label.ljust(_LABEL_WIDTH) + " "
        hang = len(left) + len(number)
        width = max(20, self.console.width - hang)
        lines = textwrap.wrap(printable(text), width, break_long_words=False,
                              break_on_hyphens=False)
        lines = lines or [""]
        if note and len(lines[-1]) + len(note) > width:
            lines.append("")
        for index, line in enumerate(lines):
            prefix = (left[: self.INDENT], (left[self.INDENT:], "magenta"), (number, "")) if (
                index == 0) else (" " * hang,)
            tail = (note, "dim") if index == len(lines) - 1 and note else ("", "")
            self.console.print(Text.assemble(*prefix, (line, style), tail), crop=False,
                               overflow="ignore", no_wrap=True)


COMMANDS: list[click.Command] = [preview]
