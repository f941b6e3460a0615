// What the reader keeps: going back from an edit, settings, the score/snippet/WAV downloads, and a clear
// notice when the browser will not keep anything. Python's controller decides; this reports clicks.
import { renderWav } from "../sound/wav_render.js";
import { emit, state, status } from "./bus.js";
import { el, saveBlob } from "./dom.js";
import { keep, setting } from "./settings.js";

const $ = (id) => document.getElementById(id);

// ---- Port additions called from Python ---------------------------------------------------

/** Bring a section into view at once (restoring where the reader was). */
export function scroll_to(index) {
  document.querySelector(`#s-${index}`)?.scrollIntoView({ behavior: "instant", block: "start" });
}

/** Offer text as a file download (the score). */
export function download(filename, mime, text) {
  saveBlob(new Blob([text], { type: mime }), filename);
}

// ---- Storage refused or full -------------------------------------------------------------

function showStorageProblem(message) {
  let note = $("storage-note");
  if (!note) {
    note = el("p", { id: "storage-note", class: "storage-note", role: "alert" });
    $("status").after(note);
  }
  note.textContent = message;
}

// ---- Code edits --------------------------------------------------------------------------

function wireEditControls() {
  // The buttons are in index.html (their space is kept from the first paint).
  $("revert-edit").addEventListener("click", () => state.piece && emit("revert-code", state.piece.section));
  $("save-snippet").addEventListener("click", saveSnippet);
  $("render-wav").addEventListener("click", renderSection);
  // Ctrl+Enter: the same as "Play my edit" (ui/music_panel.js): Python validates, keeps, plays.
  $("code").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && $("code").value.trim()) {
      e.preventDefault();
      emit("edit-code", state.current, $("code").value);
    }
  });
}

/** Called by ui/index.js show_code: reflect whether the section plays the reader's own code. */
export function pieceShown(piece) {
  const revert = $("revert-edit");
  if (revert) revert.hidden = !piece.edited;
}

function currentPiece() {
  const piece = state.piece;
  if (!piece) status("Press Play first: there is no code for this section yet.", "notice");
  return piece;
}

function saveSnippet() {
  const piece = currentPiece();
  if (!piece) return;
  const header = [
    `// ${state.book?.title || "BookMusic"}, section ${piece.section + 1}`,
    `// section id: ${piece.id} · style: ${piece.style} · by ${piece.source}`,
    "// Made with BookMusic; paste into https://strudel.cc to play.",
  ].join("\n");
  const code = piece.code; // what plays (validated), not unsent text in the box
  // The file name is Python's (show_code's `file`, a stem without extension).
  saveBlob(new Blob([`${header}\n${code}\n`], { type: "text/javascript" }), `${piece.file}.strudel.js`);
}

async function renderSection() {
  const piece = currentPiece();
  if (!piece) return;
  // Python gives the section's length at the reader's pace (show_code's `seconds`): the same
  // length as the section's MIDI export.
  const seconds = Number(piece.seconds);
  const button = $("render-wav");
  button.disabled = true;
  status(`Rendering section ${piece.section + 1} (${seconds} s of music) to WAV…`, "notice");
  try {
    const wav = await renderWav(piece.code, seconds);
    saveBlob(wav, `${piece.file}.wav`);
    status(`Rendered section ${piece.section + 1}: ${(wav.size / 1e6).toFixed(1)} MB WAV.`, "notice");
  } catch (err) {
    status(`Could not render this section: ${err.message || err}`, "problem");
  } finally {
    button.disabled = false;
  }
}

// ---- Score download / import -------------------------------------------------------------

function buildScoreControls() {
  const importScore = el("input", { id: "import-score", type: "file", accept: ".json,application/json" });
  importScore.addEventListener("change", async (e) => {
    const file = e.target.files?.[0];
    e.target.value = "";
    if (file) emit("import-score", await file.text());
  });
  document.querySelector(".side").append(el("section", { class: "keep" },
    el("h2", {}, "Score"),
    el("p", { class: "meta" }, "Every section's code in one file, to keep or share."),
    el("button", { id: "export-score", type: "button", on: { click: () => emit("export-score") } }, "Download score"),
    el("label", { class: "file-button" }, "Import score…", importScore),
  ));
}

// ---- Settings: remembered per browser ----------------------------------------------------

// Controls whose value the browser remembers (any module's: add its id here). Restored once
// Python is ready, with the events a reader's change would fire, so each owner reacts as usual
// (the intensity select then tells Python its preset, which plays the piece under that cap).
const KEPT_CONTROLS = ["volume", "intensity", "prefetch"];

function restoreTheme() {
  const theme = setting("theme");
  if (theme === "dark" || theme === "light") document.documentElement.dataset.theme = theme;
}

function restoreControls() {
  for (const id of KEPT_CONTROLS) {
    const control = $(id);
    const value = setting(`control:${id}`);
    if (!control || value === undefined || String(value) === control.value) continue;
    control.value = String(value);
    control.dispatchEvent(new Event("input", { bubbles: true }));
    control.dispatchEvent(new Event("change", { bubbles: true }));
  }
}

function watchSettings() {
  for (const id of KEPT_CONTROLS) {
    $(id)?.addEventListener("change", (e) => keep(`control:${id}`, e.target.value));
  }
  // ui/index.js toggles the theme on click first; this listener runs after and keeps the result.
  $("theme").addEventListener("click", () => keep("theme", document.documentElement.dataset.theme));
}

// The reading position is restored from storage by Python; the browser's own scroll restoration
// would land later, somewhere else, and move the reader (and the saved place) away from it.
history.scrollRestoration = "manual";

window.addEventListener("bookmusic:storage-problem", (e) => showStorageProblem(e.detail));
window.addEventListener("bookmusic:settings-cleared", () => {
  delete document.documentElement.dataset.theme;
});
if (window.bookmusic?.storageProblem) showStorageProblem(window.bookmusic.storageProblem);

export function wireKeeping() {
  wireEditControls();
  buildScoreControls();
  watchSettings();
  restoreTheme();
  // After Python is up: some controls (prefetch, intensity) report to Python, which must listen.
  if (document.documentElement.dataset.pyReady === "1") restoreControls();
  else window.addEventListener("bookmusic:ready", restoreControls, { once: true });
}
