"""Every key binding lives in ``tui/bindings.py``: a screen's ``BINDINGS`` is one of its lists."""

from __future__ import annotations

import importlib
import pkgutil

from textual.app import App
from textual.screen import Screen

import ibdquiz.tui.screens
from ibdquiz.tui import bindings
from ibdquiz.tui.app import IbdquizApp


def screen_classes() -> list[type[Screen[object]]]:
    """Every screen class defined in ``ibdquiz.tui.screens``."""
    found = []
    for info in pkgutil.iter_modules(ibdquiz.tui.screens.__path__, "ibdquiz.tui.screens."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, Screen)
                    and value.__module__ == module.__name__):
                found.append(value)
    return found


def test_every_screen_takes_its_bindings_from_the_registry() -> None:
    registered = [id(group) for group in bindings.BY_SCREEN.values()]
    classes: list[type[Screen[object]] | type[App[None]]] = [IbdquizApp, *screen_classes()]
    assert len(classes) > 8
    own = [cls.__name__ for cls in classes
           if "BINDINGS" in vars(cls) and id(vars(cls)["BINDINGS"]) not in registered]
    assert own == [], f"declare these screens' keys in tui/bindings.py: {own}"


def test_binding_ids_are_unique_and_prefixed_by_their_screen() -> None:
    ids = [b.id for group in bindings.BY_SCREEN.values() for b in group if b.id]
    assert len(ids) == len(set(ids))
    for prefix, group in bindings.BY_SCREEN.items():
        assert all(b.id and b.id.startswith(f"{prefix}.") for b in group), prefix
