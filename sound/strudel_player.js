// Strudel playback through Web Audio, self-hosted (vendor/strudel), with a level meter.
// Strudel is loaded on first use so the page and Python come up without its 850 KB.
//
// Seamless sections: Strudel's own clock runs at a fixed 1 cycle per second and never changes
// tempo. Each piece ("voice") is placed on that clock by its own timing (`timing()` below): the
// first one at its tempo from the start. A new piece starts on a cycle boundary of the piece that
// plays, and the two crossfade with equal-power gain envelopes over a few cycles while the new one
// glides from the old tempo to its own (its cycle is the integral of a linear rate ramp: a time
// warp of the pattern), so there is no gap, no click and no tempo jolt. The master bus levels
// every piece to one target (sound/leveller.js) before the reader's volume and a limiter.
//
// Second check before anything plays: the code is evaluated without playing (transpile + eval,
// `setcpm` captured, not applied) and the events of its first cycles are queried: there must be
// some, and every sound must be on the shipped whitelist (sound/facts.json, written by the build
// from app/seam.py). The reader's intensity cap is Python's: it re-validates and plays again.

import { on, status } from "../ui/bus.js";
import { facts } from "./facts.js";
import { allCached } from "./instrument_cache.js";
import { createLeveller, fadeEdges, levelBuffer } from "./leveller.js";
import { yieldToPage } from "./yield_to_page.js";

let strudelModule = null;
let repl = null;
let starting = null;
let analyser = null;
let leveller = null; // the master bus's loudness stage (sound/leveller.js)
const presetLevel = (name) => Number(facts.intensity?.[name]?.level_db) || 0;
let levelOffset = presetLevel(facts.default_intensity);
// The reader's intensity cap (the page event Python plays the capped piece on): a softer preset
// plays under the loudness target, so the stage does not bring it back up.
on("intensity", (name) => {
  levelOffset = presetLevel(name);
  leveller?.setOffset(levelOffset);
});
let volume = 0.8;
let playing = false;
let voices = []; // {pattern, start, end, env} on the global clock (seconds)
const allowed = new Set(facts.sounds); // the shipped whitelist
let fadeSeconds = null; // null: a few cycles of the piece that plays
let gmMap = {};
let gmBase = "";
const gmLengths = {}; // sound -> [{midi, seconds, loop}] of its samples, known once preloaded
const loadedSounds = new Set();
// Instruments are fetched on first use (the service worker keeps them from then on). One that
// cannot be fetched (offline before it was ever kept) plays as a synth stand-in rather than
// silencing its piece; it is tried again with the next piece once the browser is online.
const standIns = new Set(); // the sounds a synth plays for now
const STAND_IN = "triangle";

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
      // The master bus: Strudel's mix -> loudness stage -> the reader's volume -> limiter -> out.
      leveller = createLeveller(ctx);
      leveller.setOffset(levelOffset);
      output.channelMerger.disconnect();
      output.channelMerger.connect(leveller.input);
      leveller.output.connect(output.destinationGain);
      analyser = ctx.createAnalyser();
      analyser.fftSize = 2048;
      // level()/peak() read here: after the loudness stage and the volume, before the limiter.
      output.destinationGain.connect(analyser);
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
  await loadWorklets(s);
}

let worklets = null;
/**
 * Strudel's audio-worklet effects (.shape and friends) need their modules in the audio context;
 * Strudel adds them on the page's first mousedown only, so a keyboard or scripted start would
 * play those layers silent. Load them with the first unlock, whatever started it.
 */
