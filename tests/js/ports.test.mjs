// The names Python calls on each JS module (pyscript.toml [js_modules.main]): read from the
// sources, so a renamed export fails here before it fails in the browser.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

const ROOT = new URL("../../", import.meta.url);

const PORTS = {
  "ui/index.js": ["render_book", "set_current", "show_code", "set_status", "scroll_to", "download",
    "set_progress", "append_book", "show_error", "set_wpm", "set_models", "set_engine",
    "set_section_music", "on", "on_model_change", "set_ready"],
  "sound/index.js": ["play", "stop", "events"],
  "storage/book_store.js": ["remember_book", "load_book", "last_book", "save_position", "save_piece",
    "save_edit", "forget_book", "clear_all"],
  "webllm_bridge/index.js": ["llm_capabilities", "llm_load", "llm_generate", "llm_abort", "llm_unload"],
  "ui/modes.js": ["download_file", "set_ensembles", "set_endless", "show_piece", "show_voiced",
    "midi_follow", "midi_stopped", "on"],
};

/** Names a module exports: declarations and export lists (re-exports included). */
function exported(path) {
  const source = readFileSync(new URL(path, ROOT), "utf8");
  const names = new Set();
  for (const m of source.matchAll(/^export\s+(?:async\s+)?(?:function\*?|const|let|class)\s+([\w$]+)/gm)) names.add(m[1]);
  for (const m of source.matchAll(/^export\s*\{([^}]*)\}/gm)) {
    for (const part of m[1].split(",")) {
      const name = part.trim().split(/\s+as\s+/).pop();
      if (name) names.add(name);
    }
  }
  return names;
}

test("every module Python imports exports the names its port calls", () => {
  for (const [path, wanted] of Object.entries(PORTS)) {
    const names = exported(path);
    assert.deepEqual(wanted.filter((n) => !names.has(n)), [], path);
  }
});

test("pyscript.toml maps exactly these modules to Python's names", () => {
  const toml = readFileSync(new URL("pyscript.toml", ROOT), "utf8");
  const table = toml.split("[js_modules.main]")[1].split(/\n\[/)[0];
  const pairs = [...table.matchAll(/^"\.\/([^"]+)"\s*=\s*"(\w+)"/gm)].map((m) => [m[1], m[2]]);
  assert.deepEqual(pairs, [
    ["webllm_bridge/index.js", "bridge"], ["sound/index.js", "sound"], ["ui/index.js", "ui"],
    ["storage/book_store.js", "store"], ["ui/modes.js", "modes"],
  ]);
});

test("the store no longer offers settings to Python (the page keeps them itself)", () => {
  const names = exported("storage/book_store.js");
  assert.ok(!names.has("get_setting") && !names.has("set_setting"));
});
