"""The JSON export's shape (DESIGN §9) as msgspec structs: what ``report`` reads and checks.

Decoding straight into these types reads only the fields the report uses and checks their
types as it goes, several times faster than ``json.loads`` into dicts and with far less memory:
the report reads folders of large exports. Fields the report does not use are skipped.
"""

from __future__ import annotations

import msgspec

EXPORT_FORMAT = "ibdquiz-export"
EXPORT_VERSION = 1


class DeckIn(msgspec.Struct):
    """A deck entry."""

    id: str
    title: str = ""
    cards: int = 0


class CardIn(msgspec.Struct):
    """A card entry (only what the report shows)."""

    card_id: str
    deck: str = ""
    source: str = ""
    fact: str = ""
    kind: str = ""
    prompt: str = ""
    answer: str = ""
    citation: str = ""
    label: str = ""
    tags: list[str] = msgspec.field(default_factory=list)


class ReviewIn(msgspec.Struct):
    """A review entry (only what the report counts)."""

    card_id: str
    reviewed_at: str
    phase: str
    correct: bool


class FlagIn(msgspec.Struct):
    """A flag entry."""

    card_id: str
    reason: str | None = ""
    flagged_at: str | None = ""


class SummaryIn(msgspec.Struct):
    """The summary (only the day start hour, which places answers on study days)."""

    day_start_hour: int = 4


class ExportIn(msgspec.Struct):
    """A whole export file."""

    format: str
    version: int
    learner_id: str | None = None
    learner: str | None = None
    profile: str | None = ""
    exported_at: str = ""
    ibdquiz_version: str | None = ""
    decks: list[DeckIn] = msgspec.field(default_factory=list)
    cards: list[CardIn] = msgspec.field(default_factory=list)
    reviews: list[ReviewIn] = msgspec.field(default_factory=list)
    flags: list[FlagIn] = msgspec.field(default_factory=list)
    summary: SummaryIn = msgspec.field(default_factory=SummaryIn)


class HeaderIn(msgspec.Struct):
    """Just the format and version: read to explain why a file did not decode."""

    format: object = None
    version: object = None


EXPORT_DECODER = msgspec.json.Decoder(ExportIn)
HEADER_DECODER = msgspec.json.Decoder(HeaderIn)