function loadWorklets(s) {
  worklets ??= s.initAudio().catch((err) => console.warn("audio worklets did not load", err));
  return worklets;
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

let lastRender = null; // {gain, rms} of the last offline render's levelling

/** How the last offline render was levelled: {gain, rms (before)}; null before any. */
export function renderLevel() {
  return lastRender;
}

/**
 * Render code offline (OfflineAudioContext, deterministic) and resolve the WAV bytes as base64.
 * Strudel's renderer replaces the live audio context: use a fresh page, not one that plays.
 */
export async function renderOffline(code, seconds = 12, sampleRate = 22050) {
  const s = await strudel();
  const { verdict, piece } = await checked(code);
  if (!verdict.ok) throw new Error(verdict.error);
  await preload(verdict.sounds);
  const { pattern: raw, cpm } = piece;
  const cps = cpm / 60;
  const pattern = fitPattern(raw, 1 / cps); // exactly what the live player does to each note
  // The renderer hands its WAV to a download link: catch the blob instead of downloading it.
  const original = URL.createObjectURL;
  let blob = null;
  URL.createObjectURL = (b) => { blob = b; return original.call(URL, b); };
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function () {};
  // The rendered buffer passes through here before Strudel encodes it: the same target level as
  // the live loudness stage (one static gain), then short fades at both edges.
  const render = OfflineAudioContext.prototype.startRendering;
  let levelled = null;
  OfflineAudioContext.prototype.startRendering = function () {
    // Only the piece's own context (Strudel's renderer makes it the audio context): the reverb
    // renders its impulse responses offline too, and those must stay as they are.
    if (this !== s.getAudioContext()) return render.call(this);
    return render.call(this).then((buffer) => {
      levelled = levelBuffer(buffer);
      fadeEdges(buffer);
      return buffer;
    });
  };
  try {
    await s.renderPatternAudio(pattern, cps, 0, seconds * cps, sampleRate, 64, false, "render");
  } finally {
    URL.createObjectURL = original;
    HTMLAnchorElement.prototype.click = click;
    OfflineAudioContext.prototype.startRendering = render;
  }
  lastRender = levelled;
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
  return (await checked(code)).verdict;
}

/** `check`, and the pattern it compiled (a piece about to play is not compiled twice). The
 * compile and the query each take a task of their own: together they held up a frame. */
async function checked(code) {
  const t0 = performance.now();
  const refused = (error) => ({ verdict: { ok: false, error }, piece: null });
  try {
    const piece = await compile(code);
    await yieldToPage();
    const haps = piece.pattern.queryArc(0, CHECK_CYCLES).filter((h) => h.hasOnset());
    if (!haps.length) return refused(`no notes in the first ${CHECK_CYCLES} cycles`);
    const sounds = new Set();
    for (const h of haps) {
      const name = typeof h.value === "object" ? h.value.s : undefined;
      if (!name) return refused("a note has no sound");
      if (!allowed.has(name)) return refused(`sound "${name}" is not in the whitelist`);
      sounds.add(name);
    }
    const ms = performance.now() - t0;
    return { verdict: { ok: true, sounds: [...sounds].sort(), events: haps.length, cpm: piece.cpm, ms }, piece };
  } catch (err) {
    return refused(String(err?.message || err));
  }
}

/** Load the sample files a piece needs before it plays (a note still loading is skipped). An
 * instrument that cannot be fetched gets a synth stand-in and a message, never a failed piece. */
async function preload(sounds) {
  const s = await strudel();
  const ctx = s.getAudioContext();
  const online = globalThis.navigator?.onLine !== false;
  const missing = []; // newly standing in: the reader is told once
  const useStandIn = (name) => {
    if (!standIns.has(name)) missing.push(name);
    standIns.add(name);
  };
  await Promise.all(
    sounds
      .filter((name) => gmMap[name] && !loadedSounds.has(name))
      .map(async (name) => {
        // Same URL string as Strudel's sampler builds (base + file), so its buffer cache hits.
        const entries = sampleEntries(name);
        const urls = entries.map(([, [f]]) => gmBase + f);
        // Offline, ask the caches first: Strudel keeps a failed fetch for good, so an instrument
        // it never tried stays loadable once the reader is back online. (No Cache Storage to
        // ask: the fetch decides.)
        if (!online && globalThis.caches && !(await allCached(urls))) {
          useStandIn(name);
          return;
        }
        try {
          const buffers = await Promise.all(urls.map((url) => s.loadBuffer(url, ctx)));
          const loops = facts.gm.loops?.[name] || {};
          gmLengths[name] = entries.map(([key], i) => ({
            midi: key === null ? 36 : s.noteToMidi(key),
            seconds: buffers[i].duration,
            loop: key !== null && loops[key] ? loopWithin(loops[key], buffers[i].duration) : null,
          }));
          loadedSounds.add(name);
          standIns.delete(name);
        } catch (err) {
          useStandIn(name);
          console.warn(`instrument ${name} could not be fetched; a synth plays its part`, err);
        }
      }),
  );
  if (missing.length) {
    const names = missing
      .map((n) => (n.startsWith("gm_") ? n.slice(3).replaceAll("_", " ") : `“${n}” drum`))
      .join(", ");
    const one = missing.length === 1;
    const why = online ? `Could not fetch the ${names}` : `Offline: the ${names} ${one ? "was" : "were"} never kept`;
    status(`${why}; a synth plays ${one ? "its" : "their"} part. “Offline & storage” can keep every instrument.`,
      "notice");
  }
}

/** A note of an instrument that could not be fetched, as its stand-in synth plays it. */
function standIn(value) {
  return standIns.has(value.s) ? { ...value, s: STAND_IN } : value;
}

/** The instruments playing as a synth stand-in now (not fetched yet and the fetch failed). */
export function standInSounds() {
  return [...standIns].sort();
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
    gmLengths[h.value?.s] || standIns.has(h.value?.s)
      ? h.withValue((v) => standIn(fitToSample(v, h.duration.valueOf() * secondsPerCycle)))
      : h,
  );
}

