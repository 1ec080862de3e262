"""A ``kill -9`` right after the feedback appears loses nothing: the answer is on disk."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.helpers_tui import PtyApp


def test_answer_survives_kill_9_after_feedback(tmp_path: Path) -> None:
    db = tmp_path / "ibdquiz.db"
    with PtyApp(["study", "--kind", "choice"], db=db) as app:
        app.wait_for("1-5 Choose")
        app.send("2")
        app.wait_for("Press enter to go on")  # the feedback is on screen
        app.kill9()
    connection = sqlite3.connect(db)
    try:
        rows = connection.execute(
            "SELECT card_id, phase, response_index, correct FROM reviews"
        ).fetchall()
    finally:
        connection.close()
    assert len(rows) == 1
    card_id, phase, response_index, _correct = rows[0]
    assert card_id.endswith("/choice") and phase == "new" and response_index == 1
