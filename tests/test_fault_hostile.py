"""Hostile text suite: escape, bidi, markup, template and formula payloads through every path
that prints or writes user text. A test fails on any raw control byte or live payload.

Decks refuse control and bidi characters at ``validate`` (file:line:col); what reaches output
anyway (a file name, a database written before, a deck built in code, an export from elsewhere)
goes through ``core.printable`` and shows as ``\\x1b``, ``\\u202e``. Markup and templates are
text: shown literally, never interpreted.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from ibdquiz.core.deckload import load_deck_text
from ibdquiz.core.model import Deck
from ibdquiz.core.printable import (
    BIDI_CONTROLS,
    _unsafe,
    has_control,
    is_refused,
    printable,
    printable_block,
    refused,
)
from ibdquiz.core.queue import SessionFilters
from tests.helpers_report import make_export, write_export
from tests.helpers_tui import DECK_YAML, build_app, store_env, tui_deck

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]

ESCAPES = [
    "\x1b]52;c;ZWNobyBwd25lZA==\x07",  # OSC 52: write the clipboard
    "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",  # OSC 8: a hidden link
    "\x1b]0;pwned\x07",  # OSC 0: the window title
    "\x1b[2J\x1b[H",  # clear the screen
    "\x9b31m",  # C1 CSI
    "\x9d0;t\x9c",  # C1 OSC ... ST
    "\x07\x08\x7f\x00",  # BEL, BS, DEL, NUL
    "\r\x0b\x0c\x85",  # CR, VT, FF, NEL
]
BIDI = ["\u202eevil\u202c", "\u2066x\u2069", "\u202a\u202b\u202d", "\u2067\u2068"]
MARKUP = ["[bold red]markup[/]", "[link=https://evil.example]x[/link]", "<script>alert(1)</script>",
          "<img src=x onerror=alert(1)>", "{{ 7*7 }}", "{% raw %}x", "${7*7}", "%(x)s {0}"]
FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
CONTROL_PAYLOADS = ESCAPES + BIDI
PAYLOADS = CONTROL_PAYLOADS + MARKUP + FORMULAS

_RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def raw_controls(text: str) -> list[str]:
    """The raw control or bidi characters in ``text`` (tab and newline allowed)."""
    return _RAW.findall(text)


def run(*args: str, env: dict[str, str] | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ibdquiz", *args], capture_output=True, text=True,
        encoding="utf-8", errors="surrogateescape", timeout=120,
        env={**os.environ, **(env or {})}, cwd=cwd or REPO,
    )


def yaml_escape(payload: str) -> str:
    """The payload as a YAML double-quoted escape string."""
    return json.dumps(payload)  # JSON's escapes (\\u001b) are valid in YAML double quotes


def hostile_deck_text(payload: str, where: str) -> str:
    text = DECK_YAML
    target = {
        "title": "title: TUI test deck",
        "label": "label: Mayo Clinic series, 2013",
        "citation": 'citation: "Inflamm Bowel Dis 2013; 19: 1107-11"',
        "ask": "ask: What share of patients in the Mayo Clinic series responded to tacrolimus?",
    }[where]
    key = target.split(":")[0]
    return text.replace(target, f"{key}: {yaml_escape('Text ' + payload + ' end')}", 1)


def test_the_neutraliser_shows_every_refused_character() -> None:
    for payload in CONTROL_PAYLOADS:
        for shown in (printable(payload), printable_block(payload)):
            assert not raw_controls(shown), (payload, shown)
            assert not has_control(shown.replace("\n", "").replace("\t", ""))
        assert "\\" in printable(payload)
    assert printable("a\x1bb") == "a\\x1bb"
    assert printable("\u202e") == "\\u202e"
    assert printable("tab\there") == "tab\\there"
    assert printable_block("line\n\tnext") == "line\n\tnext"
    for char in BIDI_CONTROLS:
        assert list(refused(char)) == [(0, char)]
    assert not list(refused("tab\tand\nnewline é ü ✓ µ"))


def test_the_fast_check_agrees_with_the_unicode_categories_on_every_code_point() -> None:
    """The neutraliser's regular expression rewrites exactly the characters the category
    rule names unsafe (control, surrogate, bidi control, line separator), and no other."""
    for code in range(0x110000):
        char = chr(code)
        assert has_control(char) is _unsafe(char), hex(code)
        kept = char in "\n\t" or not _unsafe(char)
        assert (printable_block(char) == char) is kept, hex(code)
        for newline in (True, False):  # deck text's check, found by a regex too
            found = next(refused(f"a{char}", allow_newline=newline), None)
            assert (found == (1, char)) is is_refused(char, allow_newline=newline), hex(code)


@pytest.mark.parametrize("where", ["title", "label", "citation", "ask"])
def test_validate_refuses_each_control_payload_with_its_position(where: str) -> None:
    for payload in CONTROL_PAYLOADS:
        result = load_deck_text(hostile_deck_text(payload, where), "hostile.yaml")
        assert result.deck is None, payload
        messages = [str(d) for d in result.errors]
        assert any(re.match(r"hostile\.yaml:\d+:\d+: error: .*(control|bidi)", m)
                   for m in messages), (payload, messages)
        for message in messages:
            assert not raw_controls(message), message


def test_a_bidi_control_typed_in_a_deck_is_found_at_its_column() -> None:
    text = DECK_YAML.replace("title: TUI test deck", "title: TUI \u202etest deck", 1)
    result = load_deck_text(text, "bidi.yaml")
    assert result.deck is None
    line = DECK_YAML.splitlines().index("title: TUI test deck") + 1
    assert [(d.line, d.col) for d in result.errors] == [(line, 12)]
    assert "U+202E" in result.errors[0].message


def test_markup_and_templates_in_a_deck_are_plain_text() -> None:
    for payload in MARKUP + FORMULAS[:4]:
        result = load_deck_text(hostile_deck_text(payload, "ask"), "markup.yaml")
        assert result.deck is not None, (payload, [str(d) for d in result.errors])


def test_cli_paths_never_print_a_raw_control(tmp_path: Path) -> None:
    """validate, preview, decks and add-deck, with hostile file names and hostile contents."""
    folder = tmp_path / "decks"
    folder.mkdir()
    good = DECK_YAML.replace("deck: tui-test", "deck: hostile-names", 1)
    named = folder / "evil\x1b]0;pwned\x07\u202e.yaml"
    named.write_text(good, encoding="utf-8")
    broken = folder / "broken\x1b[2J.yaml"
    broken.write_text(hostile_deck_text(ESCAPES[0], "title"), encoding="utf-8")
    markup = folder / "markup.yaml"
    markup.write_text(hostile_deck_text(" ".join(MARKUP), "ask").replace(
        "deck: tui-test", "deck: markup", 1), encoding="utf-8")
    env = {"XDG_DATA_HOME": str(tmp_path / "data")}
    calls = [
        ("validate", str(named), str(broken), str(folder)),
        ("validate", str(folder / "missing\x1b[31m.yaml")),
        ("preview", str(named)),
        ("preview", str(broken)),
        ("preview", str(markup)),
        ("--decks", str(folder), "decks"),
        ("add-deck", str(broken)),
        ("add-deck", str(named)),
        ("--decks", str(folder), "preview", "markup", "--format", "json"),
    ]
    outputs = []
    for args in calls:
        result = run(*args, env=env)
        assert "Traceback" not in result.stderr, result.stderr
        for stream in (result.stdout, result.stderr):
            assert not raw_controls(stream), (args, stream[:2000])
        outputs.append(result.stdout + result.stderr)
    everything = "\n".join(outputs)
    assert "\\x1b" in everything and "\\u202e" in everything  # shown, visibly
    assert "[bold red]markup[/]" in outputs[4]  # markup printed as written, not applied
    assert "<script>alert(1)</script>" in outputs[4]


async def test_the_study_app_never_shows_a_raw_control(tmp_path: Path) -> None:
    """A deck built in code (so the loader cannot refuse it) reaches every part of the card."""
    payload = "".join(CONTROL_PAYLOADS)
    deck = tui_deck()
    sources = []
    for source in deck.sources:
        facts = tuple(dataclasses.replace(f, ask=f"{f.ask} {payload}", explain=f"why {payload}")
                      for f in source.facts)
        sources.append(dataclasses.replace(source, label=f"label {payload}",
                                           citation=f"cite {payload}", facts=facts))
    hostile: Deck = dataclasses.replace(deck, title=f"title {payload}", sources=tuple(sources))
    with store_env(tmp_path) as env:
        env.deck = hostile
        app = build_app(env, start="study", filters=SessionFilters(kinds=("choice",)))
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            shown = _all_text(app)
            assert "\\x1b" in shown
            await pilot.press("1")  # the feedback: verdict, explanation, citation
            await pilot.pause()
            shown += _all_text(app)
            svg = app.export_screenshot()
    assert not raw_controls(shown), [c for c in raw_controls(shown)][:10]
    assert not raw_controls(svg)
    assert "\\u202e" in shown


def _all_text(app: Any) -> str:
    parts = [str(app.screen.title or ""), str(app.title or "")]
    for widget in app.screen.query(Static):
        parts.append(str(widget.render()))
    return "\n".join(parts)


def test_exports_and_reports_never_carry_a_live_payload(tmp_path: Path) -> None:
    """Display names from exports made elsewhere: text report, HTML and CSV, stdout and files."""
    folder = tmp_path / "exports"
    folder.mkdir()
    for index, payload in enumerate(PAYLOADS):
        write_export(folder / f"f{index}.json", make_export(
            f"learner-{index}", f"Fellow {payload}", n_reviews=20, seed=index))
    text = run("report", str(folder))
    html = run("report", str(folder), "--format", "html", "-o", str(tmp_path / "r.html"))
    csv = run("report", str(folder), "--format", "csv", "-o", str(tmp_path / "r.csv"))
    for result in (text, html, csv):
        assert result.returncode == 0, result.stderr
        assert not raw_controls(result.stdout + result.stderr), result.stdout[:2000]
    assert "\\x1b" in text.stdout
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page
    assert not [c for c in raw_controls(page) if c not in "\r"]
