"""Loading a deck file into the model (DESIGN §3), reporting every problem of a file in one run.

``load_deck`` never raises for bad content: it returns a ``LoadResult`` whose ``deck`` is None when
there is any error, and whose diagnostics each name ``file:line:col`` and say how to fix it.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ibdquiz.core.authoring import author_warnings
from ibdquiz.core.factload import CLOZE_BLANK, FACT_KEYS, FactReader
from ibdquiz.core.model import Deck, LoadResult, Severity, Source
from ibdquiz.core.nodereader import ID_PATTERN, Fields, merge_tags, suggest_id, what_is
from ibdquiz.core.yamlload import (
    MAX_BYTES,
    Mapping,
    Node,
    Problems,
    Scalar,
    compose,
    decode,
)

__all__ = [
    "CLOZE_BLANK", "DECK_KEYS", "FACT_KEYS", "ID_PATTERN", "SOURCE_KEYS", "load_deck",
    "load_deck_bytes", "load_deck_text", "merge_tags", "suggest_id",
]

DECK_KEYS = ("deck", "title", "format", "description", "tags", "sources")
SOURCE_KEYS = (
    "id", "citation", "label", "design", "n", "population", "pmid", "doi", "url", "via", "tags",
    "facts",
)
FORMAT_VERSION = 1


def load_deck(path: Path) -> LoadResult:
    """Load and validate one deck file; never raises for a bad or unreadable file."""
    name = str(path)
    problems = Problems(name)
    try:
        if path.is_dir():
            problems.add(1, 1, "this is a folder, not a deck file; name a .yaml file")
            return LoadResult(path, None, problems.finish())
        size = path.stat().st_size
        if size > MAX_BYTES:
            problems.add(1, 1, f"the file is {size} bytes; decks over {MAX_BYTES} bytes (5 MB) are "
                         "refused; split it into several decks")
            return LoadResult(path, None, problems.finish())
        data = path.read_bytes()
    except FileNotFoundError:
        problems.add(1, 1, "no such file; check the path")
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


def _load(text: str, path: Path, content_hash: str) -> LoadResult:
    name = str(path)
    problems = Problems(name)
    composed = compose(text, name)
    problems.extend(composed.diagnostics)
    if composed.root is None:
        if not problems.items:
            problems.add(1, 1, "the file is empty; write a deck (run 'ibdquiz new-deck FILE' for a "
                         "commented template)")
        return LoadResult(path, None, problems.finish())
    deck = _DeckReader(problems).deck(composed.root, path, content_hash)
    if problems.has_errors or deck is None:
        return LoadResult(path, None, problems.finish())
    problems.extend(author_warnings(deck, name))
    return LoadResult(path, deck, problems.finish())


class _DeckReader(FactReader):
    """Reads the node tree of one deck, recording every problem it finds."""

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
        deck_id = self.ident(fields, "deck", "deck", root)
        title = self.text(fields, "title", "deck", root, required=True)
        self.format(fields)
        description = self.text(fields, "description", "deck", root) or ""
        tags = self.tags(fields)
        sources = self.sources(fields, root, tags)
        if deck_id is None or title is None or sources is None:
            return None
        if not any(source.facts for source in sources) and not self.problems.has_errors:
            where = fields["sources"][0] if "sources" in fields else root
            self.error(where, "the deck has no facts; add at least one fact under a source's "
                       "'facts:' (a fact has an id and either ask + answer, or cloze)")
            return None
        if path.stem != deck_id:
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

    def source(self, node: Node, deck_tags: tuple[str, ...]) -> Source | None:
        if not isinstance(node, Mapping):
            self.type_error(node, "each source", "a mapping of keys (id:, citation:, facts:)")
            return None
        fields = self.fields(node, SOURCE_KEYS, "source")
        source_id = self.ident(fields, "id", "source", node)
        citation = self.text(fields, "citation", "source", node, required=True)
        label = self.text(fields, "label", "source", node)
        design = self.text(fields, "design", "source", node)
        population = self.text(fields, "population", "source", node)
        via = self.text(fields, "via", "source", node)
        n = self.count(fields)
        pmid = self.checked(fields, "pmid", node, r"\d+",
                            "a PubMed id is digits only, e.g. 23567890")
        doi = self.checked(fields, "doi", node, r"10\.\S+/\S+",
                           "a DOI looks like 10.1002/ibd.12345 (without https://doi.org/)")
        url = self.checked(fields, "url", node, r"https?://\S+", "a url starts with https:// or "
                           "http://")
        tags = merge_tags(deck_tags, self.tags(fields))
        facts = self.facts(fields, tags)
        if source_id is None or citation is None or facts is None:
            return None
        return Source(source_id, citation, label or citation, design, n, population, pmid, doi, url,
                      tags, tuple(facts), node.line, node.col, via)

    def count(self, fields: Fields) -> int | None:
        scalar = self.scalar(fields, "n", "source")
        if scalar is None:
            return None
        text = scalar.text.strip()
        if not text.isascii() or not text.isdigit() or int(text) < 1:
            self.error(scalar, f"n is the number of patients, a whole number such as 24; {text!r} "
                       "is not one (leave n out if the source does not give it)")
            return None
        return int(text)

    def checked(self, fields: Fields, name: str, parent: Mapping, pattern: str, hint: str
                ) -> str | None:
        text = self.text(fields, name, "source", parent, prose=False)
        if text is not None and not re.fullmatch(pattern, text):
            self.error(fields[name][1], f"{name} {text!r} is not valid: {hint}")
            return None
        return text
