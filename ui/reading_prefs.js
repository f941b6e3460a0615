// Text size and line spacing of the reading column: kept in the settings store (ui/settings.js)
// and mirrored into localStorage, which ui/reading_prefs_boot.js reads before the first paint.
// On a wide screen the controls are a small panel under the header's "Aa" button; on a phone
// they sit in the ⋯ menu. A change keeps the reader on the words they were reading.
import { keep, setting } from "./settings.js";

const $ = (id) => document.getElementById(id);
// window.bookmusicReading comes from the boot script; a page without it still works (defaults).
const boot = window.bookmusicReading || {
  KEY: "bookmusic.reading", clean: (p) => ({ scale: 1, leading: 1.7, ...p }), apply: (p) => p, applied: {},
};
// Text size steps (a multiple of the stylesheet's size); the reader moves one step per press.
export const SIZES = [0.85, 0.92, 1, 1.08, 1.17, 1.27, 1.4, 1.55, 1.7];
const now = { ...boot.clean(boot.applied) };

/** The paragraph at the reading line and its offset, so a new size can keep it in place. */
function anchor() {
  const line = innerHeight / 3;
  for (const node of document.querySelectorAll("#reader [data-para]")) {
    const box = node.getBoundingClientRect();
    if (box.bottom >= line) return { node, top: box.top, height: box.height };
  }
  return null;
}

function show() {
  $("text-size").textContent = `${Math.round(now.scale * 100)} %`;
  const index = SIZES.indexOf(now.scale);
  $("text-smaller").disabled = index === 0;
  $("text-larger").disabled = index === SIZES.length - 1;
  const select = $("line-spacing");
  if (![...select.options].some((o) => Number(o.value) === now.leading)) {
    select.append(new Option(`${now.leading}`, String(now.leading)));
  }
  select.value = String(now.leading);
}

function mirror(prefs) {
  try {
    if (prefs) localStorage.setItem(boot.KEY, JSON.stringify(prefs));
    else localStorage.removeItem(boot.KEY);
  } catch {
    // localStorage refused: the size still applies from the settings store, a moment later.
  }
}

/** Apply new preferences, keep them, and keep the reader's paragraph where it was. */
export function setPrefs(change) {
  const before = anchor();
  const fraction = before ? (innerHeight / 3 - before.top) / Math.max(1, before.height) : 0;
  Object.assign(now, boot.apply({ ...now, ...change }));
  if (before) {
    const box = before.node.getBoundingClientRect();
    scrollBy(0, box.top - (innerHeight / 3 - fraction * box.height));
  }
  show();
  mirror(now);
  return keep("reading", { ...now });
}

function stepSize(delta) {
  const at = SIZES.indexOf(now.scale);
  const index = at === -1 ? SIZES.indexOf(1) : at;
  const next = SIZES[Math.max(0, Math.min(SIZES.length - 1, index + delta))];
  if (next !== now.scale) setPrefs({ scale: next });
}

// The small panel on a wide screen: the "Aa" button opens it; Escape, or a click elsewhere, closes.
function wirePanel() {
  const bar = document.querySelector(".bar");
  const button = $("text-prefs-toggle");
  const set = (open) => {
    bar.classList.toggle("prefs-open", open);
    button.setAttribute("aria-expanded", String(open));
  };
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    set(open);
    if (open) $("text-larger").focus();
  });
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Escape" || !bar.classList.contains("prefs-open")) return;
    const inside = $("text-prefs").contains(document.activeElement);
    set(false);
    if (inside) button.focus();
  });
  document.addEventListener("click", (e) => {
    if (bar.classList.contains("prefs-open") && !$("text-prefs").contains(e.target) && !button.contains(e.target)) set(false);
  });
}

export function wireReadingPrefs() {
  wirePanel();
  $("text-smaller").addEventListener("click", () => stepSize(-1));
  $("text-larger").addEventListener("click", () => stepSize(1));
  $("line-spacing").addEventListener("change", (e) => setPrefs({ leading: Number(e.target.value) }));
  $("text-reset").addEventListener("click", () => setPrefs(boot.clean(null)));
  // The store is what counts: a browser whose localStorage was cleared gets its size back here.
  const kept = setting("reading");
  if (kept) {
    const wanted = boot.clean(kept);
    if (wanted.scale !== now.scale || wanted.leading !== now.leading) setPrefs(wanted);
    else mirror(wanted);
  }
  show();
  // "Clear everything" forgets them too.
  window.addEventListener("bookmusic:settings-cleared", () => {
    Object.assign(now, boot.apply(null));
    mirror(null);
    show();
  });
}
