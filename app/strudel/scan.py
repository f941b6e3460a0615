"""The outline of a generated program: `setcpm(N)` then `stack(` layers `)`.

Two small jobs on model output, both by scanning brackets and quotes (never by evaluating):
- `salvage`: a generation cut off by the token cap ends mid-layer; keep the complete layers and
  close the stack, so a long-winded small model still yields music (the validator checks it after).
- `digest`: the previous section's code, shortened for the next prompt (tempo, and each layer's
  notes, scale, sound and gain), because every prompt token costs time on the CPU engine.
"""

from __future__ import annotations

KEEP_IN_DIGEST = {"n", "note", "s", "sound", "scale", "gain"}


def _scan(text: str) -> tuple[list[tuple[int, str, int]], int, int | None]:
    """The characters outside string literals, each with the bracket depth before it; the final
    depth; and where the string left open at the end starts (its quote), if one is."""
    chars, depth, quote_at = [], 0, None
    for i, ch in enumerate(text):
        if quote_at is not None:
            if ch == text[quote_at]:
                quote_at = None
        elif ch in "\"'":
            quote_at = i
        else:
            chars.append((i, ch, depth))
            if ch in "([{":
                depth += 1
            elif ch in ")]}":
                depth -= 1
    return chars, depth, quote_at


def open_at_end(text: str) -> tuple[int | None, list[int]]:
    """Where the string still open at the end of `text` starts, and the parentheses still open
    outside strings (their positions, outermost first): where a cut-off program stopped."""
    chars, _, quote_at = _scan(text)
    parens: list[int] = []
    for i, ch, _depth in chars:
        if ch == "(":
            parens.append(i)
        elif ch == ")" and parens:
            parens.pop()
    return quote_at, parens


def _split_top(text: str, sep: str, depth_at: int) -> list[str]:
    """Split on `sep` where the bracket depth is `depth_at` and we are outside a string."""
    parts, start = [], 0
    for i, ch, depth in _scan(text)[0]:
        if ch == sep and depth == depth_at:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def split_program(code: str) -> tuple[str, list[str], bool]:
    """(the setcpm line, the layers, whether the stack was closed)."""
    head, _, body = code.partition("stack(")
    if not _:
        return head.strip(), [], False
    layers = _split_top(body, ",", 0)
    closed = False
    # The last layer carries the closing ")" of stack( when the program is complete.
    last = layers[-1].rstrip().rstrip(";").rstrip()
    if last.endswith(")") and _balance(last) == -1:
        layers[-1] = last[:-1]
        closed = True
    return head.strip(), [ly.strip() for ly in layers if ly.strip()], closed


def _balance(text: str) -> int:
    _, depth, quote_at = _scan(text)
    return 99 if quote_at is not None else depth


def salvage(text: str) -> str | None:
    """Complete layers of a cut-off program, closed again; None when not even one is complete."""
    head, layers, closed = split_program(text)
    if closed or not head.startswith("setcpm("):
        return None
    # Only the last layer can be cut off: every one before it ended at a top-level comma.
    ended_clean = text.rstrip().endswith(",")
    complete = [ly for ly in (layers if ended_clean else layers[:-1]) if _balance(ly) == 0]
    if not complete:
        return None
    body = ",\n  ".join(complete)
    return f"{head}\nstack(\n  {body}\n)"


def digest(code: str, max_layers: int = 2) -> str:
    """A short version of a program for the next prompt: tempo, and per layer its musical core."""
    head, layers, _ = split_program(code)
    kept = []
    for layer in layers[:max_layers]:
        calls = _split_top(layer, ".", 0)
        core = [c for c in calls if c.split("(", 1)[0].strip() in KEEP_IN_DIGEST]
        kept.append(".".join(core) if core else calls[0])
    if not kept:
        return head
    return f"{head}\nstack(\n  " + ",\n  ".join(kept) + "\n)"
