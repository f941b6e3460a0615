"""Fixtures for the CPython unit tests."""

import pytest

from app.llm.prompt import load_config


@pytest.fixture
def code_path(monkeypatch):
    """The CPU engine writing whole programs (as WebLLM does), not score sheets (app/compose/sheet.py)."""
    monkeypatch.setitem(load_config().budgets["wllama"], "sheet", 0)
