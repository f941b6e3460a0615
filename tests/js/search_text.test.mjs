import assert from "node:assert/strict";
import { test } from "node:test";

import { TextIndex, context, foldQuery, foldText } from "../../ui/search_text.js";

test("folding ignores case, accents, ligatures, curly quotes and dashes", () => {
  assert.equal(foldQuery("Élan VITAL"), "elan vital");
  assert.equal(foldQuery("Straße"), "strasse");
  assert.equal(foldQuery("ﬁnal"), "final");
  assert.equal(foldQuery("don’t — “now”"), "don't - \"now\"");
  assert.equal(foldQuery("  two   spaces "), "two spaces");
  assert.equal(foldQuery("İstanbul"), "istanbul");
  assert.equal(foldQuery("Ærø"), "aero");
  assert.equal(foldQuery("ПРИВЕТ"), "привет");
  assert.equal(foldQuery("Ὀδυσσεύς"), "οδυσσευς");
});

test("a folded text maps each folded character back to its original offsets", () => {
  const text = "Die Straße\u00a0nach  Köln";
  const { folded, start, end } = foldText(text);
  assert.equal(folded, "die strasse nach koln");
  // Both s of ß come from the one ß.
  const ss = folded.indexOf("ss");
  assert.deepEqual([start[ss], end[ss + 1]], [text.indexOf("ß"), text.indexOf("ß") + 1]);
  // The run of two spaces is one folded space covering both.
  const gap = folded.lastIndexOf(" ");
  assert.equal(text.slice(start[gap], end[gap]), "  ");
  // A decomposed accent (o + combining diaeresis) is part of its letter.
  const decomposed = foldText("Ko\u0308ln");
  assert.equal(decomposed.folded, "koln");
  assert.equal(decomposed.end[1], 3);
});

test("find gives every match in book order with original offsets, a total and a limit", () => {
  const index = new TextIndex();
  index.add(["The café opened.", "No match here.", "CAFÉ, Cafe and cafés"]);
  const { matches, total } = index.find("cafe");
  assert.equal(total, 4);
  assert.deepEqual(matches.map((m) => [m.para, index.texts[m.para].slice(m.start, m.end)]),
    [[0, "café"], [2, "CAFÉ"], [2, "Cafe"], [2, "café"]]);
  assert.equal(index.find("cafe", 2).matches.length, 2);
  assert.equal(index.find("cafe", 2).total, 4);
  assert.equal(index.find("   ").total, 0);
  assert.equal(index.find("absent").total, 0);
  // Added later (a long book still arriving): found too.
  index.add(["One more café."]);
  assert.equal(index.find("café").total, 5);
});

test("astral characters (emoji, CJK extension) keep their UTF-16 offsets", () => {
  const index = new TextIndex();
  const text = "𝒜 star 🌟 and 𠀀 Star";
  index.add([text]);
  const { matches } = index.find("star");
  assert.deepEqual(matches.map((m) => text.slice(m.start, m.end)), ["star", "Star"]);
});

test("context cuts at word boundaries and marks where the paragraph goes on", () => {
  const text = "one two three four five six seven eight nine ten eleven twelve";
  const at = text.indexOf("six");
  const { before, match, after } = context(text, at, at + 3, 12);
  assert.equal(match, "six");
  assert.ok(before.startsWith("…") && after.endsWith("…"), [before, after]);
  assert.ok(!/^…\S*\s$/.test(before) || before.length > 1);
  assert.deepEqual(context("short", 0, 5), { before: "", match: "short", after: "" });
});
