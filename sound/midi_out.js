// Web MIDI out: the playing piece's notes, sent to a MIDI device (a synthesizer, a DAW's input)
// with one channel per layer and drum layers on channel 10, in time with Strudel's clock.
// The notes come from the same pattern the audio plays (queried ahead, like Strudel's scheduler).

import { facts } from "./facts.js";
import { evaluateTagged } from "./pattern_events.js";
import { loadStrudel, position } from "./strudel_player.js";

// General MIDI percussion keys for unpitched sounds: app/midi/gm.py DRUM_KEYS, through facts.json.
export const DRUM_KEYS = facts.drum_keys;
const LOOKAHEAD_SECONDS = 0.25; // how far ahead notes are handed to the device (with timestamps)
const TICK_MS = 50;

const state = {
  access: null,
  output: null,
  enabled: false,
  muteAudio: true,
  strudel: null, // the loaded Strudel module
  // The pieces that sound, on the player's global clock (seconds; it runs at 1 cycle per second):
  // {pattern (tagged, placed like the player places it), start, end, loudest}
  pieces: [],
  queuedUntil: null, // clock time up to which notes were already handed to the device
  timer: null,
  sounding: new Set(), // "channel:key" with a note sent since the last all-notes-off
  savedVolume: null,
  onError: null,
};

function midiSupported() {
  return typeof navigator !== "undefined" && typeof navigator.requestMIDIAccess === "function";
}

/** The MIDI outputs this browser offers: [{id, name}], or throws a message a reader can act on. */
export async function outputs() {
  if (!midiSupported()) throw new Error("This browser has no Web MIDI (try Chrome, Edge or Opera).");
  if (!state.access) {
    try {
      state.access = await navigator.requestMIDIAccess({ sysex: false });
    } catch (err) {
      throw new Error(`MIDI access was refused: ${err?.message || err}`, { cause: err });
    }
  }
  const list = [];
  state.access.outputs.forEach((out) => list.push({ id: out.id, name: out.name || out.id }));
  if (!list.length) throw new Error("No MIDI output device found. Connect one (or start a virtual MIDI port) and try again.");
  return list;
}

/** Start sending to output `id` (the first one if it is gone). Resolves to the output's name. */
export async function enable(id, { muteAudio = true } = {}) {
  const list = await outputs();
  const chosen = state.access.outputs.get(id) ?? state.access.outputs.get(list[0].id);
  state.strudel = await loadStrudel();
  state.output = chosen;
  state.enabled = true;
  setMuteAudio(muteAudio);
  if (!state.timer) state.timer = setInterval(tick, TICK_MS);
  return chosen.name || chosen.id;
}

export function disable() {
  allNotesOff();
  state.enabled = false;
  clearInterval(state.timer);
  state.timer = null;
  state.output = null;
  state.pieces = [];
  state.queuedUntil = null;
  setMuteAudio(false);
}

/** Silence the audio output (not the piece: Strudel keeps the clock MIDI follows running). */
export function setMuteAudio(mute) {
  state.muteAudio = mute;
  if (!state.strudel) return;
  const gain = state.strudel.getSuperdoughAudioController().output.destinationGain.gain;
  if (mute && state.enabled && state.savedVolume == null) {
    state.savedVolume = gain.value;
    gain.value = 0;
  } else if ((!mute || !state.enabled) && state.savedVolume != null) {
    gain.value = state.savedVolume;
    state.savedVolume = null;
  }
}

export function isAudioMuted() {
  return state.savedVolume != null;
}

export function isEnabled() {
  return state.enabled;
}

/**
 * The player started `code`: MIDI follows it. The player places each piece on its global clock
 * (`position()`: start on a cycle boundary, end when the next one has faded in); the tagged
 * pattern is placed the same way, so each layer's notes go out on its channel in time.
 */
export async function follow(code, start = null) {
  if (!state.enabled || !state.strudel) return;
  const strudel = state.strudel;
  const { pattern, cps } = await evaluateTagged(strudel, code);
  const voices = position().voices;
  const voice = (start == null ? null : voices.find((v) => v.start === start)) ?? voices.at(-1);
  const at = voice ? voice.start : clockNow();
  const rate = voice ? voice.cpm / 60 : cps;
  // Gain is a mixing level (patterns play quietly): the loudest note of the piece gets full velocity.
  const gains = pattern.queryArc(0, 4).map((h) => (typeof h.value?.gain === "number" ? h.value.gain : 1));
  const placed = pattern.fast(rate).late(at);
  state.pieces.push({ pattern: placed, start: at, end: Infinity, loudest: Math.max(1e-6, ...gains) });
  if (state.queuedUntil == null) state.queuedUntil = clockNow();
}

