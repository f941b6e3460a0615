// The model picker and the engine line: which language model writes the music, what it costs to
// download and run, which engine runs it and why. The choice is remembered in localStorage.
// Python (app/llm/service.py) calls set_models / set_engine / set_section_music.

const KEY = "bookmusic.model";
const changeListeners = [];
let select = null;
let engineLine = null;
let loadButton = null;

function remember(id) {
  try {
    localStorage.setItem(KEY, id);
  } catch {
    /* private mode: the choice just is not remembered */
  }
}

function announce(id, loadNow) {
  for (const fn of changeListeners) Promise.resolve(fn(id, loadNow)).catch(() => {});
}

function elements() {
  if (select) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = new URL("./model_picker.css", import.meta.url).href;
  document.head.append(link);

  const label = document.createElement("label");
  label.className = "model-picker";
  label.textContent = "Music by ";
  select = document.createElement("select");
  select.id = "model";
  select.setAttribute("aria-describedby", "engine");
  select.addEventListener("change", () => {
    remember(select.value);
    announce(select.value, false);
  });
  // Choosing is consent to download: the model loads at Play, or now with this button.
  loadButton = document.createElement("button");
  loadButton.type = "button";
  loadButton.id = "model-load";
  loadButton.textContent = "Load model";
  loadButton.addEventListener("click", () => {
    remember(select.value);
    announce(select.value, true);
  });
  label.append(select, loadButton);
  document.querySelector(".controls")?.prepend(label);

  engineLine = document.createElement("p");
  engineLine.id = "engine";
  engineLine.className = "engine-line";
  engineLine.setAttribute("role", "status");
  document.querySelector("#status")?.after(engineLine);
}

function describe(model) {
  if (model.engine === "none") return model.label;
  const size = model.download_mb ? `${model.download_mb} MB download, ~${model.memory_mb} MB memory` : "local file";
  return `${model.label} — ${size}${model.note ? ` — ${model.note}` : ""}`;
}

const GROUPS = { webllm: "WebGPU (WebLLM)", wllama: "CPU (wllama)", none: "No language model" };

/** Render the models on offer; returns JSON {id, consent}: the remembered choice if still offered
 * (the reader chose it before: consent to download), else the suggested default (no consent yet). */
export function set_models(pickerJson) {
  elements();
  const data = JSON.parse(pickerJson);
  select.replaceChildren();
  for (const [engine, title] of Object.entries(GROUPS)) {
    const models = data.models.filter((m) => m.engine === engine);
    if (!models.length) continue;
    const group = document.createElement("optgroup");
    group.label = title;
    for (const model of models) {
      const option = new Option(describe(model), model.id);
      option.dataset.engine = model.engine;
      group.append(option);
    }
    select.append(group);
  }
  let remembered = null;
  try {
    remembered = localStorage.getItem(KEY);
  } catch {
    remembered = null;
  }
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
  for (const el of document.querySelectorAll(`.overview-item[data-index="${index}"], #s-${index}`)) {
    if (state) el.dataset.music = state;
    else delete el.dataset.music;
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
