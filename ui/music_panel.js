// Music controls beside the code that plays: intensity cap, prefetch depth, and "play my edit".
// The edit goes to Python (event "edit-code"), which validates it, keeps it for that section and
// plays it; the page's player checks it once more before a note sounds. The intensity cap is
// Python's too (event "intensity" with a preset name): it validates the piece again under the cap
// and plays it. The code itself is shown by the code view (ui/code_editor.js).
import { facts } from "../sound/facts.js";
import { emit, state, status } from "./bus.js";
import { getCode, mountCodeEditor } from "./code_editor.js";
import { option } from "./dom.js";

/** Wire the panel under the code box (in index.html); `player` is warmed up once the page has settled. */
export function initMusicPanel({ player }) {
  const intensity = document.getElementById("intensity");
  intensity.replaceChildren(...Object.entries(facts.intensity).map(([name, preset]) => option(name, preset.label)));
  intensity.value = facts.default_intensity;
  intensity.addEventListener("change", (e) => emit("intensity", e.target.value));
  document.getElementById("prefetch").addEventListener("change", (e) => emit("prefetch", Number(e.target.value) || 0));
  // The raw edit goes to Python's validator first; only validated code ever reaches the player.
  const apply = () => emit("edit-code", state.current, getCode());
  document.getElementById("apply-code").addEventListener("click", apply);

  // The editor loads once the code is on screen, after the first paint (a phone's drawer: when it
  // opens); the textarea serves until then, or if it cannot load.
  const mount = () => mountCodeEditor({ apply, sounding: () => player.sounding() })
    .catch((err) => status(`The code editor could not load (${err?.message || err}); the plain box stays.`, "problem"));
  whenShown(document.getElementById("code-view"), () => (window.requestIdleCallback || setTimeout)(mount));

  // Once the page has settled, load the player so pressing Play sounds within a moment.
  const warm = () => player.prepare().catch(() => {});
  window.addEventListener("bookmusic:ready", () => (window.requestIdleCallback || setTimeout)(warm), { once: true });
}

/** Run `fn` once, the first time `node` is on screen. */
function whenShown(node, fn) {
  if (!("IntersectionObserver" in window)) return fn();
  const seen = new IntersectionObserver((entries) => {
    if (!entries.some((e) => e.isIntersecting)) return;
    seen.disconnect();
    fn();
  });
  seen.observe(node);
}
