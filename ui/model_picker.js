// The model picker and the engine line: which language model writes the music, what it costs to
// download and run, which engine runs it and why. The choice is a setting (ui/settings.js).
// Python (app/llm/service.py) calls set_models / set_engine / set_section_music.
import { facts } from "../sound/facts.js";
import { el } from "./dom.js";
import { keep, setting } from "./settings.js";

const changeListeners = [];
let select = null;
let engineLine = null;

function announce(id, loadNow) {
  for (const fn of changeListeners) Promise.resolve(fn(id, loadNow)).catch(() => {});
}

function choose(loadNow) {
  keep("model", select.value);
  announce(select.value, loadNow);
}

// The picker and engine line are in the static page (index.html), so filling them moves nothing.
function elements() {
  if (select) return;
  select = document.getElementById("model");
  engineLine = document.getElementById("engine");
  select.addEventListener("change", () => choose(false));
  // Choosing is consent to download: the model loads at Play, or now with this button.
  document.getElementById("model-load").addEventListener("click", () => choose(true));
}

function describe(model) {
  if (model.engine === "none") return model.label;
  const size = model.download_mb ? `${model.download_mb} MB download, ~${model.memory_mb} MB memory` : "local file";
  return `${model.label} — ${size}${model.note ? ` — ${model.note}` : ""}`;
}

/** Render the models on offer; returns JSON {id, consent}: the remembered choice if still offered
 * (the reader chose it before: consent to download), else the suggested default (no consent yet). */
export function set_models(pickerJson) {
  elements();
  const data = JSON.parse(pickerJson);
  select.replaceChildren();
  select.disabled = false;
  document.getElementById("model-load").disabled = false;
  for (const [engine, title] of Object.entries(facts.engine_names)) {
    const models = data.models.filter((m) => m.engine === engine);
    if (!models.length) continue;
    select.append(el("optgroup", { label: title },
      models.map((model) => el("option", { value: model.id, dataset: { engine: model.engine } }, describe(model)))));
  }
  const remembered = setting("model", null);
  const offered = new Set(data.models.map((m) => m.id));
  // A ?model-url= override wins over the remembered choice: that is what the address asked for.
  const custom = data.models.find((m) => m.id.startsWith("url:"));
  const chosen = custom ? custom.id : offered.has(remembered) ? remembered : null;
  select.value = chosen || data.default;
  document.documentElement.dataset.llmEngine = data.engine;
  return JSON.stringify({ id: select.value, consent: Boolean(chosen) });
}

export function set_engine(text) {
  elements();
  engineLine.textContent = text;
}

/** Mark a section's music in the overview: "composing", "model", "failed" or "" (instant). */
export function set_section_music(index, state) {
  for (const node of document.querySelectorAll(`.overview-item[data-index="${index}"], #s-${index}`)) {
    if (state) node.dataset.music = state;
    else delete node.dataset.music;
  }
}

export function on_model_change(fn) {
  changeListeners.push(fn);
}

/** For tests and the console: pick a model as if the reader had. */
export function pick_model(id) {
  elements();
  select.value = id;
  select.dispatchEvent(new Event("change"));
}
