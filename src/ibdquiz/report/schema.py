"""The JSON export's shape (docs/rules.md) as msgspec structs: what ``report`` reads and checks.

Decoding straight into these types reads only the fields the report uses and checks their
types and bounds as it goes, several times faster than ``json.loads`` into dicts and with far
less memory: the report reads folders of large exports. Fields the report does not use are
skipped. Versions 1 and 2 are read; version 2's fields have defaults, so a version 1 file
decodes the same way.

Limits (a bad file is named in one line and skipped, the report is still built): a file of at
most ``MAX_FILE_BYTES``; each text field at most ``MAX_FIELD_CHARS`` characters; counts at most
``MAX_COUNT``. An answer's options are kept undecoded (``msgspec.Raw``) and decoded only for the
first exposures the item analysis reads.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

EXPORT_FORMAT = "ibdquiz-export"
EXPORT_VERSION = 2
"""The version written; the report reads every version in ``READ_VERSIONS``."""
READ_VERSIONS = (1, 2)

MAX_FILE_BYTES = 256 * 1024 * 1024
"""The largest export file read (256 MiB: about a million answers)."""
MAX_FIELD_CHARS = 64 * 1024
"""The longest text field read (64 KiB characters): names, prompts, reasons, options."""
MAX_COUNT = 10**9
"""The largest count read (a deck's cards, a duration in ms, an option index)."""

Text = Annotated[str, msgspec.Meta(max_length=MAX_FIELD_CHARS)]
Count = Annotated[int, msgspec.Meta(ge=0, le=MAX_COUNT)]
Small = Annotated[int, msgspec.Meta(ge=0, le=1000)]


class DeckIn(msgspec.Struct):
    """A deck entry."""

    id: Text
    title: Text = ""
    cards: Count = 0


class CardIn(msgspec.Struct):
    """A card entry (only what the report shows)."""

    card_id: Text
    deck: Text = ""
    source: Text = ""
    fact: Text = ""
    kind: Text = ""
    prompt: Text = ""
    answer: Text = ""
    citation: Text = ""
    label: Text = ""
    tags: Annotated[list[Text], msgspec.Meta(max_length=1000)] = msgspec.field(
        default_factory=list
    )
    content_hash: Text | None = None
    via: Text | None = None


class ReviewIn(msgspec.Struct):
    """A review entry (only what the report counts)."""

    card_id: Text
    reviewed_at: Text
    phase: Text
    correct: bool
    response: Text = ""
    options: msgspec.Raw = msgspec.field(default_factory=lambda: msgspec.Raw(b"[]"))
    response_index: Small | None = None
    correct_index: Small | None = None
    card_hash: Text | None = None
    undone_at: Text | None = None


class FlagIn(msgspec.Struct):
    """A flag entry (version 2 adds what the fellow saw)."""

    card_id: Text
    reason: Text | None = ""
    flagged_at: Text | None = ""
    options: Annotated[list[Text], msgspec.Meta(max_length=100)] | None = None
    context: Text | None = None
    card_hash: Text | None = None


class SummaryIn(msgspec.Struct):
    """The summary (only the day start hour, which places answers on study days)."""

    day_start_hour: Annotated[int, msgspec.Meta(ge=0, le=23)] = 4


class ExportIn(msgspec.Struct):
    """A whole export file."""

    format: Text
    version: int
    learner_id: Text | None = None
    learner: Text | None = None
    profile: Text | None = ""
    exported_at: Text = ""
    ibdquiz_version: Text | None = ""
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
OPTIONS_DECODER = msgspec.json.Decoder(list[Text])
