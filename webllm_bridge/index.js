// The language-model seam Python calls (PyScript js_modules "bridge"): capabilities, load,
// generate, abort, unload, state. The sound engine lives in sound/.
export {
  llm_capabilities,
  llm_load,
  llm_generate,
  llm_abort,
  llm_unload,
  llm_state,
} from "./llm.js";
