// The code view: the Strudel code that plays, in a small editor (CodeMirror 6 from npm, bundled
// by scripts/build.py into vendor/codemirror/). It wraps long lines, colours the subset's words
// (ui/code_syntax.js, from the validator's tables), marks the notes sounding now, and shows the
// validator's error at its place with the reason beside it.
//
// The first paint has a plain textarea (#code) in its place; the editor replaces it once its
// module has loaded (after the page has painted) and keeps the textarea's value in step, so the
// code is readable and editable before, and if, the editor cannot load.
import { facts } from "../sound/facts.js";
import { spans, syntaxTables } from "./code_syntax.js";

const $ = (id) => document.getElementById(id);
const PLAYING_MS = 150; // the highlight of the notes sounding now: about 7 frames a second

let view = null;
let marks = null; // {setError, setPlaying, decorate}: what the editor module provides, once loaded

/** The code shown: what "Play my edit" sends. */
export function getCode() {
  return view ? view.state.doc.toString() : $("code").value;
}

/** Show `text` (a section's piece): replaces the code and clears the error mark. */
export function setCode(text) {
  $("code").value = text;
  if (!view) return;
  const same = view.state.doc.toString() === text;
  view.dispatch({
    ...(same ? {} : { changes: { from: 0, to: view.state.doc.length, insert: text } }),
    effects: marks.setError.of(null),
  });
}

/** The validator refused `code`: mark the place `where` (an offset, or null) and show `message`
 * under its line. Ignored when the code shown is no longer that code; `{}` clears the mark. */
export function markError(error) {
  if (!view) return;
  const doc = view.state.doc;
  if (!error?.message || error.code !== doc.toString()) {
    view.dispatch({ effects: marks.setError.of(null) });
    return;
  }
  const at = error.where == null ? null : Math.max(0, Math.min(doc.length, error.where));
  view.dispatch({ effects: marks.setError.of({ at, message: error.message }) });
  if (at != null) view.dispatch({ selection: { anchor: at }, scrollIntoView: true });
}

/** Load the editor and put it in the textarea's place. `apply` runs on Ctrl/Cmd+Enter (as "Play
 * my edit"); `sounding()` returns {code, spans} of the notes sounding now, or null. */
export async function mountCodeEditor({ apply, sounding }) {
  const cm = await import("../vendor/codemirror/index.js");
  const area = $("code");
  marks = editorMarks(cm);
  view = new cm.EditorView({
    parent: $("code-view"),
    state: cm.EditorState.create({
      doc: area.value,
      extensions: [
        cm.history(),
        cm.keymap.of([{ key: "Mod-Enter", run: () => (apply(), true) }, ...cm.standardKeymap, ...cm.historyKeymap]),
        cm.EditorView.lineWrapping,
        cm.EditorView.contentAttributes.of({
          "aria-label": area.getAttribute("aria-label"), spellcheck: "false", autocapitalize: "off", autocorrect: "off",
        }),
        marks.extensions,
        cm.EditorView.updateListener.of((update) => {
          if (update.docChanged) area.value = update.state.doc.toString();
        }),
      ],
    }),
  });
  area.hidden = true;
  followPlaying(sounding);
  return view;
}

/** The editor's decorations: the subset's colours, the error's place and reason, the notes
 * sounding now. */
function editorMarks(cm) {
  const { Decoration, EditorView, StateEffect, StateField, ViewPlugin, WidgetType } = cm;
  const tables = syntaxTables(facts.syntax);
  const colour = (text) => Decoration.set(
    spans(text, tables).map(({ from, to, kind }) => Decoration.mark({ class: `tok-${kind}` }).range(from, to)),
    true,
  );
  const syntax = ViewPlugin.fromClass(
    class {
      constructor(v) { this.decorations = colour(v.state.doc.toString()); }
      update(u) { if (u.docChanged) this.decorations = colour(u.state.doc.toString()); }
    },
    { decorations: (plugin) => plugin.decorations },
  );

  class Reason extends WidgetType {
    constructor(message) { super(); this.message = message; }
    eq(other) { return other.message === this.message; }
    toDOM() {
      const note = document.createElement("div");
      note.className = "code-error";
      note.setAttribute("role", "note");
      note.textContent = this.message;
      return note;
    }
  }

  const setError = StateEffect.define();
  const error = StateField.define({
    create: () => Decoration.none,
    update(value, tr) {
      for (const effect of tr.effects) if (effect.is(setError)) return errorMarks(tr.state.doc, effect.value);
      return tr.docChanged ? Decoration.none : value; // an edit makes the mark stale: it goes
    },
    provide: (field) => EditorView.decorations.from(field),
  });
  function errorMarks(doc, err) {
    if (!err) return Decoration.none;
    const at = err.at ?? doc.length;
    const line = doc.lineAt(at);
    const word = /^[A-Za-z0-9_]+/.exec(doc.sliceString(at, line.to))?.[0].length || 1;
    const end = Math.min(line.to, at + word); // the word at the place (or its one character)
    const ranges = [Decoration.widget({ widget: new Reason(err.message), block: true, side: 1 }).range(line.to)];
    if (err.at != null && end > at) ranges.push(Decoration.mark({ class: "code-error-at" }).range(at, end));
    return Decoration.set(ranges, true);
  }

  const setPlaying = StateEffect.define();
  const playing = StateField.define({
    create: () => Decoration.none,
    update(value, tr) {
      for (const effect of tr.effects) {
        if (effect.is(setPlaying)) {
          const length = tr.state.doc.length;
          return Decoration.set(
            effect.value.filter(([a, b]) => a >= 0 && b > a && b <= length)
              .map(([a, b]) => Decoration.mark({ class: "tok-playing" }).range(a, b)),
            true,
          );
        }
      }
      return tr.docChanged ? Decoration.none : value;
    },
    provide: (field) => EditorView.decorations.from(field),
  });

  return { setError, setPlaying, extensions: [syntax, error, playing] };
}

/** Mark the notes sounding now, a few times a second, while the code shown is the code that
 * plays and the page is in view; nothing is redrawn when nothing changed. */
function followPlaying(sounding) {
  let shown = "";
  setInterval(() => {
    if (document.hidden || !view) return;
    const now = sounding(); // null while paused: no need to read the editor's text then
    const places = now && now.code === view.state.doc.toString() ? now.spans : [];
    const key = places.map((p) => p.join(":")).join(",");
    if (key === shown) return;
    shown = key;
    view.dispatch({ effects: marks.setPlaying.of(places) });
  }, PLAYING_MS);
}
