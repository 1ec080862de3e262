"""The deck JSON Schema that ships for editors: valid, and exactly the keys the loader accepts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from ibdquiz import paths
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
