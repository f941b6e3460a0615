// The JavaScript seam Python calls: the Strudel player now, the LLM engines beside it.
export { play, stop, unlock, setVolume, level, isPlaying } from "./strudel_player.js";
export { renderWav } from "./wav_render.js";
