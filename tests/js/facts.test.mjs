import assert from "node:assert/strict";
import { test } from "node:test";

import { FACTS } from "./facts_fixture.mjs";

const { facts, loadFacts, readFacts } = await import("../../sound/facts.js");

test("the modules read the facts they were given, once, frozen", () => {
  assert.deepEqual(facts.sounds, FACTS.sounds);
  assert.equal(facts.default_cpm, 20);
  assert.ok(Object.isFrozen(facts));
  // No instruments shipped in the fixture: an empty sample map, never undefined.
  assert.deepEqual(facts.gm, { base: "../vendor/soundfont/", map: {} });
});

test("a facts file missing a key, or with an unknown default preset, is refused by name", () => {
  const missing = { ...FACTS };
  delete missing.wpm_range;
  assert.throws(() => readFacts(missing), /"wpm_range" is missing/);
  assert.throws(() => readFacts({ ...FACTS, default_intensity: "loud" }), /"loud" is not a preset/);
  assert.throws(() => readFacts("null"), /not an object/);
  assert.equal(readFacts(JSON.stringify(FACTS)).default_wpm, 230);
});

test("loadFacts fetches beside the module and keeps the build's sample map", async () => {
  const asked = [];
  const gm = { base: "../vendor/soundfont/", map: { gm_piano: { c4: ["gm_piano/c4.ogg"] } } };
  const fetcher = async (url) => {
    asked.push(String(url));
    return { ok: true, json: async () => ({ ...FACTS, gm }) };
  };
  const loaded = await loadFacts(new URL("file:///site/sound/facts.json"), fetcher);
  assert.deepEqual(asked, ["file:///site/sound/facts.json"]);
  assert.deepEqual(loaded.gm, gm);
  await assert.rejects(loadFacts("x", async () => ({ ok: false, status: 404 })), /HTTP 404/);
});
