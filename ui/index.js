// The page's hands: renders what Python decides and reports what the reader does.
// Python (main.py) calls the snake_case exports below (its "ui" port) and subscribes with on().
import * as player from "../webllm_bridge/index.js";
import { initMusicPanel } from "./music_panel.js";
import { pieceShown, wireKeeping } from "./keeping.js";
import { wireOffline } from "./offline_panel.js";

// Port additions owned by the keeping/offline modules (issue 6).
export { download, scroll_to } from "./keeping.js";

const $ = (id) => document.getElementById(id);
const listeners = new Map();
export const state = { book: null, current: 0, playing: false, ready: false };

// Debug/test handle: the page's modules, reachable from devtools and Playwright.
window.bookmusic = Object.assign(window.bookmusic || {}, { ui: { state }, bridge: player });

export function on(name, fn) {
  if (!listeners.has(name)) listeners.set(name, []);
  listeners.get(name).push(fn);
}

export function emit(name, ...args) {
  for (const fn of listeners.get(name) || []) {
    Promise.resolve(fn(...args)).catch((err) => set_status(`Something went wrong: ${err.message || err}`));
  }
}

// ---- Port called from Python -------------------------------------------------------------

export function set_ready() {
  state.ready = true;
  $("play").disabled = false;
  document.documentElement.dataset.pyReady = "1";
  window.dispatchEvent(new CustomEvent("bookmusic:ready"));
}

export function set_status(text) {
  $("status").textContent = text;
}

export function set_progress(fraction, label) {
  const bar = $("progress");
  bar.hidden = fraction == null || fraction >= 1;
  const pct = Math.round(Math.max(0, Math.min(1, fraction || 0)) * 100);
  bar.firstElementChild.style.width = `${pct}%`;
  bar.setAttribute("aria-valuenow", String(pct));
  if (label) set_status(label);
}

export function render_book(bookJson) {
  const book = JSON.parse(bookJson);
  state.book = book;
  state.current = 0;
  const reader = $("reader");
  const overview = $("overview");
  reader.replaceChildren();
  overview.replaceChildren();
  const frag = document.createDocumentFragment();
  for (const section of book.sections) {
    const el = document.createElement("section");
    el.className = "section";
    el.dataset.index = section.index;
    el.id = `s-${section.index}`;
    for (let i = section.first; i <= section.last; i++) {
      const p = book.paragraphs[i];
      const node = document.createElement(p.kind === "heading" ? "h2" : "p");
      node.textContent = p.text;
      node.dataset.para = i;
      el.append(node);
    }
    frag.append(el);
    const link = document.createElement("button");
    link.type = "button";
    link.className = "overview-item";
    link.dataset.index = section.index;
    link.title = `Section ${section.index + 1}: ${section.words} words`;
    link.style.flexGrow = String(Math.max(1, section.words));
    link.addEventListener("click", () => goto(section.index));
    overview.append(link);
  }
  reader.append(frag);
  document.title = `${book.title} — BookMusic`;
  observeSections();
}

export function set_current(index) {
  state.current = index;
  for (const el of document.querySelectorAll(".section.current, .overview-item.current")) {
    el.classList.remove("current");
  }
  document.querySelector(`#s-${index}`)?.classList.add("current");
  document.querySelector(`.overview-item[data-index="${index}"]`)?.classList.add("current");
}

export function show_code(payloadJson) {
  const piece = JSON.parse(payloadJson);
  state.piece = piece;
  pieceShown(piece);
  $("code").value = piece.code;
  $("now-meta").textContent =
    `Section ${piece.section + 1} · ${piece.style} · mood: ${piece.mood} · by ${piece.source}`;
}

// ---- Reader events -----------------------------------------------------------------------

function goto(index) {
  document.querySelector(`#s-${index}`)?.scrollIntoView({ behavior: "smooth", block: "start" });
  emit("section", index);
}

let observer = null;
function observeSections() {
  observer?.disconnect();
  // The section that crosses the reading line (a third of the way down) is the current one.
  observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) emit("section", Number(entry.target.dataset.index));
      }
    },
    { rootMargin: "-33% 0px -66% 0px" },
  );
  for (const el of document.querySelectorAll(".section")) observer.observe(el);
}

async function togglePlay() {
  if (!state.ready) return;
  if (state.playing) {
    state.playing = false;
    $("play").textContent = "Play";
    emit("pause");
  } else {
    state.playing = true;
    $("play").textContent = "Pause";
    await player.unlock(); // inside the click: browsers only start audio on a user gesture
    emit("play");
  }
}

function readFileAsText(file) {
  const markdown = /\.(md|markdown)$/i.test(file.name);
  file.text().then((text) => emit("open-text", file.name.replace(/\.[^.]+$/, ""), text, markdown));
}

function wire() {
  $("play").addEventListener("click", togglePlay);
  $("volume").addEventListener("input", (e) => player.setVolume(Number(e.target.value)));
  $("file").addEventListener("change", (e) => {
    const file = e.target.files?.[0];
    if (file) readFileAsText(file);
    e.target.value = "";
  });
  $("theme").addEventListener("click", () => {
    const root = document.documentElement;
    const dark = root.dataset.theme ? root.dataset.theme !== "dark" : !matchMedia("(prefers-color-scheme: dark)").matches;
    root.dataset.theme = dark ? "dark" : "light";
  });
  document.addEventListener("keydown", (e) => {
    if (e.target.closest?.("textarea, input")) return;
    if (e.key === " ") {
      e.preventDefault();
      togglePlay();
    } else if (e.key === "ArrowDown" || e.key === "ArrowRight") {
      e.preventDefault();
      goto(Math.min(state.current + 1, (state.book?.sections.length || 1) - 1));
    } else if (e.key === "ArrowUp" || e.key === "ArrowLeft") {
      e.preventDefault();
      goto(Math.max(state.current - 1, 0));
    }
  });
  for (const type of ["dragenter", "dragover"]) {
    document.addEventListener(type, (e) => {
      e.preventDefault();
      $("drop").hidden = false;
    });
  }
  document.addEventListener("dragleave", (e) => {
    if (e.relatedTarget == null) $("drop").hidden = true;
  });
  document.addEventListener("drop", (e) => {
    e.preventDefault();
    $("drop").hidden = true;
    const file = e.dataTransfer?.files?.[0];
    if (file) readFileAsText(file);
  });
}

wire();
initMusicPanel({ player, emit, state });
wireKeeping();
wireOffline();
