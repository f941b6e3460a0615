// The parts of CodeMirror 6 (npm, locked in package-lock.json) that the code view uses
// (ui/code_editor.js). scripts/build.py bundles this file into dist/vendor/codemirror/index.js,
// one minified ES module that the page imports once it has painted.
export { EditorState, StateEffect, StateField } from "@codemirror/state";
export { Decoration, EditorView, ViewPlugin, WidgetType, keymap } from "@codemirror/view";
export { history, historyKeymap, standardKeymap } from "@codemirror/commands";
