"""The heat map's colours, one truth for the window and the pack: each level band's cell
colour, and the colour of a count written on it (white on the dark cells)."""

from __future__ import annotations

from app.services.risks.criteria import Criteria

# From the lowest band to the highest: calm to alarming, readable in grey too.
BAND_COLOURS = ("#d6ecd9", "#f7e6a6", "#f5bf8e", "#e9908a", "#c7575a", "#9e2f3a")
DARK_TEXT = "#1d2329"
LIGHT_TEXT = "#ffffff"


def band_colour(criteria: Criteria, score: int) -> str:
    """The cell colour (#rrggbb) of a score: the bands spread over the palette, so two bands
    are green and dark red and six use every colour."""
    names = [b.name for b in criteria.bands]
    index = names.index(criteria.level(score))
    step = (len(BAND_COLOURS) - 1) / max(1, len(names) - 1)
    return BAND_COLOURS[round(index * step)]


def _luminance(colour: str) -> float:
    """Relative luminance of #rrggbb, as the WCAG contrast ratio defines it."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour(background: str) -> str:
    """Dark text, or white where white reads better (the dark red cells)."""
    if _contrast(LIGHT_TEXT, background) > _contrast(DARK_TEXT, background):
        return LIGHT_TEXT
    return DARK_TEXT
