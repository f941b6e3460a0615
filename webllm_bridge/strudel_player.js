// Strudel playback through Web Audio, self-hosted (vendor/strudel), with a level meter.
// Strudel is loaded on first use so the page and Python come up without its 850 KB.

let strudelModule = null;
let starting = null;
let analyser = null;
let volume = 0.8;
let playing = false;
const evalErrors = [];

async function strudel() {
  if (!starting) {
    starting = (async () => {
      strudelModule = await import("../vendor/strudel/index.mjs");
      await strudelModule.initStrudel({
        onEvalError: (err) => evalErrors.push(String(err?.message || err)),
      });
      const output = strudelModule.getSuperdoughAudioController().output;
      const ctx = strudelModule.getAudioContext();
      analyser = ctx.createAnalyser();
      analyser.fftSize = 2048;
      output.destinationGain.connect(analyser);
      output.destinationGain.gain.value = volume;
      return strudelModule;
    })();
  }
  return starting;
}

/** Start (or resume) audio; call from inside a user gesture. */
export async function unlock() {
  const s = await strudel();
  await s.getAudioContext().resume();
}

/** Play Strudel code now, replacing what plays. Resolves once evaluated; throws on bad code. */
export async function play(code) {
  const s = await strudel();
  await s.getAudioContext().resume();
  evalErrors.length = 0;
  await s.evaluate(code);
  if (evalErrors.length) throw new Error(`Strudel could not play this code: ${evalErrors[0]}`);
  playing = true;
}

export async function stop() {
  if (!strudelModule) return;
  strudelModule.hush();
  playing = false;
}

export function isPlaying() {
  return playing;
}

export function setVolume(value) {
  volume = Math.max(0, Math.min(1, value));
  if (strudelModule) {
    strudelModule.getSuperdoughAudioController().output.destinationGain.gain.value = volume;
  }
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
