// Music controls beside the code that plays: intensity cap, prefetch depth, and "play my edit".
// The edit goes to Python (event "edit-code"), which validates it, keeps it for that section and
// plays it; the page's player checks it once more before a note sounds. The intensity cap is
// Python's too (event "intensity" with a preset name): it validates the piece again under the cap
// and plays it.
import { facts } from "../sound/facts.js";
import { emit, state } from "./bus.js";
import { el, option } from "./dom.js";

/** Build the panel under the code box; `player` is warmed up once the page has settled. */
export function initMusicPanel({ player }) {
  const code = document.getElementById("code");
  if (!code || document.getElementById("music-panel")) return;

  const intensity = el(
    "select",
    { id: "intensity", title: "Cap how intense the music may get", on: { change: (e) => emit("intensity", e.target.value) } },
    Object.entries(facts.intensity).map(([name, preset]) => option(name, preset.label)),
  );
  intensity.value = facts.default_intensity;

  const prefetch = el("input", {
    id: "prefetch", type: "number", min: 0, max: 8, step: 1, value: 2,
    title: "How many sections ahead to compose",
    on: { change: (e) => emit("prefetch", Number(e.target.value) || 0) },
  });

  // The raw edit goes to Python's validator first; only validated code ever reaches the player.
  const apply = el("button", {
    id: "apply-code", type: "button", title: "Validate and play this code",
    on: { click: () => emit("edit-code", state.current, code.value) },
  }, "Play my edit");

  code.after(el("div", { id: "music-panel", class: "music-panel" },
    el("label", {}, "Intensity ", intensity),
    el("label", {}, "Prefetch ", prefetch),
    apply,
  ));

  // Once the page has settled, load the player so pressing Play sounds within a moment.
  const warm = () => player.prepare().catch(() => {});
  window.addEventListener("bookmusic:ready", () => (window.requestIdleCallback || setTimeout)(warm), { once: true });
}
