import assert from "node:assert/strict";
import { test } from "node:test";

import { FACTS } from "./facts_fixture.mjs";

const { DRUM_KEYS, channelFor, drumKey, send } = await import("../../sound/midi_out.js");

test("layers get Python's channels: drums on the drum channel, melodic layers skip it and wrap", () => {
  assert.equal(channelFor(0, true), 9);
  assert.deepEqual([0, 1, 8, 9, 14].map((layer) => channelFor(layer, false)), [0, 1, 8, 10, 15]);
  assert.equal(channelFor(15, false), 0);
  // Other facts, other channels: nothing is typed here.
  assert.equal(channelFor(1, false, { drum_channel: 0, melodic_channels: [5, 6] }), 6);
  assert.equal(channelFor(1, true, { drum_channel: 0, melodic_channels: [5, 6] }), 0);
});

test("drum keys come from the facts; pitched sounds have none", () => {
  assert.deepEqual(DRUM_KEYS, FACTS.drum_keys);
  assert.equal(drumKey("sbd"), 36);
  assert.equal(drumKey("HH"), 42);
  assert.equal(drumKey("triangle"), null);
  assert.equal(drumKey("constructor"), null); // not fooled by the object's prototype
  assert.equal(drumKey("kick", { kick: 35 }), 35);
});

function hap(begin, end, value) {
  return { whole: { begin: { valueOf: () => begin }, end: { valueOf: () => end } }, hasOnset: () => true, value };
}

test("send puts a drum layer's notes on the drum channel with its key, timestamped ahead", () => {
  const pattern = { queryArc: () => [hap(1, 1.5, { s: "sbd", _layer: 2, gain: 0.5 })] };
  const out = [];
  const output = { send: (data, at) => out.push([data, at]) };
  const sent = send({ pattern, loudest: 0.5 }, 1, 2, 0.5, output, 1000);
  assert.deepEqual(sent.map(({ channel, key, velocity }) => [channel, key, velocity]), [[9, 36, 127]]);
  assert.deepEqual(out, [[[0x99, 36, 127], 1500], [[0x89, 36, 0], 1999]]);
});
