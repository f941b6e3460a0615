// Listening modes beside the reader: endless mode, the ensemble picker, MIDI export and MIDI out.
// Python (main.py) imports this module as `modes`: it calls the snake_case exports and subscribes
// to the panel's events with on(); the panel renders into <section id="modes"> in index.html.
//
// Page events Python subscribes to (name: arguments), on ui/bus.js like the reader's:
//   ensemble: preset name, "" (any instruments) or comma-separated sounds (own pick);
//   endless-start: mood phrase, seconds per piece; endless-stop; endless-every: seconds;
//   export-midi.
import * as player from "../sound/index.js";
import * as midiOut from "../sound/midi_out.js";
import { emit, on as onEvent, status } from "./bus.js";
import { el, option, saveBlob } from "./dom.js";

const $ = (id) => document.getElementById(id);
const state = { endless: false, ensembles: [], endlessInfo: null, pieces: 0, followed: "" };

window.bookmusic = Object.assign(window.bookmusic || {}, { modes: { state, midiOut } });

/** Python subscribes to a panel event (see the list above). */
export function on(name, fn) {
  onEvent(name, fn);
}

// ---- Port called from Python -------------------------------------------------------------

/** Offer bytes (base64) as a file download. */
export function download_file(name, mime, b64) {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  saveBlob(new Blob([bytes], { type: mime }), name);
}

/** Python played a validated program: MIDI out follows it (and only it). */
export function midi_follow(code, start = null) {
  state.followed = code;
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
  select.replaceChildren(
    option("", "Any instruments"),
    ...presets.map((e) => option(e.name, `${e.label}: ${e.sounds.join(", ")}`)),
    option("custom", "My own pick…"),
  );
  $("ensemble-custom").replaceChildren(...palette.map((sound) => el("label", {},
    el("input", { type: "checkbox", value: sound, on: { change: emitCustom } }),
    ` ${sound.replace(/^gm_/, "").replaceAll("_", " ")}`,
  )));
}

function emitCustom() {
  const picked = [...document.querySelectorAll("#ensemble-custom input:checked")].map((i) => i.value);
  if (picked.length) emit("ensemble", picked.join(","));
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

const EVERY = [[30, "30 s"], [45, "45 s"], [90, "90 s"], [180, "3 min"]];

function render() {
  const root = $("modes");
  if (!root) return;
  const every = el("select", { id: "endless-every", "aria-label": "A new piece every" },
    EVERY.map(([seconds, label]) => option(seconds, label)));
  every.value = "45";
  root.replaceChildren(
    el("h2", {}, "Listen"),
    el("div", { class: "modes-row" },
      el("label", {}, "Ensemble ", el("select", { id: "ensemble" }, option("", "Any instruments")))),
    el("div", { id: "ensemble-custom", class: "modes-row ensemble-custom", hidden: true }),
    el("div", { class: "modes-row" },
      el("input", { id: "endless-mood", type: "text", placeholder: "A mood (optional): misty harbour at dawn",
        "aria-label": "Mood for endless mode", maxLength: 200 }),
      el("label", {}, "every ", every),
      el("button", { id: "endless", type: "button", "aria-pressed": "false" }, "Endless"),
    ),
    el("p", { id: "endless-meta", class: "meta" }),
    el("div", { class: "modes-row" },
      el("button", { id: "export-midi", type: "button" }, "Export MIDI"),
      el("button", { id: "midi-connect", type: "button" }, "MIDI out…"),
    ),
    el("div", { id: "midi-out", class: "modes-row", hidden: true },
      el("select", { id: "midi-output", "aria-label": "MIDI output" }),
      el("label", {}, el("input", { id: "midi-enable", type: "checkbox" }), " Send"),
      el("label", {}, el("input", { id: "midi-mute", type: "checkbox", checked: true }), " Mute audio"),
    ),
    el("p", { id: "midi-status", class: "meta", role: "status" }),
  );
}

async function connectMidi() {
  const line = $("midi-status");
  try {
    const outputs = await midiOut.outputs();
    const select = $("midi-output");
    select.replaceChildren(...outputs.map((o) => option(o.id, o.name)));
    $("midi-out").hidden = false;
    line.textContent = `${outputs.length} MIDI output${outputs.length > 1 ? "s" : ""} found.`;
  } catch (err) {
    $("midi-out").hidden = true;
    line.textContent = err.message || String(err);
    status(line.textContent, "problem");
  }
}

async function toggleMidi() {
  const line = $("midi-status");
  if ($("midi-enable").checked) {
    try {
      const name = await midiOut.enable($("midi-output").value, { muteAudio: $("midi-mute").checked });
      // Already playing: follow what Python last played (validated), never unsent text in the box.
      if (player.isPlaying() && state.followed) await midiOut.follow(state.followed);
      line.textContent = `Sending to ${name}.`;
    } catch (err) {
      $("midi-enable").checked = false;
      line.textContent = err.message || String(err);
    }
  } else {
    midiOut.disable();
    line.textContent = "MIDI out is off.";
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
    status(message, "problem");
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
    // The reader's music gives way: Python's session hands the player over (and resets Play).
    await player.unlock(); // inside the click: browsers only start audio on a user gesture
    emit("endless-start", $("endless-mood").value.trim(), Number($("endless-every").value));
  });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
else wire();
