"""Small wording helpers for the messages the page shows."""

from __future__ import annotations


def count(n: int, noun: str, plural: str = "") -> str:
    """'1 section', '2 sections', '0 sections' (`plural` for nouns that do not just take an s)."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
