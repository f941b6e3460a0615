"""Stand-ins for the page's ports (the UI modules and the Strudel player) in CPython tests."""

from __future__ import annotations

import json

from app.strudel.validate import validate


class FakeUI:
    """Records every call made on it, whatever its name: `calls` holds (name, *args)."""

    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        return lambda *args: self.calls.append((name, *args))

    def named(self, name):
        return [c[1:] for c in self.calls if c[0] == name]


class FakePlayer:
    """Plays nothing (None marks a stop); reports one note per layer per cycle, as the page's
    events() would."""

    def __init__(self):
        self.played = []

    async def play(self, program):
        # The session hands a ValidProgram; behind ListeningPlayer the JS player gets its code.
        self.played.append(program if isinstance(program, str) else program.code)

    async def stop(self):
        self.played.append(None)

    async def events(self, code, begin, end, seconds):
        result = validate(code)
        assert result.ok, result.errors
        cycles = max(1, round(seconds * result.cpm / 60))
        events = [
            {"layer": layer, "start": c, "end": c + 1, "note": 60 + layer, "sound": "sine"}
            for c in range(cycles)
            for layer in range(result.layers)
        ]
        return json.dumps({"cps": result.cpm / 60, "begin": 0, "end": cycles, "events": events})
