// The JavaScript seam Python calls: the Strudel player now, the LLM engines beside it.
export {
  play, stop, unlock, setVolume, level, isPlaying, check, position, setIntensity, setFade, sounds,
  renderOffline, prepare,
} from "./strudel_player.js";
export { events } from "./strudel_player.js";
export {
  llm_capabilities,
  llm_load,
  llm_generate,
  llm_abort,
  llm_unload,
  llm_state,
} from "./llm.js";
export { renderWav } from "./wav_render.js";
