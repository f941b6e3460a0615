import assert from "node:assert/strict";
import { test } from "node:test";

import { spans, syntaxTables } from "../../ui/code_syntax.js";

// Shaped like facts.syntax (app/seam.py code_words); tests/e2e checks the real file.
const SYNTAX = {
  program: ["setcpm", "stack"], sources: ["n", "note", "s", "sound"],
  methods: ["gain", "lpf", "s", "scale", "slow", "sound"], signals: ["sine", "saw"],
  signal_methods: ["range", "slow", "fast", "segment"], sounds: ["sine", "gm_piano", "sbd"],
  modes: ["minor", "major:pentatonic"],
};
const tables = syntaxTables(SYNTAX);
const kinds = (text) => spans(text, tables).map(({ from, to, kind }) => [text.slice(from, to), kind]);

test("the subset's words are coloured by kind, strings with their sounds and modes", () => {
  assert.deepEqual(kinds('setcpm(20)\nstack(n("0 2").scale("C3:major:pentatonic").sound("gm_piano sbd"))'), [
    ["setcpm", "program"], ["20", "number"], ["stack", "program"], ["n", "source"], ['"0 2"', "string"],
    ["scale", "method"], ['"C3:major:pentatonic"', "string"], ["major:pentatonic", "mode"],
    ["sound", "method"], ['"gm_piano sbd"', "string"], ["gm_piano", "sound"], ["sbd", "sound"],
  ]);
  // A signal as an argument, shaped by its own methods; "sine" is a signal outside strings.
  assert.deepEqual(kinds("lpf(sine.range(200, 900))").map(([, k]) => k),
    ["unknown", "signal", "method", "number", "number"]);
});

test("words and characters outside the subset are marked unknown", () => {
  assert.deepEqual(kinds('fetch("x").then(eval) // hi'), [
    ["fetch", "unknown"], ['"x"', "string"], ["then", "unknown"], ["eval", "unknown"], ["// hi", "unknown"],
  ]);
  assert.deepEqual(kinds("n('0')"), [["n", "source"], ["'", "unknown"], ["0", "number"], ["'", "unknown"]]);
  assert.deepEqual(kinds('s("kazoo").gain(.5)'), [["s", "source"], ['"kazoo"', "string"], ["gain", "method"], [".5", "number"]]);
});
