"""The HTML report in a real headless browser (Debian's ``chromium``).

The page must load with no console errors, show every section, and print to PDF. Where Chromium
is missing the test skips with the reason; ``.ci/run`` installs it and sets
``IBDQUIZ_REQUIRE_BROWSER=1``, so there a missing browser fails instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ibdquiz.report.cohort import build_cohort
from ibdquiz.report.fellow import summarize_export
from ibdquiz.report.render_html import render_html
from tests.helpers_sim import SimFellow, deck_cards, simulate

SECTIONS = (
    "Fellows", "Self-grading check", "Coverage by deck", "Results by study", "Results by topic",
    "Weekly trend", "Most-missed facts", "Items to review", "Item analysis",
    "Flagged questions", "Fellows with no answers", "Each fellow",
)
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
)


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    reason = ("Chromium is not installed (apt-get install -y --no-install-recommends "
              "chromium); the browser test did not run")
    if os.environ.get("IBDQUIZ_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + ", and IBDQUIZ_REQUIRE_BROWSER=1 requires it")
    pytest.skip(reason)


def _run(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [browser, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=180,
    )


class _Headings(HTMLParser):
    """The text of every ``h2`` in a DOM dump."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self._in = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h2":
            self._in = True
            self.headings.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self._in = False

    def handle_data(self, data: str) -> None:
        if self._in:
            self.headings[-1] += data


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report of a simulated cohort, with every kind of row and a hostile name."""
    sims = [SimFellow(f"id-{i:02d}", f"Dr {i:02d}", ability=0.2 * i) for i in range(11)]
    sims.append(SimFellow("id-gen", "Dr Generous <b>", ability=0.0, generous=True))
    sims.append(SimFellow("id-guess", "=HYPERLINK(\"x\")", ability=0.0, guesser=True))
    card = deck_cards()[0]
    flags = {"id-00": [{"card_id": card.id, "reason": "unclear <script>alert(1)</script>",
                        "flagged_at": "2025-02-01T20:00:00+01:00", "options": ["a", "b"],
                        "context": "Mayo 2013", "card_hash": card.content_hash}]}
    docs = simulate(sims, seed=3, flags=flags)
    docs[0]["reviews"] = [r for r in docs[0]["reviews"] if r["reviewed_at"] < "2025-02-01"
                          or r["reviewed_at"] > "2025-03-15"]  # a gap of six weeks
    fellows = [summarize_export(doc, Path(f"f{i}.json")) for i, doc in enumerate(docs)]
    cohort = build_cohort(fellows, generated_at=datetime(2025, 12, 1, tzinfo=timezone.utc),
                          problems=["bad.json: is not JSON"], files_read=len(docs))
    path = tmp_path_factory.mktemp("browser") / "report.html"
    path.write_text(render_html(cohort), encoding="utf-8")
    return path


def test_the_page_loads_without_console_errors_and_shows_every_section(
    page: Path, tmp_path: Path
) -> None:
    browser = _chromium()
    result = _run(browser, tmp_path / "profile", "--enable-logging=stderr", "--v=0",
                  "--dump-dom", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    console = [line for line in result.stderr.splitlines() if "CONSOLE" in line
               or "Uncaught" in line or "Failed to load resource" in line]
    assert console == [], console
    parser = _Headings()
    parser.feed(result.stdout)
    headings = [h.strip() for h in parser.headings]
    assert headings == list(SECTIONS)
    assert "<script>alert(1)</script>" not in result.stdout  # the reason stayed text
    assert "&lt;script&gt;" in result.stdout


def test_the_page_prints_to_pdf_and_renders_to_png(page: Path, tmp_path: Path) -> None:
    browser = _chromium()
    pdf = tmp_path / "report.pdf"
    result = _run(browser, tmp_path / "profile", "--no-pdf-header-footer",
                  f"--print-to-pdf={pdf}", page.as_uri())
    assert result.returncode == 0 and pdf.exists(), result.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert pages >= 3  # the summary, then one page per fellow
    png = tmp_path / "report.png"
    result = _run(browser, tmp_path / "profile2", f"--screenshot={png}",
                  "--window-size=1200,3000", page.as_uri())
    assert result.returncode == 0 and png.read_bytes().startswith(b"\x89PNG")
    keep = os.environ.get("IBDQUIZ_KEEP_SCREENSHOT")
    if keep:
        shutil.copy(png, keep)
        shutil.copy(pdf, Path(keep).with_suffix(".pdf"))
        shutil.copy(page, Path(keep).with_suffix(".html"))
