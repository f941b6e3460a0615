import assert from "node:assert/strict";
import { test } from "node:test";

import { emit, on, setStatusWriter, state, status } from "../../ui/bus.js";

test("emit calls every subscriber in order with the event's arguments; off stops one", () => {
  const got = [];
  const off = on("section", (i) => got.push(["a", i]));
  on("section", (i, why) => got.push(["b", i, why]));
  emit("section", 3, "scroll");
  off();
  emit("section", 4);
  assert.deepEqual(got, [["a", 3], ["b", 3, "scroll"], ["b", 4, undefined]]);
  emit("nobody-listens", 1); // no subscriber: nothing happens
});

test("a failing subscriber is reported on the one status line, the others still run", async () => {
  const lines = [];
  const previous = setStatusWriter((text, kind) => lines.push([text, kind]));
  try {
    let reached = false;
    on("play", () => {
      throw new Error("boom");
    });
    on("play", async () => {
      throw new Error("later");
    });
    on("play", () => {
      reached = true;
    });
    emit("play");
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.ok(reached);
    // A failure is a problem: it stays on the line until the reader dismisses it.
    assert.deepEqual(lines, [["Something went wrong: boom", "problem"], ["Something went wrong: later", "problem"]]);
    status(42, "notice");
    assert.deepEqual(lines.at(-1), ["42", "notice"]);
  } finally {
    setStatusWriter(previous);
  }
});

test("the shared page state starts empty", () => {
  assert.deepEqual(state, { book: null, current: 0, playing: false, ready: false, piece: null });
});
