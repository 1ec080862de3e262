"""The deck JSON Schema that ships for editors: generated from the loader's field tables, valid,
and exactly the keys the loader accepts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from ibdquiz import paths
from ibdquiz.core import deckformat
from ibdquiz.core.deckload import DECK_KEYS, FACT_KEYS, SOURCE_KEYS, load_deck_text
from ibdquiz.core.template import template_text

BUNDLED = paths.bundled_decks_dir() / "tacrolimus-refractory-crohns.yaml"


def schema() -> dict[str, Any]:
    data = json.loads(paths.deck_schema_path().read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_schema_ships_inside_the_package_and_is_json() -> None:
    path = paths.deck_schema_path()
    assert path.parent.parent == Path(paths.__file__).resolve().parent
    assert schema()["$schema"] == "http://json-schema.org/draft-07/schema#"


def test_schema_lists_exactly_the_loader_keys() -> None:
    data = schema()
    definitions = data["definitions"]
    assert set(data["properties"]) == set(DECK_KEYS)
    assert set(definitions["source"]["properties"]) == set(SOURCE_KEYS)
    assert set(definitions["fact"]["properties"]) == set(FACT_KEYS)
    for part in (data, definitions["source"], definitions["fact"]):
        assert part["additionalProperties"] is False
    assert set(data["required"]) == {"deck", "title", "sources"}
    assert set(definitions["source"]["required"]) == {"id", "citation"}
    assert definitions["id"]["pattern"] == "^[a-z0-9][a-z0-9-]*$"


def the_template() -> str:
    return template_text("my-deck", str(paths.deck_schema_path()), "my-deck.yaml")


def test_template_loads_clean() -> None:
    result = load_deck_text(the_template(), "my-deck.yaml")
    assert result.diagnostics == []


@pytest.mark.parametrize("which", ["template", "bundled"])
def test_decks_validate_against_the_schema(which: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    if which == "bundled" and not BUNDLED.is_file():
        pytest.skip("the bundled deck is not there yet")
    text = the_template() if which == "template" else BUNDLED.read_text(encoding="utf-8")
    # An editor reads YAML with types (n: 24 is a number), so the schema allows both forms.
    jsonschema.Draft7Validator.check_schema(schema())
    jsonschema.validate(yaml.safe_load(text), schema())
    broken = yaml.safe_load(text)
    broken["sources"][0]["facts"][0]["answr"] = "x"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema())


def test_the_shipped_schema_is_what_the_generator_writes() -> None:
    # regenerate with: python -m ibdquiz.core.deckformat > src/ibdquiz/schema/deck.schema.json
    assert paths.deck_schema_path().read_text(encoding="utf-8") == deckformat.schema_text()


REQUIRED = [(level, f.key) for level, fields in deckformat.LEVELS.items()
            for f in fields if f.required and f.key != "sources"]


@pytest.mark.parametrize(("level", "key"), REQUIRED)
def test_each_required_field_of_the_table_is_required_by_the_reader(level: str, key: str) -> None:
    deck = yaml.safe_load(the_template())
    part = {"deck": deck, "source": deck["sources"][0],
            "fact": deck["sources"][0]["facts"][0]}[level]
    del part[key]
    result = load_deck_text(yaml.safe_dump(deck, sort_keys=False), "my-deck.yaml")
    messages = [d.message for d in result.errors]
    assert any(f"has no '{key}'; add '{key}:'" in m for m in messages), messages
    hint = deckformat.required_hint(level, key)
    assert hint and any(hint in m for m in messages), messages


@pytest.mark.parametrize("level", list(deckformat.LEVELS))
def test_every_key_of_the_table_is_a_key_of_the_reader(level: str) -> None:
    readers = {"deck": DECK_KEYS, "source": SOURCE_KEYS, "fact": FACT_KEYS}
    assert readers[level] == deckformat.keys(deckformat.LEVELS[level])
