"""Colours that stay readable in every theme: WCAG contrast, in true colour and in 256 colours.

A theme's ``$secondary`` can sit at 2:1 on its background, and a terminal limited to 256 colours
moves both colours to the nearest palette entry, which can lower the ratio further. ``readable``
starts from the theme's own colour and blends it toward the text colour until the ratio holds
both ways, so each theme keeps its look where it already reads well.
"""

from __future__ import annotations

from rich.color import ColorSystem
from textual.color import Color, ColorParseError

TEXT_AA = 4.5
"""WCAG 2 AA for body text."""
UI_AA = 3.0
"""WCAG 2 AA for the parts of a control (1.4.11 non-text contrast): the progress bar."""


def luminance(color: Color) -> float:
    """WCAG relative luminance of an opaque colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = color.rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def ratio(first: Color, second: Color) -> float:
    """WCAG contrast ratio of two opaque colours (1 to 21)."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def in_256(color: Color) -> Color:
    """The colour a 256-colour terminal shows for ``color``."""
    true = color.rich_color.downgrade(ColorSystem.EIGHT_BIT).get_truecolor()
    return Color(true.red, true.green, true.blue)


def worst_ratio(foreground: Color, background: Color) -> float:
    """The lower of the true-colour and the 256-colour contrast ratios."""
    return min(ratio(foreground, background), ratio(in_256(foreground), in_256(background)))


def parse_on(value: str, background: Color) -> Color:
    """A theme variable's colour as shown on ``background`` (``auto 60%`` included)."""
    words = value.split()
    if words and words[0] == "auto":
        alpha = float(words[1].rstrip("%")) / 100 if len(words) > 1 else 1.0
        return background + background.get_contrast_text(alpha)
    return background + Color.parse(value)


def readable(value: str, background: str, minimum: float = TEXT_AA) -> str | None:
    """``value`` (a theme colour) made to reach ``minimum`` contrast on ``background``, as a hex
    colour; None when the theme's colours are not concrete (the ANSI themes)."""
    try:
        back = Color.parse(background)
        start = parse_on(value, back)
    except (ColorParseError, ValueError, IndexError):
        return None
    target = back.get_contrast_text(1.0)
    for step in range(0, 21):
        candidate = start.blend(target, step / 20)
        if worst_ratio(candidate, back) >= minimum:
            return candidate.hex
    return target.hex
