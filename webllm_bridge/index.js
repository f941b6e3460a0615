// The JavaScript seam Python calls: the Strudel player now, the LLM engines beside it.
export { play, stop, unlock, setVolume, level, isPlaying } from "./strudel_player.js";
export {
  llm_capabilities,
  llm_load,
  llm_generate,
  llm_abort,
  llm_unload,
  llm_state,
} from "./llm.js";