/** The player stopped: silence the device. */
export function stopped() {
  allNotesOff();
  state.pieces = [];
  state.queuedUntil = null;
}

function clockNow() {
  return position().now;
}

function tick() {
  if (!state.enabled || !state.pieces.length || !state.output) return;
  const now = clockNow();
  // A piece ends where the player ends it (when the next one has faded in).
  const ends = new Map(position().voices.map((v) => [v.start, v.end]));
  for (const piece of state.pieces) piece.end = ends.get(piece.start) ?? Math.min(piece.end, now);
  state.pieces = state.pieces.filter((p) => p.end > now - 1);
  const from = Math.max(state.queuedUntil ?? now, now);
  const to = now + LOOKAHEAD_SECONDS;
  if (to <= from) return;
  try {
    for (const piece of state.pieces) send(piece, Math.max(from, piece.start), Math.min(to, piece.end), now);
  } catch (err) {
    // The device went away (unplugged, port closed): stop sending and say so, keep the audio.
    const name = state.output?.name || "the MIDI device";
    state.output = null;
    disable();
    state.onError?.(`MIDI out stopped: ${name} is not available (${err?.message || err}).`);
    return;
  }
  state.queuedUntil = to;
}

/** Who to tell when MIDI out stops by itself. */
export function onError(fn) {
  state.onError = fn;
}

/** Send note on/off messages for the haps that start in [from, to), timestamped ahead. */
export function send(piece, from, to, now, output = state.output, clock = performance.now()) {
  if (to <= from) return [];
  const haps = piece.pattern.queryArc(from, to).filter((h) => h.whole && h.hasOnset());
  const sent = [];
  for (const hap of haps) {
    const v = hap.value && typeof hap.value === "object" ? hap.value : {};
    const layer = v._layer ?? 0;
    const sound = String(v.s ?? "triangle").toLowerCase();
    const drum = drumKey(sound);
    const channel = channelFor(layer, drum != null);
    let key = drum ?? midiNote(v);
    if (key == null) continue;
    key = Math.max(0, Math.min(127, Math.round(key)));
    const share = Math.min(1, (v.gain ?? 1) / (piece.loudest ?? 1));
    const velocity = Math.max(1, Math.min(127, Math.round(127 * Math.min(1, v.velocity ?? 1) * share)));
    const at = clock + (hap.whole.begin.valueOf() - now) * 1000; // the clock counts seconds
    const off = clock + (hap.whole.end.valueOf() - now) * 1000;
    output.send([0x90 | channel, key, velocity], Math.max(clock, at));
    output.send([0x80 | channel, key, 0], Math.max(clock, off - 1));
    state.sounding.add(`${channel}:${key}`);
    sent.push({ layer, channel, key, velocity, at, off });
  }
  return sent;
}

/** A layer's MIDI channel (0-based), as app/midi/render.py gives it: drums on the drum channel,
 * melodic layers in turn on the others. */
export function channelFor(layer, drum, { drum_channel, melodic_channels } = facts) {
  if (drum) return drum_channel;
  return melodic_channels[layer % melodic_channels.length];
}

/** The General MIDI percussion key of an unpitched sound, or null for a pitched one. */
export function drumKey(sound, keys = facts.drum_keys) {
  const name = String(sound).toLowerCase();
  return Object.hasOwn(keys, name) ? keys[name] : null;
}

function midiNote(value) {
  try {
    return state.strudel.valueToMidi(value, 36); // no note: superdough plays a synth at C2
  } catch {
    return null;
  }
}

function allNotesOff() {
  const output = state.output;
  const channels = new Set([...state.sounding].map((s) => Number(s.split(":")[0])));
  state.sounding.clear();
  if (!output) return;
  try {
    for (const channel of channels) {
      output.send([0xb0 | channel, 123, 0]); // All Notes Off
      output.send([0xb0 | channel, 120, 0]); // All Sound Off
    }
  } catch {
    // A device that is gone has no notes left to stop.
  }
}
