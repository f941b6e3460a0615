"""A program the validator passed: the only kind of code the player and the exports accept.

Only `app/strudel/validate.py` can make one (it holds the key), so a `ValidProgram` anywhere in
the app is proof that its code went through the gate, and the gate runs once per piece.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_KEY = object()  # the validator's: see validate.py


@dataclass(frozen=True)
class ValidProgram:
    code: str  # normalized and clamped by the validator
    sounds: tuple[str, ...] = ()  # distinct sound names, sorted
    cpm: float = 0.0
    layers: int = 0
    key: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.key is not _KEY:
            raise TypeError("only the validator makes a ValidProgram: call app.strudel.validate.validate")
