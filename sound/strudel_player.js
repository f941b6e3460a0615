// Strudel playback through Web Audio, self-hosted (vendor/strudel), with a level meter.
// Strudel is loaded on first use so the page and Python come up without its 850 KB.
//
// Seamless sections: Strudel's own clock runs at a fixed 1 cycle per second and never changes
// tempo. Each piece ("voice") is placed on that clock at its own tempo (`fast(cpm / 60)`) from the
// moment it starts. A new piece starts on a cycle boundary of the piece that plays, and the two
// crossfade with equal-power gain envelopes over a few cycles: no gap, no click, and no tempo
// jolt, because neither piece ever changes speed.
//
// Second check before anything plays: the code is evaluated without playing (transpile + eval,
// `setcpm` captured, not applied) and the events of its first cycles are queried: there must be
// some, and every sound must be on the shipped whitelist (sound/facts.json, written by the build
// from app/seam.py). The reader's intensity cap is Python's: it re-validates and plays again.

import { facts } from "./facts.js";

let strudelModule = null;
let repl = null;
let starting = null;
let analyser = null;
let volume = 0.8;
let playing = false;
let voices = []; // {pattern, start, end, env} on the global clock (seconds)
const allowed = new Set(facts.sounds); // the shipped whitelist
let fadeSeconds = null; // null: a few cycles of the piece that plays
let gmMap = {};
let gmBase = "";
const gmLengths = {}; // sound -> [{midi, seconds, loop}] of its samples, known once preloaded
const loadedSounds = new Set();

const CHECK_CYCLES = 4;
const MIN_LEAD = 0.35; // seconds between deciding a swap and its boundary (the clock looks ahead 0.1 s)

async function strudel() {
  if (!starting) {
    starting = (async () => {
      const mod = await import("../vendor/strudel/index.mjs");
      strudelModule = mod;
      repl = await mod.initStrudel();
      if (Object.keys(facts.gm.map || {}).length) {
        // General MIDI instruments converted at build time: note-keyed sample maps, local files.
        gmMap = facts.gm.map;
        gmBase = new URL(facts.gm.base, import.meta.url).href;
        await mod.samples(gmMap, gmBase);
      }
      const output = mod.getSuperdoughAudioController().output;
      const ctx = mod.getAudioContext();
      analyser = ctx.createAnalyser();
      analyser.fftSize = 2048;
      output.destinationGain.connect(analyser); // measured before the limiter: what the music asks for
      output.destinationGain.gain.value = volume;
      // The last guard on the master bus, never the only one (the validator bounds loudness first):
      // a hard limiter just under full scale, so no piece can clip the reader's ears.
      const limiter = new DynamicsCompressorNode(ctx, {
        threshold: -3, knee: 0, ratio: 20, attack: 0.002, release: 0.2,
      });
      output.destinationGain.disconnect(ctx.destination);
      output.destinationGain.connect(limiter).connect(ctx.destination);
      return mod;
    })();
  }
  return starting;
}

/** Load Strudel and the whitelist ahead of time (idle moment), so Play sounds sooner. */
export async function prepare() {
  await strudel();
}

/** Start (or resume) audio; call from inside a user gesture. */
export async function unlock() {
  const s = await strudel();
  await s.getAudioContext().resume();
}

/** Evaluate code into a pattern without playing it. Returns {pattern, cpm}. */
async function compile(code) {
  const s = await strudel();
  let cpm = null;
  // The piece's tempo is ours to schedule: capture it instead of retuning the global clock.
  globalThis.setcpm = globalThis.setCpm = (v) => { cpm = Number(v); };
  globalThis.setcps = globalThis.setCps = (v) => { cpm = Number(v) * 60; };
  const { output } = s.transpiler(code, { emitMiniLocations: false, emitWidgets: false });
  const pattern = await Function(`"use strict";return ((async ()=>{${output}})())`)();
  if (!pattern || typeof pattern.queryArc !== "function") {
    throw new Error("the code does not make a pattern");
  }
  if (cpm != null && !(cpm > 0 && cpm < 400)) throw new Error(`tempo ${cpm} is out of range`);
  return { pattern, cpm: cpm ?? facts.default_cpm };
}

