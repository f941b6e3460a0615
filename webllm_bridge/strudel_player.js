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
