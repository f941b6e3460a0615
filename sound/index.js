// The sound engine the page and Python's player port use (PyScript js_modules "sound"): Strudel
// playback with seamless swaps and a level meter, the page's second check, note events for MIDI,
// offline rendering to WAV. The facts it shares with Python come from sound/facts.json.
export {
  play, stop, unlock, setVolume, level, peak, isPlaying, check, position, setFade, sounds, events,
  renderOffline, prepare, loudness, setLeveller, scheduled, renderLevel, sounding, standInSounds,
} from "./strudel_player.js";
export { renderWav } from "./wav_render.js";
export { facts } from "./facts.js";