/**
 * Render code offline (OfflineAudioContext, deterministic) and resolve the WAV bytes as base64.
 * Strudel's renderer replaces the live audio context: use a fresh page, not one that plays.
 */
export async function renderOffline(code, seconds = 12, sampleRate = 22050) {
  const s = await strudel();
  const verdict = await check(code);
  if (!verdict.ok) throw new Error(verdict.error);
  await preload(verdict.sounds);
  const { pattern: raw, cpm } = await compile(code);
  const cps = cpm / 60;
  const pattern = fitPattern(raw, 1 / cps); // exactly what the live player does to each note
  // The renderer hands its WAV to a download link: catch the blob instead of downloading it.
  const original = URL.createObjectURL;
  let blob = null;
  URL.createObjectURL = (b) => { blob = b; return original.call(URL, b); };
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function () {};
  try {
    await s.renderPatternAudio(pattern, cps, 0, seconds * cps, sampleRate, 64, false, "render");
  } finally {
    URL.createObjectURL = original;
    HTMLAnchorElement.prototype.click = click;
  }
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/**
 * The page's second check: evaluate without playing, query the first cycles.
 * Resolves {ok, sounds, events, cpm, ms} or {ok: false, error}.
 */
export async function check(code) {
  const t0 = performance.now();
  try {
    const piece = await compile(code);
    const haps = piece.pattern.queryArc(0, CHECK_CYCLES).filter((h) => h.hasOnset());
    if (!haps.length) return { ok: false, error: `no notes in the first ${CHECK_CYCLES} cycles` };
    const sounds = new Set();
    for (const h of haps) {
      const name = typeof h.value === "object" ? h.value.s : undefined;
      if (!name) return { ok: false, error: "a note has no sound" };
      if (!allowed.has(name)) return { ok: false, error: `sound "${name}" is not in the whitelist` };
      sounds.add(name);
    }
    return { ok: true, sounds: [...sounds].sort(), events: haps.length, cpm: piece.cpm, ms: performance.now() - t0 };
  } catch (err) {
    return { ok: false, error: String(err?.message || err) };
  }
}

/** Load the sample files a piece needs before it plays (a note still loading is skipped). */
async function preload(sounds) {
  const s = await strudel();
  const ctx = s.getAudioContext();
  await Promise.all(
    sounds
      .filter((name) => gmMap[name] && !loadedSounds.has(name))
      .map(async (name) => {
        // Same URL string as Strudel's sampler builds (base + file), so its buffer cache hits.
        const entries = sampleEntries(name);
        const buffers = await Promise.all(entries.map(([, [f]]) => s.loadBuffer(gmBase + f, ctx)));
        const loops = facts.gm.loops?.[name] || {};
        gmLengths[name] = entries.map(([key], i) => ({
          midi: key === null ? 36 : s.noteToMidi(key),
          seconds: buffers[i].duration,
          loop: key !== null && loops[key] ? loopWithin(loops[key], buffers[i].duration) : null,
        }));
        loadedSounds.add(name);
      }),
  );
}

/**
 * A sound's samples as [noteKey, files] pairs, in the map's order (Strudel's nearest-sample pick
 * keeps the first of two equally near keys, so ours must see them in the same order). A drum is a
 * plain list: Strudel plays it unpitched, as if keyed at its default note (midi 36): key null.
 */
function sampleEntries(name) {
  const bank = gmMap[name];
  return Array.isArray(bank) ? [[null, bank]] : Object.entries(bank);
}

/**
 * A loop [begin, end] (seconds) that lies inside the decoded sample. Chromium's decoder drops up
 * to a short block at a stream's end (bench/palette.py), past some loop ends: the loop moves back
 * whole, keeping its length; the waveform just before both ends matches too, so it stays seamless.
 */
function loopWithin([begin, end], seconds) {
  const back = Math.max(0, end - seconds);
  return begin - back >= 0 ? [begin - back, end - back] : null;
}

const clamp01 = (x) => Math.max(0, Math.min(1, x));

/**
 * SoundFont samples of sustained instruments are short recordings with a loop (facts.gm.loops, in
 * seconds, from the SoundFont): such a note plays its sample's loop for as long as it is held, then
 * releases over the SoundFont's release time unless the code sets one. Strudel's sampler takes the
 * loop as fractions of the buffer (`loopBegin`/`loopEnd`), and picks the nearest sample to the
 * note, as we do here. A sample without a loop (piano, harp, drums: they decay on their own) plays
 * once: a note longer than it would stop dead, so its envelope is shaped to reach zero first.
 */
function fitToSample(value, seconds) {
  const lengths = gmLengths[value.s];
  if (!lengths) return value;
  let midi;
  try {
    midi = strudelModule.valueToMidi(value, 36);
  } catch {
    return value;
  }
  let best = lengths[0];
  for (const l of lengths) if (Math.abs(l.midi - midi) < Math.abs(best.midi - midi)) best = l;
  if (best.loop) {
    const release = typeof value.release === "number" ? value.release : facts.gm.release?.[value.s];
    return {
      ...value,
      loop: 1,
      loopBegin: best.loop[0] / best.seconds,
      loopEnd: best.loop[1] / best.seconds,
      ...(typeof release === "number" ? { release } : {}),
    };
  }
  const playable = (0.92 * best.seconds) / Math.pow(2, (midi - best.midi) / 12);
  const attack = typeof value.attack === "number" ? value.attack : 0.001;
  const release = typeof value.release === "number" ? value.release : 0.01;
  if (attack + seconds + release <= playable) return value;
  const decayEnd = Math.min(
    typeof value.decay === "number" && value.sustain === 0 ? attack + value.decay : Infinity,
    playable,
  );
  return { ...value, sustain: 0, decay: Math.max(0.02, decayEnd - attack), release: Math.min(release, 0.05) };
}

function fitPattern(pattern, secondsPerCycle) {
  return pattern.withHap((h) =>
    gmLengths[h.value?.s] ? h.withValue((v) => fitToSample(v, h.duration.valueOf() * secondsPerCycle)) : h,
  );
}

function shaped(voice) {
  const { start, end, env } = voice;
  return voice.pattern
    .filterHaps((h) => {
      const t = h.whole ? h.whole.begin.valueOf() : -1;
      return t >= start && t < end;
    })
    .withHap((h) => {
      // A note's level is the envelope at its middle: a long chord on the swap boundary still
      // sounds (softly) instead of being silenced by a zero at its onset.
      const begin = h.whole.begin.valueOf();
      const t = begin + Math.min(h.whole.end.valueOf() - begin, voice.fade || 0) / 2;
      const g = typeof h.value.gain === "number" ? h.value.gain : 1;
      const seconds = h.duration.valueOf(); // the global clock runs one cycle per second
      return h.withValue((v) => ({ ...fitToSample(v, seconds), gain: g * env(t) }));
    });
}

function rebuild() {
  const now = repl.scheduler.now();
  voices = voices.filter((v) => v.end > now - 1);
  const parts = voices.map(shaped);
  const pattern = parts.length === 1 ? parts[0] : strudelModule.stack(...parts);
  return repl.setPattern(pattern, true);
}

/** Where a voice's next cycle boundary falls on the global clock, at least MIN_LEAD ahead. */
function nextBoundary(voice, now) {
  const cycle = (now + MIN_LEAD - voice.start) * voice.rate;
  return voice.start + Math.ceil(cycle) / voice.rate;
}

let generation = 0; // bumped by stop(): a play still in flight must not restart the music
let queue = Promise.resolve();

/** Play Strudel code: the first piece starts now, later ones crossfade in on a cycle boundary. */
export function play(code) {
  const gen = generation;
  // One swap at a time, in the order asked: voices are shared state.
  const next = queue.then(() => swapIn(code, gen));
  queue = next.catch(() => {});
  return next;
}

async function swapIn(code, gen) {
  const s = await strudel();
  await s.getAudioContext().resume();
  const verdict = await check(code);
  if (!verdict.ok) throw new Error(`Strudel could not play this code: ${verdict.error}`);
  await preload(verdict.sounds);
  const { pattern, cpm } = await compile(code);
  if (gen !== generation) return { cancelled: true };
  const rate = cpm / 60;
  const sched = repl.scheduler;
  const current = voices.at(-1);
  let start;
  let fade;
  if (!sched.started || !current) {
    voices = [];
    sched.setCps(1);
    start = 0;
    fade = 0; // from silence: every note's own attack is the fade-in; the first one sounds at once
  } else {
    const now = sched.now();
    start = nextBoundary(current, now);
    fade = fadeSeconds ?? Math.min(12, Math.max(4, 2 / current.rate));
    for (const old of voices) {
      // Fade every sounding voice out from the boundary (a voice still fading keeps its own curve).
      const prior = old.env;
      const from = start;
      old.env = (t) => prior(t) * Math.cos((Math.PI / 2) * clamp01((t - from) / fade));
      old.end = Math.min(old.end, start + fade);
      old.fade = fade;
    }
  }
  const from = start;
  const fadeIn = fade;
  voices.push({
    pattern: pattern.fast(rate).late(start),
    start,
    end: Infinity,
    rate,
    code,
    fade,
    env: fadeIn > 0 ? (t) => Math.sin((Math.PI / 2) * clamp01((t - from) / fadeIn)) : () => 1,
  });
  await rebuild();
  playing = true;
  return { start, fade, cpm, sounds: verdict.sounds };
}

export async function stop() {
  generation += 1;
  if (!repl) return;
  repl.stop();
  voices = [];
  playing = false;
}

export function isPlaying() {
  return playing;
}

/** The clock position in seconds (0 when stopped) and the pieces that sound. */
export function position() {
  if (!repl) return { now: 0, voices: [] };
  return {
    now: repl.scheduler.now(),
    voices: voices.map((v) => ({ start: v.start, end: v.end, cpm: v.rate * 60 })),
  };
}

export function setVolume(value) {
  volume = Math.max(0, Math.min(1, value));
  if (strudelModule) {
    strudelModule.getSuperdoughAudioController().output.destinationGain.gain.value = volume;
  }
}

/** Crossfade length in seconds (null: two cycles of the playing piece, 4-12 s). */
export function setFade(seconds) {
  fadeSeconds = seconds == null ? null : Math.max(0.5, Number(seconds));
}

/** The shipped sound whitelist. */
export async function sounds() {
  return [...allowed].sort();
}

/** The highest absolute sample of the master output right now, before the limiter. */
export function peak() {
  if (!analyser) return 0;
  const buf = new Float32Array(analyser.fftSize);
  analyser.getFloatTimeDomainData(buf);
  return buf.reduce((top, v) => Math.max(top, Math.abs(v)), 0);
}

/** RMS of the master output right now (0 when silent or not started). */
export function level() {
  if (!analyser) return 0;
  const buf = new Float32Array(analyser.fftSize);
  analyser.getFloatTimeDomainData(buf);
  let sum = 0;
  for (const x of buf) sum += x * x;
  return Math.sqrt(sum / buf.length);
}

/**
 * A piece's note events without playing it (for MIDI export and MIDI out), as JSON:
 * {cps, begin, end, layers, events: [{layer, start, end, note, gain, velocity, sound}]}.
 * With `seconds`, the span is that much playing time from `begin`, rounded up to whole cycles.
 */
export async function events(code, begin = 0, end = 8, seconds = null) {
  const s = await strudel();
  const { patternEvents, evaluateTagged } = await import("./pattern_events.js");
  if (seconds != null) {
    const { cps } = await evaluateTagged(s, code);
    end = begin + Math.max(1, Math.ceil(seconds * cps));
  }
  return JSON.stringify(await patternEvents(s, code, begin, end));
}

/** The initialised Strudel module (loads it on first call), for the modules beside the player. */
export const loadStrudel = strudel;
