"""Loading a deck file into the model (docs/deck-format.md), every problem of a file in one run.

``load_deck`` never raises for bad content: it returns a ``LoadResult`` whose ``deck`` is None when
there is any error, and whose diagnostics each name ``file:line:col`` and say how to fix it.
"""

from __future__ import annotations

import errno
import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ibdquiz.core import deckformat
from ibdquiz.core.authoring import author_warnings
from ibdquiz.core.factload import FactReader
from ibdquiz.core.model import Deck, Fact, LoadResult, Severity, Source
from ibdquiz.core.problems import Problems
from ibdquiz.core.regular import NotRegularFile, read_regular
from ibdquiz.core.yamlnodes import (
    MAX_BYTES,
    Fields,
    Mapping,
    Node,
    Scalar,
    compose,
    decode,
    merge_tags,
    refuse_controls,
    suggest_id,
    what_is,
)

DECK_KEYS = deckformat.keys(deckformat.DECK)
SOURCE_KEYS = deckformat.keys(deckformat.SOURCE)
FORMAT_VERSION = 1


def load_deck(path: Path) -> LoadResult:
    """Load and validate one deck file; never raises for a bad or unreadable file."""
    name = str(path)
    problems = Problems(name)
    try:
        data = read_regular(path, MAX_BYTES)
    except FileNotFoundError:
        problems.add(1, 1, "no such file; check the path")
        return LoadResult(path, None, problems.finish())
    except IsADirectoryError:
        problems.add(1, 1, "this is a folder, not a deck file; name a .yaml file")
        return LoadResult(path, None, problems.finish())
    except NotRegularFile as exc:
        if exc.errno == errno.EFBIG:
            problems.add(1, 1, f"{exc.strerror}; decks over {MAX_BYTES} bytes (5 MB) are "
                         "refused; split it into several decks")
        else:
            problems.add(1, 1, f"{exc.strerror}; a deck is a .yaml file")
        return LoadResult(path, None, problems.finish())
    except OSError as exc:
        problems.add(1, 1, f"cannot read the file ({exc.strerror or exc}); check its permissions")
        return LoadResult(path, None, problems.finish())
    return load_deck_bytes(data, path)


def load_deck_bytes(data: bytes, path: Path) -> LoadResult:
    """Validate a deck from the bytes of its file."""
    text, diagnostics = decode(data, str(path))
    if text is None:
        return LoadResult(path, None, diagnostics)
    return _load(text, path, hashlib.sha256(data).hexdigest())


def load_deck_text(text: str, path: str) -> LoadResult:
    """Validate a deck from text (for tests and previews); ``path`` names it in diagnostics."""
    return _load(text, Path(path), hashlib.sha256(text.encode("utf-8")).hexdigest())


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a deck is read (re-enabled after, if it was on).

    Reading a deck makes a tree of ~10 nodes a fact, all alive until the deck is built, and
    creates no garbage cycles: the collector would only walk that growing tree again and again
    (a fifth of validating a 10,000-fact deck). Reference counting still frees as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load(text: str, path: Path, content_hash: str) -> LoadResult:
    with _collector_paused():
        return _read(text, path, content_hash)


def _read(text: str, path: Path, content_hash: str) -> LoadResult:
    name = str(path)
    problems = Problems(name)
    composed = compose(text, name)
    problems.extend(composed.diagnostics)
    refuse_controls(text, composed.root, problems)
    if composed.root is None:
        if not problems.items:
            problems.add(1, 1, "the file is empty; write a deck (run 'ibdquiz new-deck FILE' for a "
                         "commented template)")
        return LoadResult(path, None, problems.finish())
    reader = _DeckReader(problems)
    deck = reader.deck(composed.root, path, content_hash)
    if deck is None:
        return LoadResult(path, None, problems.finish())
    # Warnings come with the errors, from the facts that could be read; but a missing fact
    # changes the deck's pools of wrong options, so those warnings wait for a complete deck.
    warnings = author_warnings(deck, name)
    if reader.dropped_facts:
        warnings = [w for w in warnings if POOL_WARNING not in w.message]
    problems.extend(warnings)
    if problems.has_errors:
        return LoadResult(path, None, problems.finish())
    return LoadResult(path, deck, problems.finish())


