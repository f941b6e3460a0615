// The master bus's loudness stage: every piece (instant, model, endless drift, the reader's edits)
// plays at one target level. It measures the music before the stage (RMS over the last few
// seconds, silent moments left out) and moves a gain slowly toward target / measured. It is
// feed-forward (it never hears its own output), so it cannot oscillate; it is slow (seconds), so a
// drum hit does not pump it and a crossfade does not make it jump; its boost is bounded and it holds
// while the music is silent, so a fade-out or near-silence is never blown up. The limiter after it
// stays the last guard. The WAV export applies the same numbers once, statically (levelBuffer).

// dBFS RMS (gated) of the music after the stage, before the reader's volume: the middle of what
// the instant pieces measure as written (bench/level.py), so they change least.
export const TARGET_DB = -22;
// A quiet piece comes up at most this much: sparse pieces the validator lets through (a bell every
// five seconds, a piece at its loudness floor) measure -48 to -50 dBFS as written.
export const MAX_BOOST_DB = 30;
export const MAX_CUT_DB = -18; // a loud one comes down at most this much
export const PEAK_CEILING = 0.9; // never boost a piece's recent peak past this (the limiter is at -3 dB)
// Silence (rests, decaying tails) is left out of the measure, as in EBU R128's gating: blocks
// under an absolute floor, then blocks more than RELATIVE_GATE_DB under the mean of the rest.
const GATE_DB = -70;
const RELATIVE_GATE_DB = -20;
const SILENT_DB = -60; // music measured under this is left as it is
const REST_DB = -20; // the last second this far under the window's loudest block: a rest or a tail
// Seconds of music the level is measured over: the piece, not its phrases. Long enough that a
// sparse piece's decaying tails and rests (a bell, then ten seconds of nothing) are measured with
// its notes: with 2.5 s the stage heard only the tail, boosted it 9 dB too far, and the next note
// came in that loud. A swap forgets the outgoing piece (swap()), so a new piece is measured alone.
const WINDOW_S = 8;
const MIN_MEASURED_S = 1.5; // no correction before this much music has been heard
// How fast the correction may move, in dB per second: slow enough that a drum hit, a pad's slow
// attack or a crossfade never pumps it; coming down is quicker than going up (a loud surprise
// is worse than a quiet one).
const BOOST_DB_PER_S = 3;
const CUT_DB_PER_S = 8;
// Far under the target (a piece written near silence), it comes up twice as fast: at 3 dB/s the
// last 30 dB would take ten seconds, a sixth of the section.
const FAR_DB = 12;
const FAR_BOOST_DB_PER_S = 6;
const TICK_MS = 100;

const dbToGain = (db) => Math.pow(10, db / 20);
export const gainToDb = (g) => (g > 0 ? 20 * Math.log10(g) : -Infinity);

/** The gain that brings music measured at `rms` (and peaking at `peak`) to the target, bounded. */
export function correction(rms, peak = 0) {
  if (!(rms > dbToGain(SILENT_DB))) return 1; // near-silence is never blown up
  let g = dbToGain(TARGET_DB) / rms;
  g = Math.min(dbToGain(MAX_BOOST_DB), Math.max(dbToGain(MAX_CUT_DB), g));
  if (g > 1 && peak > 0) g = Math.max(1, Math.min(g, PEAK_CEILING / peak));
  return g;
}

/** RMS and peak of blocks {ms, peak} (mean square, peak of ~100 ms each), silence gated out. */
export function gated(blocks) {
  const loud = (list, floor) => list.filter((b) => b.ms > floor);
  let kept = loud(blocks, dbToGain(GATE_DB) ** 2);
  if (!kept.length) return { rms: 0, peak: 0 };
  const mean = kept.reduce((a, b) => a + b.ms, 0) / kept.length;
  kept = loud(kept, mean * dbToGain(RELATIVE_GATE_DB) ** 2);
  return {
    rms: Math.sqrt(kept.reduce((a, b) => a + b.ms, 0) / kept.length),
    peak: kept.reduce((a, b) => Math.max(a, b.peak), 0),
  };
}

/** RMS and peak of mono samples (L+R)/2, in 100 ms blocks, silence gated out. */
export function measure(left, right, sampleRate) {
  const size = Math.max(1, Math.round(sampleRate / 10));
  const blocks = [];
  for (let i = 0; i < left.length; i += size) {
    let s = 0, p = 0;
    const end = Math.min(left.length, i + size);
    for (let j = i; j < end; j++) {
      const x = right ? (left[j] + right[j]) / 2 : left[j];
      s += x * x;
      p = Math.max(p, Math.abs(x));
    }
    blocks.push({ ms: s / (end - i), peak: p });
  }
  return gated(blocks);
}

/**
 * The live stage: `input` takes the music, `output` gives it back levelled.
 * start(): a piece starts from silence (measure afresh, never louder than unity at first);
 * swap(s): a new piece is alone after s seconds (forget the old one then);
 * hold(): the music stops (keep the gain, measure nothing); state(): what the page shows.
 */
