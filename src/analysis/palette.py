"""The reports' one visual language: a fixed colour for every category a chart or a page shows.

``PALETTE`` is the only place colours are chosen. ``plots`` (every chart; ``plots.PALETTE`` is
this same object) and ``display`` (highlighted evidence, colour keys in tables) both read it,
which is why it sits below both of them: the two are independent modules of one layer. A
category keeps its colour whichever categories appear beside it, in every chart and report; a
value outside the palette (a category added to a lexicon later) is drawn in :data:`OTHER`.
Charts without categories use greys only, so a colour always means a category.

The colours are colour-blind safe: source types take the Okabe-Ito set, cue categories Paul
Tol's "muted" set, hedge categories Tol's "vibrant" set and voices Tol's "bright" blue and
purple; greys stand for "not counted", "unknown" and "no category". Within each dimension every
two colours stay at least 10 CIELAB units apart for normal vision and under simulated protanopia
and deuteranopia (Machado et al. 2009, full severity; tests/test_plots.py checks it); labels drawn
on a colour take black or white by its luminance (:func:`ink_on`).
"""

from __future__ import annotations

PALETTE: dict[str, dict[str, str]] = {
    "source_type": {
        "person": "#0072B2",
        "organisation": "#009E73",
        "media": "#56B4E9",
        "document": "#CC79A7",
        "anonymous": "#D55E00",
        "vague": "#E69F00",
        "unresolved": "#C8C8C8",
    },
    "cue_category": {
        "neutral": "#88CCEE",
        "assertive": "#CC6677",
        "belief": "#332288",
        "stance": "#882255",
        "evidential": "#44AA99",
        "intention": "#DDCC77",
        "expectation": "#999933",
        "mediated": "#AA4499",
        "other": "#BBBBBB",  # cues the model learned from PolNeAR, not in the lexicon
        "(none)": "#DDDDDD",
    },
    "hedge_category": {
        "epistemic": "#0077BB",
        "evidential": "#009988",
        "reportative": "#33BBEE",
        "doxastic": "#EE3377",
        "speculation": "#EE7733",
        "investigation": "#CC3311",
        "condition": "#BBBBBB",
    },
    "voice": {
        "reporter": "#AA3377",
        "source": "#4477AA",
    },
}
# What each dimension is called in legends and colour keys.
DIMENSIONS = {
    "source_type": "source type",
    "cue_category": "cue category",
    "hedge_category": "hedge category",
    "voice": "voice",
}
OTHER = "#BBBBBB"  # a category the palette does not know
INK = "#333333"  # lines and dots that stand for no category (totals, estimates)
MUTED = "#999999"  # their secondary marks (whiskers, reference lines)


def colour(dimension: str, category) -> str:
    """The colour of ``category`` in ``dimension`` (``"source_type"`` …), :data:`OTHER` when unknown."""
    if dimension not in PALETTE:
        raise KeyError(f"no palette for {dimension!r}; choose from {', '.join(PALETTE)}")
    return PALETTE[dimension].get(str(category), OTHER)


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    h = hex_colour.lstrip("#")
    return tuple(int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def luminance(hex_colour: str) -> float:
    """Relative luminance (WCAG 2) of a ``#RRGGBB`` colour: 0 black, 1 white."""
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in _rgb(hex_colour)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def ink_on(hex_colour: str) -> str:
    """Black or white, whichever reads better on ``hex_colour`` (labels inside bars, chips)."""
    return "#000000" if luminance(hex_colour) > 0.30 else "#FFFFFF"


def tint(hex_colour: str, amount: float = 0.75) -> str:
    """``hex_colour`` mixed with white (``amount`` 0: unchanged, 1: white): highlight backgrounds."""
    r, g, b = (round(255 * (c + (1 - c) * amount)) for c in _rgb(hex_colour))
    return f"#{r:02X}{g:02X}{b:02X}"
