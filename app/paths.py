"""Where the app's data lives: the `prompts/` folder beside `app/` (in the repository and in the
zip the page unpacks into Pyodide alike)."""

from __future__ import annotations

from pathlib import Path

PROMPTS = Path(__file__).resolve().parent.parent / "prompts"
