"""The key bar at the foot of every screen: the keys that act here, drawn as one line.

It shows what Textual's ``Footer`` shows (the screen's active bindings marked ``show``, one per
action, a disabled key dimmed, the command palette's key at the right) and a click on a key
presses it, but it is one widget rendering one line: ``Footer`` builds a widget per key and
rebuilds them all whenever the bindings change (each key press in a session), which cost
more than half the app's time per key (``benchmarks/README.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True)
class KeyHint:
    """One key as shown: what it says, the key pressed on a click, whether it acts now."""

    key: str
    shown: str
    description: str
    enabled: bool


class KeyBar(Widget, can_focus=False):
    """One line of key hints for the current screen, redrawn when its bindings change."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {"keybar--key", "keybar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .keybar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .keybar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spans: list[tuple[int, int, KeyHint]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self.refresh()

    def hints(self) -> tuple[list[KeyHint], KeyHint | None]:
        """The keys shown (one per action, in binding order) and the command palette's key."""
        active = self.screen.active_bindings

        def hint(binding: Binding, enabled: bool) -> KeyHint:
            return KeyHint(
                binding.key, self.app.get_key_display(binding), binding.description, enabled
            )

        shown: dict[str, KeyHint] = {}
        for _node, binding, enabled, _tooltip in active.values():
            if binding.show and binding.action not in shown:
                shown[binding.action] = hint(binding, enabled)
        palette = None
        if self.app.ENABLE_COMMAND_PALETTE:
            entry = active.get(self.app.COMMAND_PALETTE_BINDING)
            if entry is not None:
                _node, binding, enabled, _tooltip = entry
                palette = hint(binding, enabled)
                shown.pop(binding.action, None)
        return list(shown.values()), palette

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keybar--key")
        description_style = self.get_component_rich_style("keybar--description")
        dim = Style(dim=True)
        keys, palette = self.hints()
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, KeyHint]] = []

        def add(hint: KeyHint) -> None:
            start = line.cell_len
            extra = dim if not hint.enabled else Style()
            line.append(f" {hint.shown} ", key_style + extra)
            if hint.description:
                line.append(f"{hint.description} ", description_style + extra)
            spans.append((start, line.cell_len, hint))

        for hint in keys:
            add(hint)
        if palette is not None:
            width = self.size.width
            room = width - line.cell_len - len(f" {palette.shown} {palette.description} ") - 1
            if room > 0:
                line.append(" " * room)
                line.append("▏")
                add(palette)
        self._spans = spans
        return line

    def on_click(self, event: events.Click) -> None:
        """A click on a key presses it; on a dimmed key, the bell."""
        for start, end, hint in self._spans:
            if start <= event.x < end:
                event.stop()
                if hint.enabled:
                    self.app.simulate_key(hint.key)
                else:
                    self.app.bell()
                return
