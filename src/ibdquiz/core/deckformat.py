"""The deck format, once, as data: each level's fields (key, type, required, doc).

The reader (``deckload``, ``factload``) takes its allowed keys, its required keys and the
hints of its "add 'x:'" messages from these tables; ``deck_schema()`` turns the same tables into
the JSON Schema that ships for editors (``schema/deck.schema.json``; a test checks the shipped
file is what ``python -m ibdquiz.core.deckformat`` writes). A new key is one new ``Field`` here,
then its reading in the loader.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["id", "text", "optional", "count", "pattern", "tags", "list", "special"]
"""How a value is read: an id, required text, optional text, a whole number, text matching a
pattern, tags, a list of the next level, or a rule of its own (``schema`` gives its shape)."""

ID_REGEX = "[a-z0-9][a-z0-9-]*"
"""What an id is: lowercase letters, digits and '-', starting with a letter or digit."""


@dataclass(frozen=True)
class Field:
    """One key of a deck level."""

    key: str
    kind: Kind
    doc: str
    """What the value is, for people: the schema's description and the docs."""
    required: bool = False
    hint: str = ""
    """Said after "add 'key:'" when a required key is missing."""
    pattern: str = ""
    """For ``pattern``: the regular expression the whole value must match."""
    schema: dict[str, Any] = field(default_factory=dict)
    """The JSON Schema of the value, where its kind does not say it all."""
    shape: str = ""
    """How the docs name the value's type, where its kind does not say it."""

    @property
    def type_name(self) -> str:
        """The value's type as the docs' field tables show it."""
        return self.shape or _KIND_NAMES[self.kind]


_KIND_NAMES = {
    "id": "id", "text": "text", "optional": "text", "count": "whole number ≥ 1",
    "pattern": "text", "tags": "tags", "list": "list", "special": "text",
}


DECK: tuple[Field, ...] = (
    Field("deck", "id", "The deck's stable id; should equal the file name without .yaml.",
          required=True,
          hint="with the deck's id (lowercase letters, digits and '-', like the file name)"),
    Field("title", "text", "The deck's title as fellows see it.", required=True,
          hint="with the deck's title as fellows will see it"),
    Field("format", "special", "The deck format version; only 1 exists (may be left out).",
          schema={"enum": [1, "1"]}, shape="`1`"),
    Field("description", "optional", "What the deck covers."),
    Field("tags", "tags", "Tags, inherited deck → source → fact."),
    Field("sources", "list", "One entry per study (or review article).", required=True,
          schema={"type": "array", "items": {"$ref": "#/definitions/source"}},
          shape="list of sources"),
)
"""The top level of a deck file."""

SOURCE: tuple[Field, ...] = (
    Field("id", "id", "Unique in the deck.", required=True,
          hint="with a short stable id (lowercase letters, digits and '-')"),
    Field("citation", "text",
          "Where the source was published, e.g. Inflamm Bowel Dis 2013; 19:1107-11.",
          required=True,
          hint="with where the source was published, e.g. Inflamm Bowel Dis 2013; 19:1107-11"),
    Field("label", "optional", "How questions name the study (default: the citation)."),
    Field("design", "optional", "The study design, only as the source states it."),
    Field("n", "count", "Number of patients (a whole number)."),
    Field("population", "optional", "Who was studied."),
    Field("pmid", "pattern", "PubMed id (digits).", pattern=r"\d+",
          hint="a PubMed id is digits only, e.g. 23567890",
          schema={"type": ["string", "integer", "null"], "pattern": "^[0-9]+$"}),
    Field("doi", "pattern", "DOI, e.g. 10.1002/ibd.12345.", pattern=r"10\.\S+/\S+",
          hint="a DOI looks like 10.1002/ibd.12345 (without https://doi.org/)"),
    Field("url", "pattern", "A link to the source.", pattern=r"https?://\S+",
          hint="a url starts with https:// or http://"),
    Field("via", "optional", "A secondary source the facts were taken through, e.g. a "
          "commentary's summary (shown as 'as summarised by ...')."),
    Field("tags", "tags", "Tags, inherited deck → source → fact."),
    Field("facts", "list", "The facts taken from this source (may be empty).",
          schema={"type": ["array", "null"], "items": {"$ref": "#/definitions/fact"}},
          shape="list of facts"),
)
"""One entry of ``sources``: a study, with its facts."""

