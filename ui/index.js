// The page's hands: renders what Python decides and reports what the reader does.
// Python (main.py) calls the snake_case exports below (its "ui" port) and subscribes with on().
//
// Page events Python subscribes to (name: arguments), all on ui/bus.js:
//   play, pause, open-sample; section: index; open-text: title, text, md;
//   book-event: json (an error the page met reading a file); wpm: words per minute; edit-code: index, code;
//   revert-code: index; prefetch: depth; intensity: preset name, a key of facts.intensity
//   (ui/music_panel.js); export-score; import-score: text; forget-book; clear-all
//   (ui/keeping.js, ui/offline_panel.js); and the Listen panel's (ui/modes.js).
import * as sound from "../sound/index.js";
import * as bridge from "../webllm_bridge/index.js";
import { facts } from "../sound/facts.js";
import { emit, on as onEvent, setStatusWriter, state, status } from "./bus.js";
import { option } from "./dom.js";
import * as reader from "./reader.js";
import * as ingest from "./ingest.js";
import { initMusicPanel } from "./music_panel.js";
import { markError, setCode } from "./code_editor.js";
import { pieceShown, wireKeeping } from "./keeping.js";
import { wireOffline } from "./offline_panel.js";
import { keep, setting } from "./settings.js";
import { wireKeys } from "./keys.js";
import { wireLayout } from "./layout.js";
import { showMood, showWhere } from "./player_bar.js";
import { say, sayProgress, wireMessages } from "./messages.js";
import { navAt, navBookGrew, navBookShown, wireNavigation } from "./navigation.js";

// Port additions owned by the keeping module.
export { download, scroll_to } from "./keeping.js";
// The language-model picker and engine line (its own module; Python reaches it through this one).
export { set_models, set_engine, set_section_music, on_model_change, pick_model } from "./model_picker.js";

const $ = (id) => document.getElementById(id);
const [MIN_WPM, MAX_WPM] = facts.wpm_range;

// Debug/test handle: the page's modules, reachable from devtools and Playwright.
window.bookmusic = Object.assign(window.bookmusic || {}, { ui: { state }, sound, bridge, facts });

/** Python subscribes to a page event (see the list above). */
export function on(name, fn) {
  onEvent(name, fn);
}

// ---- Port called from Python -------------------------------------------------------------

const wpmNow = () => Number($("wpm").value) || facts.default_wpm;
const showPosition = () => showWhere(state.book, state.current, wpmNow());

const STARTING = $("status").textContent; // the first paint's line (index.html)

export function set_ready() {
  state.ready = true;
  if (state.playing) emit("play"); // pressed while Python was starting
  document.documentElement.dataset.pyReady = "1";
  window.dispatchEvent(new CustomEvent("bookmusic:ready"));
}

/** A message from Python, with its kind (app/messages.py: a notice clears itself, a problem stays). */
export function set_status(text, kind) {
  say(String(text), { kind: String(kind), action: retryFor(String(text)) });
}

/** The validator refused the reader's edit: the code view marks the place (JSON, see UIPort). */
export function mark_code_error(payloadJson) {
  markError(JSON.parse(payloadJson));
}

// A model that failed to load (the bridge says so, and the message quotes its cause) can be tried
// again from the message itself: Retry is the picker's Load button, pressed for the reader.
function retryFor(text) {
  const llm = JSON.parse(bridge.llm_state());
  if (llm.status !== "failed" || !llm.error || !text.includes(llm.error)) return null;
  return { label: "Retry", run: () => $("model-load").click() };
}

export function set_progress(fraction, label) {
  const bar = $("progress");
  bar.hidden = fraction == null || fraction >= 1;
  const pct = Math.round(Math.max(0, Math.min(1, fraction || 0)) * 100);
  bar.firstElementChild.style.width = `${pct}%`;
  bar.setAttribute("aria-valuenow", String(pct));
  // Work still under way (a download, or a warm-up whose label ends in "…") keeps the line and
  // counts its seconds; finished work's label is a notice that clears itself.
  const running = fraction != null && (fraction < 1 || Boolean(label?.endsWith("…")));
  sayProgress(label, running);
}

export function render_book(bookJson) {
  const book = JSON.parse(bookJson);
  state.book = book;
  state.current = 0;
  reader.renderBook(book);
  navBookShown(book);
  showMood("");
  showPosition();
}

// Paragraphs and sections of a book still arriving (Python reads it as it shows it).
export function append_book(deltaJson) {
  const delta = JSON.parse(deltaJson);
  reader.appendBook(delta);
  navBookGrew(delta.paragraphs.length);
  showPosition();
}

export function set_current(index) {
  state.current = index;
  reader.setCurrent(index);
  navAt(index);
  showPosition();
  if (state.piece?.section !== index) showMood("");
}

export function show_error(text) {
  const box = $("error");
  box.querySelector(".error-text").textContent = text;
  box.hidden = false;
  say("", { kind: "notice" }); // the box, hanging from the message area, says it: not twice
}