export function createLeveller(ctx) {
  const input = new GainNode(ctx);
  const output = new GainNode(ctx, { gain: 1 });
  const meter = new AnalyserNode(ctx, { fftSize: 4096 }); // ~90 ms, read every 100 ms
  input.connect(meter);
  input.connect(output);
  const buf = new Float32Array(meter.fftSize);
  let blocks = []; // {t, ms, peak} of non-silent reads
  let held = true;
  let measured = 0;
  let enabled = true;
  let offsetDb = 0; // the reader's intensity: a softer cap plays under the target
  let forgetAt = null; // when a swap's crossfade is over: the outgoing piece is forgotten then

  function tick() {
    if (ctx.state !== "running") return;
    meter.getFloatTimeDomainData(buf);
    let s = 0, p = 0;
    for (const x of buf) {
      s += x * x;
      p = Math.max(p, Math.abs(x));
    }
    const now = ctx.currentTime;
    if (forgetAt !== null && now >= forgetAt) {
      blocks = blocks.filter((b) => b.t >= forgetAt);
      forgetAt = null;
    }
    if (s / buf.length > dbToGain(GATE_DB) ** 2) blocks.push({ t: now, ms: s / buf.length, peak: p });
    blocks = blocks.filter((b) => b.t > now - WINDOW_S);
    if (held || !enabled) return;
    if (blocks.length * (TICK_MS / 1000) < MIN_MEASURED_S) return; // not enough music heard yet
    const level = gated(blocks);
    measured = level.rms;
    const have = gainToDb(output.gain.value);
    let want = gainToDb(correction(level.rms, level.peak)) + offsetDb;
    if (resting(now)) want = Math.min(want, have); // a rest or a decaying tail is never boosted
    const dt = TICK_MS / 1000;
    const up = want - have > FAR_DB ? FAR_BOOST_DB_PER_S : BOOST_DB_PER_S;
    const next = have + Math.max(-CUT_DB_PER_S * dt, Math.min(up * dt, want - have));
    // A straight ramp to the next value over the next tick: smooth, no steps to hear.
    output.gain.cancelScheduledValues(now);
    output.gain.setValueAtTime(output.gain.value, now);
    output.gain.linearRampToValueAtTime(dbToGain(next), now + dt);
  }
  // The last second is far under the loudest moment of the window: the music rests or a note
  // dies away. Measured then, the tail would pass for quiet music (a bell's ten-second tail was
  // boosted 9 dB too far and the next note came in that loud).
  function resting(now) {
    const recent = blocks.filter((b) => b.t > now - 1);
    const loudest = blocks.reduce((m, b) => Math.max(m, b.ms), 0);
    const mean = recent.reduce((a, b) => a + b.ms, 0) / Math.max(1, recent.length);
    return !recent.length || mean < loudest * dbToGain(REST_DB) ** 2;
  }
  const timer = setInterval(tick, TICK_MS);

  return {
    input,
    output,
    start() {
      blocks = [];
      measured = 0;
      held = false;
      forgetAt = null;
      // From silence: a piece after a quiet (boosted) one must not start boosted.
      const g = Math.min(1, output.gain.value);
      output.gain.cancelScheduledValues(ctx.currentTime);
      // The value setter, not only setValueAtTime: the getter reads the new gain at once, where
      // an automation event shows only after the audio thread's next quantum (a busy machine read
      // the old boost right after start).
      output.gain.value = g;
    },
    /** A new piece crossfades in and is alone `afterS` seconds from now: measure it alone from then
     * (until it has been heard long enough, the gain stays where the outgoing piece left it). */
    swap(afterS) {
      forgetAt = ctx.currentTime + Math.max(0, afterS);
    },
    hold() {
      held = true;
      output.gain.cancelScheduledValues(ctx.currentTime);
      const g = output.gain.value;
      output.gain.value = g; // freeze where it is (the setter, as in start)
    },
    setOffset(db) {
      offsetDb = Math.min(0, Number(db) || 0);
    },
    setEnabled(on) {
      enabled = Boolean(on);
      if (!enabled) {
        output.gain.cancelScheduledValues(ctx.currentTime);
        output.gain.setTargetAtTime(1, ctx.currentTime, 0.05);
      }
    },
    state() {
      const gain = output.gain.value;
      return {
        enabled,
        held,
        gain,
        gainDb: gainToDb(gain),
        measuredDb: gainToDb(measured), // the music before the stage, silence left out
        outputDb: gainToDb(measured * gain), // after the stage, before the reader's volume
        targetDb: TARGET_DB + offsetDb,
      };
    },
    close() {
      clearInterval(timer);
    },
  };
}

/** The offline equivalent: one static gain for a rendered buffer (in place); returns {gain, rms}. */
export function levelBuffer(buffer) {
  const left = buffer.getChannelData(0);
  const right = buffer.numberOfChannels > 1 ? buffer.getChannelData(1) : null;
  const { rms, peak } = measure(left, right, buffer.sampleRate);
  const gain = correction(rms, peak);
  for (let c = 0; c < buffer.numberOfChannels; c++) {
    const data = buffer.getChannelData(c);
    for (let i = 0; i < data.length; i++) data[i] *= gain;
  }
  return { gain, rms };
}

/** Fade the buffer in and out (in place): no full-scale kick at sample 0, no hard cut at the end. */
export function fadeEdges(buffer, fadeIn = 0.05, fadeOut = 1.5) {
  const n = buffer.length;
  const a = Math.min(Math.round(fadeIn * buffer.sampleRate), Math.floor(n / 4));
  const b = Math.min(Math.round(fadeOut * buffer.sampleRate), Math.floor(n / 3));
  for (let c = 0; c < buffer.numberOfChannels; c++) {
    const data = buffer.getChannelData(c);
    for (let i = 0; i < a; i++) data[i] *= Math.sin((Math.PI / 2) * (i / a)) ** 2;
    for (let i = 0; i < b; i++) data[n - 1 - i] *= Math.sin((Math.PI / 2) * (i / b)) ** 2;
  }
}
