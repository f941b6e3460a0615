import assert from "node:assert/strict";
import { test } from "node:test";

import { MAX_BOOST_DB, PEAK_CEILING, TARGET_DB, correction, gainToDb, gated } from "../../sound/leveller.js";

const db = (x) => Math.pow(10, x / 20);

test("a quiet piece comes up to the target, a sparse one at -48 dBFS included", () => {
  assert.ok(Math.abs(gainToDb(correction(db(-30))) - (TARGET_DB + 30)) < 1e-9);
  // A bell every five seconds, as the validator lets it through, measures about -48 dBFS.
  assert.ok(Math.abs(gainToDb(correction(db(-48), db(-30))) - (TARGET_DB + 48)) < 1e-9);
});

test("the boost is bounded, near-silence is left alone, and no peak is pushed past the ceiling", () => {
  assert.equal(gainToDb(correction(db(-58))), MAX_BOOST_DB);
  assert.equal(correction(db(-61)), 1); // under the silence line: a fade-out is never blown up
  const g = correction(db(-40), 0.3);
  assert.ok(Math.abs(g * 0.3 - PEAK_CEILING) < 1e-9);
  assert.equal(correction(db(-30), 0.95), 1); // already peaking high: never boosted, never cut
  assert.ok(gainToDb(correction(db(-6))) < 0); // a loud one comes down
});

test("silence is gated out of the measure, as EBU R128 gates it", () => {
  const loud = { ms: db(-20) ** 2, peak: 0.2 };
  const tail = { ms: db(-45) ** 2, peak: 0.01 }; // more than 20 dB under the rest
  const silent = { ms: 0, peak: 0 };
  const { rms, peak } = gated([loud, tail, silent, loud]);
  assert.ok(Math.abs(gainToDb(rms) + 20) < 1e-9);
  assert.equal(peak, 0.2);
});
