import assert from "node:assert/strict";
import { test } from "node:test";

import "./facts_fixture.mjs";

const { evaluateTagged } = await import("../../sound/pattern_events.js");

// A stand-in for Strudel: patterns are {value}, the transpiler returns the last line.
const pattern = (value) => ({ value, withValue: (fn) => pattern(fn(value)), queryArc: () => [] });
const strudel = {
  reify: (layer) => layer,
  stack: (...layers) => ({ layers, queryArc: () => [] }),
  transpiler: (code) => {
    const lines = code.trim().split("\n");
    lines.push(`return ${lines.pop()}`);
    return { output: lines.join("\n") };
  },
};
globalThis.note = (v) => pattern({ note: v });

test("the tempo the code sets is captured, not applied, and globals are given back", async () => {
  const before = globalThis.setcpm;
  const { cps, pattern: stacked } = await evaluateTagged(strudel, 'setcpm(24)\nstack(note("c"), note("e"))');
  assert.equal(cps, 24 / 60);
  assert.deepEqual(stacked.layers.map((l) => l.value), [{ note: "c", _layer: 0 }, { note: "e", _layer: 1 }]);
  assert.equal(globalThis.setcpm, before);
  assert.equal(globalThis.stack, undefined);
  assert.equal((await evaluateTagged(strudel, 'setcps(0.5)\nnote("c")')).cps, 0.5);
});

test("code that sets no tempo gets Python's default tempo from the facts", async () => {
  const { cps } = await evaluateTagged(strudel, 'note("c")');
  assert.equal(cps, 20 / 60);
});

test("code that is not a pattern, or a bad tempo, is refused", async () => {
  await assert.rejects(evaluateTagged(strudel, "1 + 1"), /does not end in a pattern/);
  await assert.rejects(evaluateTagged(strudel, 'setcpm(0)\nnote("c")'), /bad tempo/);
});
