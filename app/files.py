"""What the reader's downloads are called and how long a section lasts: decided here once, for
the score, MIDI and WAV exports alike (the page is handed the results, it does not recompute them)."""

from __future__ import annotations

import re
import unicodedata

from app.models import Section


def file_stem(title: str, suffix: str = "") -> str:
    """A plain file-name stem: accents folded ("Éléphant: Tome 2" -> "elephant-tome-2"), anything
    else that is not a letter or digit becomes one dash."""
    folded = unicodedata.normalize("NFKD", f"{title} {suffix}").encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", folded).strip("-").lower() or "bookmusic"


def section_stem(title: str, section: Section) -> str:
    return file_stem(title, f"section {section.index + 1}")


def section_seconds(section: Section, wpm: float) -> float:
    """How long the reader takes over a section at their pace: what an export of it lasts."""
    return section.words / max(1.0, wpm) * 60