const settableWpm = (wpm) => Number.isFinite(wpm) && wpm >= MIN_WPM && wpm <= MAX_WPM;

function showWpm(wpm, note) {
  const select = $("wpm");
  if (!select) return;
  if (![...select.options].some((o) => Number(o.value) === Number(wpm))) {
    select.append(option(wpm, `${wpm} words/min${note}`));
  }
  select.value = String(wpm);
}

export function set_wpm(wpm) {
  ingest.setWpm(wpm);
  showWpm(wpm, " (measured)");
  // Remembered, so a reopened book is cut into the same sections (and finds its music again).
  keep("wpm", Number(wpm));
}

export function show_code(payloadJson) {
  const piece = JSON.parse(payloadJson);
  state.piece = piece;
  pieceShown(piece);
  setCode(piece.code);
  $("now-meta").textContent = `Section ${piece.section + 1} · ${piece.style} · by ${piece.source}`;
  // Why the passage was read this way: the words or cues that made its mood.
  $("now-why").textContent = `Mood ${piece.why || piece.mood}`;
  showMood(piece.mood);
}

/** The reading session says whether the book's music plays (Play, Pause, or another mode took over). */
export function set_playing(playing) {
  state.playing = Boolean(playing);
  $("play").textContent = state.playing ? "Pause" : "Play";
}

// ---- Reader events -----------------------------------------------------------------------

// Play works from the first paint: pressed before Python is ready, it unlocks audio inside the
// click (browsers allow sound only then) and the music starts as soon as Python is (set_ready).
async function togglePlay() {
  if (state.playing) {
    state.playing = false;
    $("play").textContent = "Play";
    if (state.ready) emit("pause");
    else status(STARTING, "notice");
  } else {
    state.playing = true;
    $("play").textContent = "Pause";
    await sound.unlock(); // inside the click: browsers only start audio on a user gesture
    if (state.ready) emit("play");
    else status("The music starts in a moment, as soon as it is ready…", "notice");
  }
}

const pythonReady = new Promise((resolve) => window.addEventListener("bookmusic:ready", resolve, { once: true }));

async function openFile(file) {
  $("error").hidden = true;
  if (!state.ready) {
    status(`“${file.name}” opens as soon as Python has started…`, "notice");
    await pythonReady; // Python must be listening before the book arrives
  }
  ingest.openFile(file);
}

function wirePaste() {
  const dialog = $("paste-dialog");
  $("paste").addEventListener("click", () => {
    $("paste-text").value = "";
    dialog.showModal();
  });
  $("paste-cancel").addEventListener("click", () => dialog.close());
  dialog.querySelector("form").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = $("paste-text").value;
    dialog.close();
    if (text.trim()) {
      $("error").hidden = true;
      ingest.openText("Pasted text", text);
    }
  });
}

function wire() {
  wireMessages();
  setStatusWriter((text, kind) => say(text, { kind })); // every module's status() goes to the message area
  reader.initReader({ reader: $("reader"), overview: $("overview"), emit });
  ingest.initIngest({ emit, status });
  showWpm(facts.default_wpm, "");
  wirePaste();
  $("error-close").addEventListener("click", () => ($("error").hidden = true));
  $("wpm").addEventListener("change", (e) => {
    ingest.setWpm(e.target.value);
    emit("wpm", Number(e.target.value));
  });
  // Readying the PDF reader costs a second of Python's time: not while the page and its first
  // music start, but as soon as the reader shows they are about to open a book, or after a while.
  const boot = () => state.ready && ingest.warmReader();
  window.addEventListener("bookmusic:ready", () => setTimeout(boot, 6000), { once: true });
  document.addEventListener("dragenter", boot);
  for (const id of ["file", "paste"]) {
    const el = $(id).closest("label") || $(id);
    for (const type of ["pointerenter", "focusin", "click"]) el.addEventListener(type, boot);
  }
  window.addEventListener("bookmusic:ready", () => {
    const saved = Number(setting("wpm"));
    if (settableWpm(saved)) emit("wpm", saved);
  }, { once: true });
  $("play").addEventListener("click", togglePlay);
  $("volume").addEventListener("input", (e) => sound.setVolume(Number(e.target.value)));
  $("file").addEventListener("change", (e) => {
    const file = e.target.files?.[0];
    if (file) openFile(file);
    e.target.value = "";
  });
  $("theme").addEventListener("click", () => {
    const root = document.documentElement;
    const dark = root.dataset.theme ? root.dataset.theme !== "dark" : !matchMedia("(prefers-color-scheme: dark)").matches;
    root.dataset.theme = dark ? "dark" : "light";
  });
  wireKeys({ togglePlay, step: reader.step });
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
    if (file) openFile(file);
  });
}

wire();
wireLayout();
wireNavigation();
initMusicPanel({ player: sound });
wireKeeping();
wireOffline();