POOL_WARNING = "valid distractors"
"""Words of the one warning that depends on every fact of the deck (its pools of wrong options)."""


class _DeckReader(FactReader):
    """Reads the node tree of one deck, recording every problem it finds."""

    dropped_facts = 0
    """Facts left out because of an error (the deck read is then partial)."""

    def fact(self, node: Node, source_tags: tuple[str, ...]) -> Fact | None:
        """One fact, counting those that cannot be read."""
        fact = super().fact(node, source_tags)
        if fact is None:
            self.dropped_facts += 1
        return fact

    def source(self, node: Node, deck_tags: tuple[str, ...]) -> Source | None:
        """One source, counting it as dropped facts when it cannot be read."""
        source = self._source(node, deck_tags)
        if source is None:
            self.dropped_facts += 1
        return source

    # ---- the deck ---------------------------------------------------------------------------

    def deck(self, root: Node, path: Path, content_hash: str) -> Deck | None:
        if isinstance(root, Scalar) and root.is_null:
            self.error(root, "the file has no deck in it; write a deck (run 'ibdquiz new-deck "
                       "FILE' for a commented template)")
            return None
        if not isinstance(root, Mapping):
            self.error(root, "a deck is a mapping of keys (deck:, title:, sources:), but this "
                       f"file holds {what_is(root)}; see 'ibdquiz new-deck FILE' for the layout")
            return None
        fields = self.fields(root, DECK_KEYS, "deck")
        values = self.plain_values(fields, deckformat.DECK, "deck", root)
        deck_id, title, tags = values["deck"], values["title"], values["tags"]
        description = values["description"] or ""
        self.format(fields)
        sources = self.sources(fields, root, tags)
        if deck_id is None or title is None or sources is None:
            return None
        if not any(source.facts for source in sources) and not self.problems.has_errors:
            where = fields["sources"][0] if "sources" in fields else root
            self.error(where, "the deck has no facts; add at least one fact under a source's "
                       "'facts:' (a fact has an id and either ask + answer, or cloze)")
            return None
        if deck_id not in (path.stem, suggest_id(path.stem)):  # 'My Deck.yaml' holds my-deck
            key = fields["deck"][1]
            self.problems.add(key.line, key.col, f"the deck id '{deck_id}' differs from the file "
                              f"name '{path.name}'; rename the file to '{deck_id}{path.suffix}' or "
                              "change the id (the id keeps the review history, so prefer renaming "
                              "the file)", Severity.WARNING)
        return Deck(deck_id, title, tuple(sources), FORMAT_VERSION, description, tags, path,
                    content_hash)

    def format(self, fields: Fields) -> None:
        if "format" not in fields:
            return
        node = fields["format"][1]
        if not isinstance(node, Scalar) or node.text.strip() != str(FORMAT_VERSION):
            shown = node.text if isinstance(node, Scalar) else what_is(node)
            self.error(node, f"format {shown!r} is not known; this ibdquiz reads format 1: write "
                       "'format: 1' or leave the key out")

    # ---- sources ----------------------------------------------------------------------------

    def sources(self, fields: Fields, root: Mapping, deck_tags: tuple[str, ...]
                ) -> list[Source] | None:
        if "sources" not in fields:
            if not self.misspelt(root, "sources"):
                self.error(root, "the deck has no 'sources'; add 'sources:' with at least one "
                           "source (id, citation) and its facts")
            return None
        return self.unique_items(
            fields["sources"][1], "sources", "a list of sources, each starting with '- id: ...'",
            lambda item: self.source(item, deck_tags), "in the deck",
        )

    def _source(self, node: Node, deck_tags: tuple[str, ...]) -> Source | None:
        if not isinstance(node, Mapping):
            self.type_error(node, "each source", "a mapping of keys (id:, citation:, facts:)")
            return None
        fields = self.fields(node, SOURCE_KEYS, "source")
        v = self.plain_values(fields, deckformat.SOURCE, "source", node)
        tags = merge_tags(deck_tags, v["tags"])
        facts = self.facts(fields, tags)
        if v["id"] is None or v["citation"] is None or facts is None:
            return None
        return Source(v["id"], v["citation"], v["label"] or v["citation"], v["design"], v["n"],
                      v["population"], v["pmid"], v["doi"], v["url"], tags, tuple(facts),
                      node.line, node.col, v["via"])
