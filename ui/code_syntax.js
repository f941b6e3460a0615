// The code view's colours: the Strudel subset's words by kind, from the facts the build writes
// from the validator's own tables (facts.syntax, app/seam.py code_words), so a word shown as
// known is one the validator accepts; anything else is marked as outside the subset.
// Pure (no DOM, no editor): ui/code_editor.js turns the spans into editor marks.

const TOKEN = /("[^"\n]*"?)|([A-Za-z_$][\w$]*)|([0-9]+(?:\.[0-9]+)?|\.[0-9]+)|(\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$))|([^\s().,;/\-"0-9A-Za-z_$])/g;
const IN_STRING = /([A-G](?:#|b)?[0-9]?):([a-z]+(?::[a-z]+)?)|[a-z][a-z0-9_]*/g;

/** The lookup tables for `spans`, built once from facts.syntax. */
export function syntaxTables(syntax) {
  const names = new Map();
  for (const word of syntax.signals) names.set(word, "signal");
  for (const word of syntax.program) names.set(word, "program");
  for (const word of syntax.sources) names.set(word, "source");
  const methods = new Set([...syntax.methods, ...syntax.signal_methods]);
  return { names, methods, sounds: new Set(syntax.sounds), modes: new Set(syntax.modes) };
}

/** The spans to colour in `text`: [{from, to, kind}] in order; kind is program, source, method,
 * signal, number, string, sound (a shipped sound named in a string), mode, or unknown. */
export function spans(text, tables) {
  const out = [];
  for (const m of text.matchAll(TOKEN)) {
    const from = m.index;
    const to = from + m[0].length;
    if (m[1]) {
      out.push({ from, to, kind: "string" });
      for (const w of m[1].matchAll(IN_STRING)) {
        const at = from + w.index;
        if (w[2]) {
          if (tables.modes.has(w[2])) out.push({ from: at + w[1].length + 1, to: at + w[0].length, kind: "mode" });
        } else if (tables.sounds.has(w[0])) {
          out.push({ from: at, to: at + w[0].length, kind: "sound" });
        }
      }
    } else if (m[2]) {
      const afterDot = text.slice(0, from).trimEnd().endsWith(".");
      const kind = afterDot ? (tables.methods.has(m[2]) ? "method" : "unknown") : tables.names.get(m[2]) || "unknown";
      out.push({ from, to, kind });
    } else if (m[3]) {
      out.push({ from, to, kind: "number" });
    } else {
      out.push({ from, to, kind: "unknown" }); // a comment or a character outside the subset
    }
  }
  return out;
}
