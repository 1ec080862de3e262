"""A card as a row of the ``cards`` table and back, so a session or an export needs no deck file."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ibdquiz.core.answers import parse_answer, parse_tolerance
from ibdquiz.core.card import Card, CardKind
from ibdquiz.core.model import Answer, AnswerKind
from ibdquiz.errors import AnswerFormatError
from ibdquiz.storage.lean import NoteText, decode_note_ids, encode_note_ids

CARD_COLUMNS = (
    "id", "deck", "source", "fact", "kind", "position", "prompt", "answer", "answer_kind",
    "tolerance", "explain", "citation", "label", "design", "n", "tags", "pool", "content_hash",
    "via", "notes", "leaks",
)


def card_to_row(card: Card, position: int, note_ids: Mapping[NoteText, int]) -> dict[str, Any]:
    """The ``cards`` columns describing ``card`` (not its bookkeeping columns); ``note_ids``
    gives each of its teaching notes' id in ``note_texts`` (``storage.lean.note_ids``)."""
    return {
        "id": card.id,
        "deck": card.deck,
        "source": card.source,
        "fact": card.fact,
        "kind": card.kind.value,
        "position": position,
        "prompt": card.prompt,
        "answer": card.answer.text,
        "answer_kind": card.answer.kind.value,
        "tolerance": card.tolerance.text if card.tolerance is not None else None,
        "explain": card.explain,
        "citation": card.citation,
        "label": card.label,
        "design": card.design,
        "n": card.n,
        "tags": json.dumps(list(card.tags), ensure_ascii=False),
        "pool": json.dumps(
            [list(pair) for pair in zip(card.pool, card.pool_tiers, strict=True)],
            ensure_ascii=False,
        ),
        "content_hash": card.content_hash,
        "via": card.via,
        "notes": encode_note_ids([note_ids[pair] for pair in card.notes]),
        "leaks": json.dumps(list(card.leaks), ensure_ascii=False),
    }


def _answer(text: str, kind: str) -> Answer:
    if kind == AnswerKind.TEXT.value:
        return Answer(AnswerKind.TEXT, text)
    try:
        return parse_answer(text)
    except AnswerFormatError:
        # Stored from a deck that validated, so this only happens if the parser changed.
        return Answer(AnswerKind.TEXT, text)


def row_to_card(row: dict[str, Any], notes: Mapping[int, NoteText]) -> Card:
    """Rebuild a ``Card`` from its ``cards`` row; ``notes`` holds (at least) its notes by id."""
    pool = json.loads(row["pool"] or "[]")
    tolerance = row["tolerance"]
    return Card(
        id=row["id"],
        deck=row["deck"],
        source=row["source"],
        fact=row["fact"],
        kind=CardKind(row["kind"]),
        prompt=row["prompt"],
        answer=_answer(row["answer"], row["answer_kind"]),
        explain=row["explain"],
        citation=row["citation"],
        label=row["label"],
        design=row["design"],
        n=row["n"],
        tags=tuple(json.loads(row["tags"] or "[]")),
        tolerance=parse_tolerance(tolerance) if tolerance else None,
        content_hash=row["content_hash"],
        pool=tuple(str(text) for text, _ in pool),
        pool_tiers=tuple(int(tier) for _, tier in pool),
        via=row.get("via"),
        notes=tuple(notes[ident] for ident in decode_note_ids(row.get("notes"))),
        leaks=tuple(str(ref) for ref in json.loads(row.get("leaks") or "[]")),
    )
