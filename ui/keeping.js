// What the reader keeps: going back from an edit, settings, the score/snippet/WAV downloads, and a clear
// notice when the browser will not keep anything. Python's controller decides; this reports clicks.
import { emit, set_status, state } from "./index.js";
import { getSetting, setSetting } from "../storage/book_store.js";
import { renderWav } from "../webllm_bridge/wav_render.js";

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

function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function fileStem() {
  const title = state.book?.title || "bookmusic";
  return title.replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-|-$/g, "").toLowerCase() || "book";
}

// ---- Storage refused or full -------------------------------------------------------------

function showStorageProblem(message) {
  let note = $("storage-note");
  if (!note) {
    note = document.createElement("p");
    note.id = "storage-note";
    note.className = "storage-note";
    note.setAttribute("role", "alert");
    $("status").after(note);
  }
  note.textContent = message;
}

// ---- Code edits --------------------------------------------------------------------------

function buildEditControls() {
  const bar = document.createElement("div");
  bar.className = "code-actions";
  bar.innerHTML = `
    <button id="revert-edit" type="button" hidden>Back to composed</button>
    <button id="save-snippet" type="button" title="This section's code as a Strudel file">Save snippet</button>
    <button id="render-wav" type="button" title="Render this section to a WAV file, offline">Render WAV</button>`;
  ($("music-panel") || $("code")).after(bar);
  // Ctrl+Enter: the same as "Play my edit" (ui/music_panel.js): Python validates, keeps, plays.
  $("code").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && $("code").value.trim()) {
      e.preventDefault();
      emit("edit-code", state.current, $("code").value);
    }
  });
  $("revert-edit").addEventListener("click", () => state.piece && emit("revert-code", state.piece.section));
  $("save-snippet").addEventListener("click", saveSnippet);
  $("render-wav").addEventListener("click", renderSection);
}

/** Called by ui/index.js show_code: reflect whether the section plays the reader's own code. */
export function pieceShown(piece) {
  const revert = $("revert-edit");
  if (revert) revert.hidden = !piece.edited;
}

function currentPiece() {
  const piece = state.piece;
  if (!piece) set_status("Press Play first: there is no code for this section yet.");
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
  saveBlob(new Blob([`${header}\n${code}\n`], { type: "text/javascript" }),
    `${fileStem()}-section-${piece.section + 1}.strudel.js`);
}

async function renderSection() {
  const piece = currentPiece();
  if (!piece) return;
  const section = state.book?.sections?.[piece.section];
  // About the time it takes to read the section, within sensible bounds for a download.
  const seconds = Math.round(Math.min(120, Math.max(10, ((section?.words || 230) / 230) * 60)));
  const button = $("render-wav");
  button.disabled = true;
  set_status(`Rendering section ${piece.section + 1} (${seconds} s of music) to WAV…`);
  try {
    const wav = await renderWav(piece.code, seconds);
    saveBlob(wav, `${fileStem()}-section-${piece.section + 1}.wav`);
    set_status(`Rendered section ${piece.section + 1}: ${(wav.size / 1e6).toFixed(1)} MB WAV.`);
  } catch (err) {
    set_status(`Could not render this section: ${err.message || err}`);
  } finally {
    button.disabled = false;
  }
}

// ---- Score download / import -------------------------------------------------------------

function buildScoreControls() {
  const box = document.createElement("section");
  box.className = "keep";
  box.innerHTML = `
    <h2>Score</h2>
    <p class="meta">Every section's code in one file, to keep or share.</p>
    <button id="export-score" type="button">Download score</button>
    <label class="file-button">Import score…<input id="import-score" type="file" accept=".json,application/json"></label>`;
  document.querySelector(".side").append(box);
  $("export-score").addEventListener("click", () => emit("export-score"));
  $("import-score").addEventListener("change", async (e) => {
    const file = e.target.files?.[0];
    e.target.value = "";
    if (file) emit("import-score", await file.text());
  });
}

// ---- Settings: remembered per browser ----------------------------------------------------

// Controls whose value the browser remembers (any module's: add its id here). Restored once
// Python is ready, with the events a reader's change would fire, so each owner reacts as usual.
const KEPT_CONTROLS = ["volume", "intensity", "prefetch"];

async function restoreSettings() {
  const theme = await getSetting("theme");
  if (theme === "dark" || theme === "light") document.documentElement.dataset.theme = theme;
  for (const id of KEPT_CONTROLS) {
    const control = $(id);
    const value = await getSetting(`control:${id}`);
    if (!control || value === undefined || String(value) === control.value) continue;
    control.value = String(value);
    control.dispatchEvent(new Event("input", { bubbles: true }));
    control.dispatchEvent(new Event("change", { bubbles: true }));
  }
}

function watchSettings() {
  for (const id of KEPT_CONTROLS) {
    $(id)?.addEventListener("change", (e) => setSetting(`control:${id}`, e.target.value));
  }
  // ui/index.js toggles the theme on click first; this listener runs after and keeps the result.
  $("theme").addEventListener("click", () => setSetting("theme", document.documentElement.dataset.theme));
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
  buildEditControls();
  buildScoreControls();
  watchSettings();
  // After Python is up: some controls (prefetch) report to Python, which must be listening.
  if (document.documentElement.dataset.pyReady === "1") restoreSettings();
  else window.addEventListener("bookmusic:ready", restoreSettings, { once: true });
}