FACT: tuple[Field, ...] = (
    Field("id", "id", "Unique within its source.", required=True,
          hint="with a short stable id (lowercase letters, digits and '-')"),
    Field("ask", "special", "The question (with answer; or write a cloze instead).",
          schema={"$ref": "#/definitions/text"}),
    Field("answer", "special", "54%, 8/24 (33%), 10 months, 10-15 ng/mL, 24 or text.",
          schema={"$ref": "#/definitions/text"}, shape="answer"),
    Field("cloze", "special", "A sentence with exactly one {{...}} span, which is the answer; "
          "quote it if it starts with {{.",
          schema={"type": "string", "pattern": "^[^{}]*\\{\\{[^{}]+\\}\\}[^{}]*$"},
          shape="text with one `{{...}}`"),
    Field("explain", "optional", "Why the answer is right."),
    Field("tags", "tags", "Tags, inherited deck → source → fact."),
    Field("choices", "special", "3 or 4 distinct wrong options (the answer is added by ibdquiz).",
          schema={"type": "array", "minItems": 3, "maxItems": 4, "uniqueItems": True,
                  "items": {"type": ["string", "number"]}},
          shape="list of 3–4 texts"),
    Field("tolerance", "special",
          "For numeric answers: 5 means ±5 in the answer's unit; 10% means ±10%.",
          schema={"type": ["string", "number"], "pattern": "^±?\\s*[0-9]+(\\.[0-9]+)?\\s*%?$"},
          shape="number, or number%"),
    Field("kind", "special", "text: ask for a typed text answer only.",
          schema={"enum": ["text"]}, shape="`text`"),
)
"""One entry of a source's ``facts``: ``id`` and either ``ask`` + ``answer``, or ``cloze``."""

LEVELS: dict[str, tuple[Field, ...]] = {"deck": DECK, "source": SOURCE, "fact": FACT}


def keys(level: tuple[Field, ...]) -> tuple[str, ...]:
    """A level's keys, in the order the docs and the template show them."""
    return tuple(f.key for f in level)


def required_hint(level: str, key: str) -> str:
    """What to write for a missing required ``key`` of ``level`` (" with ..."), or ""."""
    for f in LEVELS.get(level, ()):
        if f.key == key and f.hint:
            return f" {f.hint}"
    return ""


_KIND_SCHEMA: dict[str, dict[str, Any]] = {
    "id": {"$ref": "#/definitions/id"},
    "text": {"$ref": "#/definitions/text"},
    "optional": {"$ref": "#/definitions/optionalText"},
    "count": {"type": ["integer", "null"], "minimum": 1},
    "tags": {"$ref": "#/definitions/tags"},
}


def _property(f: Field) -> dict[str, Any]:
    """The JSON Schema of one field."""
    shape = dict(f.schema)
    if not shape:
        if f.kind == "pattern":
            shape = {"type": ["string", "null"], "pattern": f"^{f.pattern}$"}
        else:
            shape = dict(_KIND_SCHEMA[f.kind])
    if f.kind == "tags":
        return shape  # the shared definition carries the description
    return {"description": f.doc, **shape}


def _object(level: tuple[Field, ...], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """A level as a closed JSON Schema object."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [f.key for f in level if f.required],
        **(extra or {}),
        "properties": {f.key: _property(f) for f in level},
    }


def deck_schema() -> dict[str, Any]:
    """The deck format as a JSON Schema (draft 7), for editors' completion and checks."""
    tags_doc = next(f.doc for f in DECK if f.key == "tags")
    question = {
        "oneOf": [
            {"required": ["ask", "answer"], "not": {"required": ["cloze"]}},
            {"required": ["cloze"],
             "not": {"anyOf": [{"required": ["ask"]}, {"required": ["answer"]}]}},
        ]
    }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://github.com/ibdquiz/ibdquiz/schema/deck.schema.json",
        "title": "ibdquiz deck (format 1)",
        "description": "A deck of cited study facts for ibdquiz. Every value is read as the "
        "text written; check a deck with `ibdquiz validate FILE`. Generated from "
        "ibdquiz.core.deckformat: do not edit by hand.",
        **_object(DECK),
        "definitions": {
            "id": {
                "description": "A stable id: lowercase letters, digits and '-', starting with a "
                "letter or digit.",
                "type": ["string", "integer"],
                "pattern": f"^{ID_REGEX}$",
            },
            "text": {"type": ["string", "number", "boolean"]},
            "optionalText": {"type": ["string", "number", "boolean", "null"]},
            "tags": {
                "description": tags_doc,
                "anyOf": [
                    {"type": "array", "items": {"type": ["string", "number"]}},
                    {"type": ["string", "null"]},
                ],
            },
            "source": _object(SOURCE),
            "fact": _object(FACT, question),
        },
    }


PIPE = "\\|"
"""A ``|`` inside a Markdown table cell."""


def field_tables() -> str:
    """The field table of each level, in Markdown (``docs/deck-format.md`` holds this text)."""
    parts = []
    for level, fields in LEVELS.items():
        rows = [f"| `{f.key}` | {f.type_name} | {'yes' if f.required else ''} | "
                f"{f.doc.replace('|', PIPE)} |" for f in fields]
        parts.append("\n".join([f"### {level}", "", "| key | type | required | what it is |",
                                "|---|---|---|---|", *rows]))
    return "\n\n".join(parts) + "\n"


def schema_text() -> str:
    """``deck_schema()`` as the text of ``schema/deck.schema.json``."""
    return json.dumps(deck_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # python -m ibdquiz.core.deckformat > .../schema/deck.schema.json
    sys.stdout.write(schema_text())
