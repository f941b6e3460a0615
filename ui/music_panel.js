// Music controls beside the code that plays: intensity cap, prefetch depth, and "play my edit".
// The edit goes to Python (event "edit-code"), which validates it, keeps it for that section and
// plays it; the page's player checks it once more before a note sounds. The intensity cap is
// Python's too (event "intensity" with a preset name): it validates the piece again under the cap
// and plays it.
import { facts } from "../sound/facts.js";
import { emit, state } from "./bus.js";
import { option } from "./dom.js";

/** Wire the panel under the code box (in index.html); `player` is warmed up once the page has settled. */
export function initMusicPanel({ player }) {
  const code = document.getElementById("code");
  const intensity = document.getElementById("intensity");
  intensity.replaceChildren(...Object.entries(facts.intensity).map(([name, preset]) => option(name, preset.label)));
  intensity.value = facts.default_intensity;
  intensity.addEventListener("change", (e) => emit("intensity", e.target.value));
  document.getElementById("prefetch").addEventListener("change", (e) => emit("prefetch", Number(e.target.value) || 0));
  // The raw edit goes to Python's validator first; only validated code ever reaches the player.
  document.getElementById("apply-code").addEventListener("click", () => emit("edit-code", state.current, code.value));

  // Once the page has settled, load the player so pressing Play sounds within a moment.
  const warm = () => player.prepare().catch(() => {});
  window.addEventListener("bookmusic:ready", () => (window.requestIdleCallback || setTimeout)(warm), { once: true });
}
