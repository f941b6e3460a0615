import assert from "node:assert/strict";
import { test } from "node:test";

import { chapterEntries } from "../../ui/contents.js";
import { readText, whenText } from "../../ui/library.js";

test("chapter entries are the book's headings, from any paragraph on", () => {
  const paragraphs = [
    { kind: "heading", text: "The Book" }, { kind: "heading", text: "I. Start" }, { kind: "text", text: "..." },
    { kind: "footnote", text: "1. note" }, { kind: "heading", text: "II. On" }, { kind: "text", text: "..." },
  ];
  assert.deepEqual(chapterEntries(paragraphs), [
    { para: 0, label: "The Book" }, { para: 1, label: "I. Start" }, { para: 4, label: "II. On" }]);
  assert.deepEqual(chapterEntries(paragraphs, 2), [{ para: 4, label: "II. On" }]);
  assert.deepEqual(chapterEntries([{ kind: "text", text: "no headings" }]), []);
});

test("how far read: the first paragraph in view of the book's paragraphs", () => {
  assert.equal(readText(0, 100), "not started");
  assert.equal(readText(1, 1000), "1 % read");
  assert.equal(readText(50, 101), "50 % read");
  assert.equal(readText(99, 100), "100 % read");
  assert.equal(readText(5, 0), "not started"); // an old record without a count
});

test("when last read, as a reader says it", () => {
  const now = Date.UTC(2026, 5, 15, 12);
  assert.equal(whenText(now - 10_000, now), "just now");
  assert.equal(whenText(now - 5 * 60_000, now), "5 minutes ago");
  assert.equal(whenText(now - 3 * 3_600_000, now), "3 hours ago");
  assert.equal(whenText(now - 86_400_000, now), "yesterday");
  assert.equal(whenText(now - 3 * 86_400_000, now), "3 days ago");
  assert.match(whenText(Date.UTC(2026, 0, 2, 12), now), /^on (2 Jan|Jan 2)$/);
  assert.match(whenText(Date.UTC(2024, 0, 2, 12), now), /2024/);
  assert.equal(whenText(0, now), "");
});
