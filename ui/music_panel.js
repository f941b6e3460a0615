// Music controls beside the code that plays: intensity cap, prefetch depth, and "play my edit".
// The edit goes to Python (event "edit-code"), which validates it, keeps it for that section and
// plays it; the page's player checks it once more before a note sounds.

const INTENSITY = {
  full: { drums: true, ceiling: 1, label: "Full" },
  nodrums: { drums: false, ceiling: 1, label: "No drums" },
  soft: { drums: false, ceiling: 0.15, label: "Soft" },
};

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** Build the panel under the code box. `emit(name, ...args)` reports to Python. */
export function initMusicPanel({ player, emit, state }) {
  const code = document.getElementById("code");
  if (!code || document.getElementById("music-panel")) return;

  const intensity = el("select", { id: "intensity", title: "Cap how intense the music may get" });
  for (const [value, { label }] of Object.entries(INTENSITY)) intensity.append(el("option", { value }, label));
  intensity.addEventListener("change", () => player.setIntensity(INTENSITY[intensity.value]));

  const prefetch = el("input", {
    id: "prefetch", type: "number", min: 0, max: 8, step: 1, value: 2,
    title: "How many sections ahead to compose",
  });
  prefetch.addEventListener("change", () => emit("prefetch", Number(prefetch.value) || 0));

  // The raw edit goes to Python's validator first; only validated code ever reaches the player.
  const apply = el("button", { id: "apply-code", type: "button", title: "Validate and play this code" }, "Play my edit");
  apply.addEventListener("click", () => emit("edit-code", state.current, code.value));

  const panel = el(
    "div", { id: "music-panel", className: "music-panel" },
    el("label", {}, "Intensity ", intensity),
    el("label", {}, "Prefetch ", prefetch),
    apply,
  );
  code.after(panel);

  // Once the page has settled, load the player so pressing Play sounds within a moment.
  const warm = () => player.prepare().catch(() => {});
  window.addEventListener("bookmusic:ready", () => (window.requestIdleCallback || setTimeout)(warm), { once: true });
}
