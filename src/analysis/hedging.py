"""Hedge detection (placeholder until the hedging engine lands)."""
from __future__ import annotations


def find_hedges(text: str, sentences=None, attributions=None) -> list[dict]:
    return []
