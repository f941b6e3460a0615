// A piece's note events without playing it: the code is transpiled and evaluated on its own
// (not through the repl, which would replace what plays), then the pattern is queried.
// Each event is tagged with the index of the top-level stack() argument it comes from, so
// MIDI export and MIDI out can give every layer its own channel.

import { facts } from "./facts.js";

const DEFAULT_CPS = facts.default_cpm / 60; // the tempo of code that sets none (Python's default)

/** Turn Strudel code into {cps, layers, events[]} for cycles [begin, end). */
export async function patternEvents(strudel, code, begin = 0, end = 8) {
  const { pattern, cps } = await evaluateTagged(strudel, code);
  const haps = pattern.queryArc(begin, end).filter((hap) => hap.whole && hap.hasOnset());
  const events = haps.map((hap) => toEvent(strudel, hap));
  events.sort((a, b) => a.start - b.start || a.layer - b.layer || a.note - b.note);
  const layers = Math.max(0, ...events.map((e) => e.layer + 1));
  return { cps, begin, end, layers, events };
}

/**
 * Evaluate `code` into a pattern whose hap values carry `_layer`. The global stack() is wrapped
 * for the duration of the evaluation: the outermost call tags last, so its index wins over any
 * stack nested inside a layer. setcpm/setcps are captured instead of changing the live tempo.
 */
export async function evaluateTagged(strudel, code) {
  const scope = globalThis;
  const saved = { stack: scope.stack, setcpm: scope.setcpm, setcps: scope.setcps, cpm: scope.setCpm, cps: scope.setCps };
  let cps = DEFAULT_CPS;
  const baseStack = strudel.stack;
  scope.stack = (...layers) =>
    baseStack(...layers.map((layer, i) => strudel.reify(layer).withValue((v) => tag(v, i))));
  scope.setcpm = scope.setCpm = (value) => {
    cps = Number(value) / 60;
  };
  scope.setcps = scope.setCps = (value) => {
    cps = Number(value);
  };
  let pattern;
  try {
    const { output } = strudel.transpiler(code, { emitMiniLocations: false, emitWidgets: false });
    pattern = await Function(`"use strict";return (async ()=>{${output}})()`)();
  } finally {
    scope.stack = saved.stack;
    scope.setcpm = saved.setcpm;
    scope.setcps = saved.setcps;
    scope.setCpm = saved.cpm;
    scope.setCps = saved.cps;
  }
  if (!pattern || typeof pattern.queryArc !== "function") {
    throw new Error("the code does not end in a pattern");
  }
  if (!(cps > 0) || !Number.isFinite(cps)) throw new Error(`bad tempo: ${cps} cycles per second`);
  return { pattern, cps };
}

function tag(value, layer) {
  if (value && typeof value === "object") return { ...value, _layer: layer };
  return { value, _layer: layer };
}

function toEvent(strudel, hap) {
  const v = hap.value && typeof hap.value === "object" ? hap.value : { value: hap.value };
  const sound = String(v.s ?? "triangle");
  let note;
  try {
    note = strudel.valueToMidi(v, null);
  } catch {
    note = null;
  }
  return {
    layer: v._layer ?? 0,
    start: hap.whole.begin.valueOf(),
    end: hap.whole.end.valueOf(),
    note: note == null || !Number.isFinite(note) ? null : Math.round(note),
    gain: typeof v.gain === "number" ? v.gain : 1,
    velocity: typeof v.velocity === "number" ? v.velocity : 1,
    sound,
  };
}