// Times are rounded to this grid (2^-24 s): a float time becomes an exact, cheap Fraction, and
// the same float always lands on the same Fraction, so adjacent queries meet exactly.
const GRID = 2 ** 24;
const EPS = 1e-6; // seconds: a note on a swap boundary belongs to the incoming piece only
const onGrid = (t) => Math.ceil(t * GRID - 1e-6) / GRID;

/**
 * A piece's place on the global 1-cps clock: its cycle `phase(t)` at time t (seconds), the time
 * of a cycle, and its rate (cycles per second). A piece swapped in glides: its rate ramps
 * linearly from `from` (the outgoing piece's rate at the boundary) to `to` over `glide` seconds,
 * so its phase is the integral of that ramp and the tempo never jumps.
 */
export function timing(start, from, to, glide) {
  const span = from === to || !(glide > 0) ? 0 : glide;
  const accel = span ? (to - from) / span : 0;
  const head = (span * (from + to)) / 2; // cycles played while gliding
  return {
    start,
    rate: to,
    glide: span,
    rateAt(t) {
      const x = t - start;
      return x <= 0 ? from : x < span ? from + accel * x : to;
    },
    phase(t) {
      const x = t - start;
      if (x <= 0) return x * from;
      if (x < span) return from * x + (accel * x * x) / 2;
      return head + to * (x - span);
    },
    time(c) {
      if (c <= 0) return start + c / from;
      // from*x + accel*x^2/2 = c, in the form that stays exact when accel is small.
      if (c < head) return start + (2 * c) / (from + Math.sqrt(from * from + 2 * accel * c));
      return start + span + (c - head) / to;
    },
  };
}

/** The pattern of a piece placed on the global clock by its timing (phase and its inverse). */
function placed(pattern, tm) {
  const F = strudelModule.Fraction;
  if (!tm.glide) return pattern.fast(tm.rate).late(tm.start); // exact: no warp needed
  const grid = (x) => F(Math.round(x * GRID)).div(GRID);
  return pattern
    .withQueryTime((t) => grid(tm.phase(t.valueOf())))
    .withHapTime((c) => grid(tm.time(c.valueOf())));
}

