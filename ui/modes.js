// Listening modes beside the reader: endless mode, the ensemble picker, MIDI export and MIDI out.
// Python (main.py) imports this module as `modes`: it calls the snake_case exports and subscribes
// to the panel's events with on(); the panel renders into <section id="modes"> in index.html.
import * as player from "../webllm_bridge/index.js";
import * as midiOut from "../webllm_bridge/midi_out.js";

const $ = (id) => document.getElementById(id);
const listeners = new Map();
const state = { endless: false, ensembles: [], endlessInfo: null, pieces: 0 };

window.bookmusic = Object.assign(window.bookmusic || {}, { modes: { state, midiOut } });

export function on(name, fn) {
  if (!listeners.has(name)) listeners.set(name, []);
  listeners.get(name).push(fn);
}

function emit(name, ...args) {
  for (const fn of listeners.get(name) || []) {
    Promise.resolve(fn(...args)).catch((err) => say(`Something went wrong: ${err.message || err}`));
  }
}

function say(text) {
  $("status").textContent = text;
}

// ---- Port called from Python -------------------------------------------------------------

/** Offer bytes (base64) as a file download. */
export function download_file(name, mime, b64) {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function midi_follow(code, start = null) {
  return midiOut.follow(code, start);
}

export function midi_stopped() {
  midiOut.stopped();
}

/** The ensembles to offer, as JSON: {presets: [{name, label, sounds}], palette: [sound...]}. */
export function set_ensembles(json) {
  const { presets, palette } = JSON.parse(json);
  state.ensembles = presets;
  const select = $("ensemble");
  if (!select) return;
  select.replaceChildren(new Option("Any instruments", ""));
  for (const e of presets) select.append(new Option(`${e.label}: ${e.sounds.join(", ")}`, e.name));
  select.append(new Option("My own pick…", "custom"));
  const box = $("ensemble-custom");
  box.replaceChildren();
  for (const sound of palette) {
    const label = document.createElement("label");
    const input = Object.assign(document.createElement("input"), { type: "checkbox", value: sound });
    input.addEventListener("change", emitCustom);
    label.append(input, ` ${sound.replace(/^gm_/, "").replaceAll("_", " ")}`);
    box.append(label);
  }
}

function emitCustom() {
  const picked = [...document.querySelectorAll("#ensemble-custom input:checked")].map((i) => i.value);
  if (picked.length) emit("ensemble", picked.join(","));
}

/** The code actually playing when the ensemble re-voiced a piece. */
export function show_voiced(code) {
  $("code").value = code;
}

/** An endless-mode piece started: {code, mood, pieces, key, mode, cpm, layers, change} as JSON. */
export function show_piece(json) {
  const piece = JSON.parse(json);
  $("code").value = piece.code;
  $("now-meta").textContent =
    `Endless · ${piece.mood} · piece ${piece.pieces} · ${piece.key} ${piece.mode} · ${piece.cpm} cpm · ${piece.change}` +
    (piece.by === "model" ? " · written by the model" : "");
  state.pieces = piece.pieces;
  window.dispatchEvent(new CustomEvent("bookmusic:endless-piece", { detail: piece }));
}

/** Endless mode's state for the panel: {on, pieces, key, mode, cpm, layers} as JSON. */
export function set_endless(json) {
  const info = JSON.parse(json);
  state.endless = Boolean(info.on);
  state.endlessInfo = info;
  $("endless").textContent = state.endless ? "Stop endless" : "Endless";
  $("endless").setAttribute("aria-pressed", String(state.endless));
  $("endless-meta").textContent = info.on
    ? `Piece ${info.pieces} · ${info.key} ${info.mode} · ${info.cpm} cpm · ${info.layers} layers`
    : "";
  $("play").disabled = state.endless;
  if (!state.endless) state.pieces = 0;
}

// ---- The panel -------------------------------------------------------------------------

function render() {
  const root = $("modes");
  if (!root) return;
  root.innerHTML = `
    <h2>Listen</h2>
    <div class="modes-row">
      <label>Ensemble <select id="ensemble"><option value="">Any instruments</option></select></label>
    </div>
    <div id="ensemble-custom" class="modes-row ensemble-custom" hidden></div>
    <div class="modes-row">
      <input id="endless-mood" type="text" placeholder="A mood (optional): misty harbour at dawn"
        aria-label="Mood for endless mode" maxlength="200">
      <label>every <select id="endless-every" aria-label="A new piece every">
        <option value="30">30 s</option><option value="45" selected>45 s</option>
        <option value="90">90 s</option><option value="180">3 min</option></select></label>
      <button id="endless" type="button" aria-pressed="false">Endless</button>
    </div>
    <p id="endless-meta" class="meta"></p>
    <div class="modes-row">
      <button id="export-midi" type="button">Export MIDI</button>
      <button id="midi-connect" type="button">MIDI out…</button>
    </div>
    <div id="midi-out" class="modes-row" hidden>
      <select id="midi-output" aria-label="MIDI output"></select>
      <label><input id="midi-enable" type="checkbox"> Send</label>
      <label><input id="midi-mute" type="checkbox" checked> Mute audio</label>
    </div>
    <p id="midi-status" class="meta" role="status"></p>`;
}

async function connectMidi() {
  const status = $("midi-status");
  try {
    const outputs = await midiOut.outputs();
    const select = $("midi-output");
    select.replaceChildren(...outputs.map((o) => new Option(o.name, o.id)));
    $("midi-out").hidden = false;
    status.textContent = `${outputs.length} MIDI output${outputs.length > 1 ? "s" : ""} found.`;
  } catch (err) {
    $("midi-out").hidden = true;
    status.textContent = err.message || String(err);
    say(status.textContent);
  }
}

async function toggleMidi() {
  const status = $("midi-status");
  if ($("midi-enable").checked) {
    try {
      const name = await midiOut.enable($("midi-output").value, { muteAudio: $("midi-mute").checked });
      // Already playing: follow the piece shown (the player shows every piece it plays there).
      if (player.isPlaying()) await midiOut.follow($("code").value);
      status.textContent = `Sending to ${name}.`;
    } catch (err) {
      $("midi-enable").checked = false;
      status.textContent = err.message || String(err);
    }
  } else {
    midiOut.disable();
    status.textContent = "MIDI out is off.";
  }
  reflectMute();
}

function reflectMute() {
  // While audio is muted for MIDI the volume slider would fight the mute: park it.
  const volume = $("volume");
  if (volume) volume.disabled = midiOut.isAudioMuted();
}

function wire() {
  render();
  midiOut.onError((message) => {
    $("midi-enable").checked = false;
    $("midi-status").textContent = message;
    say(message);
    reflectMute();
  });
  $("export-midi")?.addEventListener("click", () => emit("export-midi"));
  $("midi-connect")?.addEventListener("click", connectMidi);
  $("midi-enable")?.addEventListener("change", toggleMidi);
  $("midi-mute")?.addEventListener("change", (e) => {
    midiOut.setMuteAudio(e.target.checked);
    reflectMute();
  });
  $("ensemble")?.addEventListener("change", (e) => {
    const custom = e.target.value === "custom";
    $("ensemble-custom").hidden = !custom;
    if (custom) emitCustom();
    else emit("ensemble", e.target.value);
  });
  $("endless-every")?.addEventListener("change", (e) => {
    if (state.endless) emit("endless-every", Number(e.target.value));
  });
  $("endless")?.addEventListener("click", async () => {
    if (state.endless) {
      emit("endless-stop");
      return;
    }
    // The reader's music gives way (its Play button goes back to Play, its place is kept).
    if (window.bookmusic.ui?.state?.playing) $("play").click();
    await player.unlock(); // inside the click: browsers only start audio on a user gesture
    emit("endless-start", $("endless-mood").value.trim(), Number($("endless-every").value));
  });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
else wire();
