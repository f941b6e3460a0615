// Parses mini-notation strings with Strudel's own parser (krill, from the @strudel/mini we ship).
// Usage: node strudel_mini_parses.mjs < ["0 2 4", "<a b>", ...]
// Prints [null | "the parser's message", ...], one entry per string.
import { readFileSync } from "node:fs";
import { parse } from "../../node_modules/@strudel/mini/krill-parser.js";

const inputs = JSON.parse(readFileSync(0, "utf8"));
const verdicts = inputs.map((text) => {
  try {
    parse(`"${text}"`);
    return null;
  } catch (err) {
    return String(err.message);
  }
});
process.stdout.write(JSON.stringify(verdicts));
