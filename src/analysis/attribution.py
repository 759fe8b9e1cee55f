"""Attribution extraction (placeholder until the attribution engine lands)."""
from __future__ import annotations


def find_attributions(text: str, sentences: list[tuple[int, int]] | None = None) -> list[dict]:
    return []
