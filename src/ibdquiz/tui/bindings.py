"""Every key binding of the app, in one place (as Harlequin's action registry): one list per
screen, each binding with an id (``home.study``, ``session.undo``...) that ``keys.yaml`` can
remap. Imports no screen, so a screen, the app and the keymap check can all read it.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from ibdquiz.tui.formatting import GRADE_LABELS

MORE_NEW = 10
"""How many extra new cards "learn more" offers when nothing is due."""
PRACTICE_DAYS = 7
"""How far back "practice" looks for missed cards."""


def help_binding(screen_id: str) -> Binding:
    """The ``?`` key that lists a screen's keys; its id is ``<screen_id>.help``."""
    return Binding(
        "question_mark", "help", "Help", tooltip="The keys of this screen", id=f"{screen_id}.help"
    )


APP: list[BindingType] = [
    Binding("ctrl+q", "quit", "Quit", show=False, tooltip="Quit ibdquiz", id="app.quit"),
]

HOME: list[BindingType] = [
    Binding(
        "enter", "study", "Study", priority=True, tooltip="Study the selected deck",
        id="home.study",
    ),
    Binding(
        "a", "study_all", "All due", tooltip="Study every due card of every deck", id="home.all"
    ),
    Binding(
        "p",
        "practice",
        "Practice",
        show=False,
        tooltip=f"Practice cards missed in the last {PRACTICE_DAYS} days (not rescheduled)",
        id="home.practice",
    ),
    Binding(
        "n",
        "more_new",
        "More new",
        show=False,
        tooltip=f"Learn up to {MORE_NEW} more new cards today",
        id="home.more_new",
    ),
    Binding(
        "t", "stats", "Stats", tooltip="Forecast, answers per day, % correct, streak, leeches",
        id="home.stats",
    ),
    Binding(
        "b", "browse", "Browse", tooltip="Search cards; see history; suspend, flag, edit",
        id="home.browse",
    ),
    Binding(
        "s", "settings", "Settings", tooltip="Theme, new cards per day, day start",
        id="home.settings",
    ),
    Binding(
        "d", "decks", "Decks", show=False,
        tooltip="The decks loaded, and any deck problem found at start-up", id="home.decks",
    ),
    help_binding("home"),
    Binding("q", "quit", "Quit", tooltip="Quit ibdquiz", id="home.quit"),
]

def _digit_keys(action: str, description: str, digits: range, tooltip: str) -> list[BindingType]:
    """One binding per digit (``choose(1)``...), shown once in the footer as ``1-5``."""
    first, last = digits[0], digits[-1]
    return [
        Binding(
            str(d),
            f"{action}({d})",
            description,
            key_display=f"{first}-{last}" if d == first else None,
            show=d == first,
            tooltip=tooltip.format(d=d, label=GRADE_LABELS.get(d, "")),
            id=f"session.{action}_{d}",
        )
        for d in digits
    ]


SESSION_CHOOSE = _digit_keys("choose", "Choose", range(1, 6), "Choose the option with this number")
SESSION_GRADE = _digit_keys("grade", "Grade", range(6), "Grade {d}: {label}")
SESSION: list[BindingType] = [
    *SESSION_CHOOSE,
    *SESSION_GRADE,
    Binding(
        "space", "reveal", "Reveal", tooltip="Show the flashcard's answer", id="session.reveal"
    ),
    Binding("enter", "next", "Next", tooltip="Go on to the next card", id="session.next"),
    Binding(
        "u",
        "undo",
        "Undo",
        tooltip="Undo the last answer, suspension or flag (an undone answer stays on record)",
        id="session.undo",
    ),
    Binding("f", "flag", "Flag", tooltip="Flag this card, with a reason", id="session.flag"),
    Binding(
        "s", "suspend", "Suspend", tooltip="Suspend this card: it stops coming back",
        id="session.suspend",
    ),
    help_binding("session"),
    # escape leaves a numeric card's input; outside the input, escape ends like q (the first
    # binding of a key that the screen allows acts)
    Binding(
        "escape",
        "leave_input",
        "Leave input",
        tooltip="Leave the answer input: then u, f, s, ? and q act; a digit types again",
        id="session.leave_input",
    ),
    Binding(
        "q,escape",
        "end",
        "End",
        key_display="q",
        tooltip="End the session (all is saved) and see the summary",
        id="session.end",
    ),
]

SUMMARY: list[BindingType] = [
    Binding("enter,q", "close", "Close", tooltip="Close the summary", id="summary.close"),
    help_binding("summary"),
]

STATS: list[BindingType] = [
    Binding("escape,q", "back", "Back", tooltip="Back to the home screen", id="stats.back"),
    help_binding("stats"),
]

BROWSE: list[BindingType] = [
    Binding(
        "ctrl+f", "focus_search", "Search", tooltip="Type in the search box (or just type)",
        id="browse.search",
    ),
    Binding(
        "ctrl+s", "toggle_suspend", "Suspend ±",
        tooltip="Suspend the highlighted card, or unsuspend it", id="browse.suspend",
    ),
    Binding(
        "ctrl+g", "toggle_flag", "Flag ±",
        tooltip="Flag the highlighted card with a reason, or clear its flag", id="browse.flag",
    ),
    Binding(
        "ctrl+o", "edit", "Edit",
        tooltip="Open the card's fact in $EDITOR at its line", id="browse.edit",
    ),
    help_binding("browse"),
    Binding("escape", "back", "Back", tooltip="Back to the home screen", id="browse.back"),
]

SETTINGS: list[BindingType] = [
    Binding(
        "ctrl+s", "save", "Save", tooltip="Save the settings", id="settings.save", priority=True
    ),
    Binding("escape", "back", "Back", tooltip="Back, without saving", id="settings.back"),
]

HELP: list[BindingType] = [
    Binding(
        "escape,q,question_mark,enter", "close", "Close", tooltip="Close help", id="help.close"
    ),
]

FLAG: list[BindingType] = [
    Binding("escape", "cancel", "Cancel", tooltip="Close without flagging", id="flag.cancel"),
]

DECKS: list[BindingType] = [
    Binding("escape,q,d,enter", "close", "Close", tooltip="Close this list", id="decks.close"),
]

BY_SCREEN: dict[str, list[BindingType]] = {
    "app": APP,
    "home": HOME,
    "session": SESSION,
    "summary": SUMMARY,
    "stats": STATS,
    "browse": BROWSE,
    "settings": SETTINGS,
    "help": HELP,
    "flag": FLAG,
    "decks": DECKS,
}
"""Each screen's bindings by the prefix of their ids."""


def all_binding_ids() -> list[str]:
    """The ids of all bindings of the app and its screens, sorted."""
    return sorted(default_keys())


def default_keys() -> dict[str, tuple[str, ...]]:
    """Every binding id of the app and its screens, with its default keys (for keys.yaml)."""
    keys: dict[str, tuple[str, ...]] = {}
    for screen_bindings in BY_SCREEN.values():
        for binding in screen_bindings:
            if isinstance(binding, Binding) and binding.id:
                found = tuple(key.strip() for key in binding.key.split(",") if key.strip())
                keys[binding.id] = tuple(dict.fromkeys((*keys.get(binding.id, ()), *found)))
    return keys
