"""The kinds of message the page's one message line shows; the sender names the kind.

A notice clears itself after a few seconds; a problem stays until the reader dismisses it (or
the next message replaces it). `app/seam.py` hands the names to the page (`facts.message_kinds`),
so `ui/messages.js` reads them from here instead of guessing the kind from the wording.
"""

from __future__ import annotations

from typing import Literal, get_args

MessageKind = Literal["notice", "problem"]

NOTICE: MessageKind = "notice"
PROBLEM: MessageKind = "problem"

MESSAGE_KINDS: tuple[str, ...] = get_args(MessageKind)