function shaped(voice) {
  const { start, end, env } = voice;
  return voice.pattern
    .filterHaps((h) => {
      const t = h.whole ? h.whole.begin.valueOf() : -Infinity;
      return t >= start - EPS && t < end - EPS;
    })
    .withHap((h) => {
      // A note's level is the envelope at its middle: a long chord on the swap boundary still
      // sounds (softly) instead of being silenced by a zero at its onset.
      const begin = h.whole.begin.valueOf();
      const t = begin + Math.min(h.whole.end.valueOf() - begin, voice.fade || 0) / 2;
      const g = typeof h.value.gain === "number" ? h.value.gain : 1;
      const seconds = h.duration.valueOf(); // the global clock runs one cycle per second
      return h.withValue((v) => ({ ...standIn(fitToSample(v, seconds)), gain: g * env(t) }));
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
  return onGrid(voice.timing.time(Math.ceil(voice.timing.phase(now + MIN_LEAD))));
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
  await loadWorklets(s);
  const { verdict, piece } = await checked(code);
  if (!verdict.ok) throw new Error(`Strudel could not play this code: ${verdict.error}`);
  await preload(verdict.sounds);
  await yieldToPage();
  const { pattern, cpm } = piece;
  if (gen !== generation) return { cancelled: true };
  const rate = cpm / 60;
  const sched = repl.scheduler;
  const current = voices.at(-1);
  let start;
  let fade;
  let from = rate;
  if (!sched.started || !current) {
    voices = [];
    sched.setCps(1);
    start = 0;
    fade = 0; // from silence: every note's own attack is the fade-in; the first one sounds at once
    leveller.start(); // measure afresh; never start louder than unity
  } else {
    const now = sched.now();
    start = nextBoundary(current, now);
    from = current.timing.rateAt(start); // the tempo the reader hears at the boundary
    fade = fadeSeconds ?? Math.min(12, Math.max(4, 2 / from));
    for (const old of voices) {
      // Fade every sounding voice out from the boundary (a voice still fading keeps its own curve).
      const prior = old.env;
      const at = start;
      old.env = (t) => prior(t) * Math.cos((Math.PI / 2) * clamp01((t - at) / fade));
      old.end = Math.min(old.end, start + fade);
      old.fade = fade;
    }
    leveller.swap(start - now + fade); // the new piece is measured alone once the old one is gone
  }
  const at = start;
  const fadeIn = fade;
  // The incoming piece glides from the outgoing tempo to its own over the crossfade.
  const tm = timing(start, from, rate, fade);
  voices.push({
    pattern: placed(pattern, tm),
    timing: tm,
    start,
    end: Infinity,
    rate,
    code,
    fade,
    env: fadeIn > 0 ? (t) => Math.sin((Math.PI / 2) * clamp01((t - at) / fadeIn)) : () => 1,
  });
  await rebuild();
  playing = true;
  return { start, fade, cpm, from: from * 60, sounds: verdict.sounds };
}

/**
 * The notes scheduled between two clock times (seconds), as played: [{t, s, gain, voice}]
 * (voice: index among the pieces sounding). For tests and benchmarks of swaps and glides.
 */
export function scheduled(from, to) {
  if (!repl) return [];
  const out = [];
  voices.forEach((v, i) => {
    for (const h of shaped(v).queryArc(from, to)) {
      if (h.hasOnset()) out.push({ t: h.whole.begin.valueOf(), s: h.value.s, gain: h.value.gain, voice: i });
    }
  });
  return out.sort((a, b) => a.t - b.t);
}

export async function stop() {
  generation += 1;
  if (!repl) return;
  repl.stop();
  leveller?.hold(); // tails decay at the gain they had; the next start measures afresh
  voices = [];
  playing = false;
}

export function isPlaying() {
  return playing;
}

/**
 * The notes sounding now in the piece the reader hears (the newest one that has started), for
 * the code view's highlight: its code and the places in it ([start, end) character offsets) of
 * those notes. Strudel keeps the place of every mini-notation atom on its notes
 * (`hap.context.locations`); one query of an instant, cheap enough for a few frames a second.
 */
export function sounding() {
  if (!repl || !playing) return null;
  const now = repl.scheduler.now();
  const voice = voices.findLast((v) => v.start <= now && now < v.end);
  if (!voice) return null;
  const places = new Set();
  for (const hap of voice.pattern.queryArc(now, now + 1e-3)) {
    if (!hap.whole || hap.whole.begin.valueOf() > now) continue;
    for (const { start, end } of hap.context?.locations || []) places.add(`${start}:${end}`);
  }
  return { code: voice.code, spans: [...places].map((p) => p.split(":").map(Number)) };
}

/** The clock position in seconds (0 when stopped) and the pieces that sound. */
export function position() {
  if (!repl) return { now: 0, voices: [] };
  return {
    now: repl.scheduler.now(),
    voices: voices.map((v) => ({
      start: v.start, end: v.end, cpm: v.rate * 60, glide: v.timing.glide,
      cpmNow: v.timing.rateAt(repl.scheduler.now()) * 60,
    })),
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

/**
 * The loudness stage: {enabled, held, gain, gainDb (its correction now), measuredDb (the music
 * before it, RMS over the last seconds, silence left out), outputDb, targetDb}.
 */
export function loudness() {
  return leveller ? leveller.state() : null;
}

/** Turn the loudness stage off (gain back to unity) or on: for measuring pieces as written. */
export function setLeveller(on) {
  leveller?.setEnabled(on);
}

/** The highest absolute sample of the master output right now: after the loudness stage and the
 * volume, before the limiter. */
export function peak() {
  if (!analyser) return 0;
  const buf = new Float32Array(analyser.fftSize);
  analyser.getFloatTimeDomainData(buf);
  return buf.reduce((top, v) => Math.max(top, Math.abs(v)), 0);
}

/** RMS of the master output right now (0 when silent or not started): after the loudness stage
 * and the volume, before the limiter. */
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
