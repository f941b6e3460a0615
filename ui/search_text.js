// Finding words in a book, without the DOM: text folded for matching (case, accents, ligatures,
// curly quotes and dashes), every match mapped back to the original text's offsets so the page
// can mark it, and a line of context around each. Pure functions, tested with node (tests/js).

// Characters that fold to something normalization and lower-casing do not give.
const SPECIAL = new Map([
  ["ß", "ss"], ["ẞ", "ss"], ["ſ", "s"], ["ı", "i"], ["æ", "ae"], ["Æ", "ae"], ["œ", "oe"], ["Œ", "oe"],
  ["ø", "o"], ["Ø", "o"], ["đ", "d"], ["Đ", "d"], ["ł", "l"], ["Ł", "l"], ["ħ", "h"], ["Ħ", "h"],
  ["‘", "'"], ["’", "'"], ["‚", "'"], ["‛", "'"], ["ʼ", "'"], ["′", "'"],
  ["“", '"'], ["”", '"'], ["„", '"'], ["«", '"'], ["»", '"'], ["″", '"'],
  ["‐", "-"], ["‑", "-"], ["‒", "-"], ["–", "-"], ["—", "-"], ["―", "-"], ["−", "-"],
  ["\u00a0", " "], ["\u2009", " "], ["\u202f", " "], ["\u2007", " "], ["\u200a", " "],
  ["\u00ad", ""], ["\u200b", ""], ["\u200d", ""], ["\ufeff", ""],
]);
const MARKS = /\p{M}/gu;
const ONE_SPACE = /\s+/g;

/** One character (code point) folded: lower case, no accents, compatibility forms expanded. */
export function foldChar(ch) {
  const code = ch.charCodeAt(0);
  if (code < 128) {
    if (code >= 65 && code <= 90) return String.fromCharCode(code + 32);
    return code === 9 || code === 10 || code === 13 ? " " : ch;
  }
  const special = SPECIAL.get(ch);
  if (special !== undefined) return special;
  const folded = ch.normalize("NFKD").replace(MARKS, "").toLowerCase();
  // Lower-casing can bring back a combining mark (İ -> i + dot): drop it; a character that was
  // only marks (a lone combining accent) folds to nothing, like the accent on a letter.
  const plain = folded.normalize("NFKD").replace(MARKS, "");
  return [...plain].map((c) => SPECIAL.get(c) ?? c).join("");
}

/** A query folded the same way, with runs of spaces made one (what a reader types). */
export function foldQuery(query) {
  let out = "";
  for (const ch of String(query)) out += foldChar(ch);
  return out.replace(ONE_SPACE, " ").trim();
}

/**
 * A text folded for matching, with where each folded character came from:
 * `start[i]` / `end[i]` are the original offsets (UTF-16) of the character folded into position i.
 * Runs of spaces fold to one, so a line break or a double space in the book still matches.
 */
export function foldText(text) {
  const parts = [];
  const starts = [];
  const ends = [];
  let offset = 0;
  let lastSpace = false;
  for (const ch of text) {
    const folded = foldChar(ch);
    const next = offset + ch.length;
    // A character folded to nothing (a combining accent, a soft hyphen) belongs to the one before.
    if (!folded && ends.length) ends[ends.length - 1] = next;
    // Offsets are per UTF-16 unit, as indexOf counts them (an emoji folds to two units).
    for (let k = 0; k < folded.length; k++) {
      const space = folded[k] === " ";
      if (space && lastSpace) {
        ends[ends.length - 1] = next; // the run of spaces is one space, ending here
        continue;
      }
      lastSpace = space;
      parts.push(folded[k]);
      starts.push(offset);
      ends.push(next);
    }
    offset = next;
  }
  return { folded: parts.join(""), start: Int32Array.from(starts), end: Int32Array.from(ends) };
}

/**
 * An index of a book's paragraphs for finding: built once per book (extended as a long book
 * arrives), searched many times.
 */
export class TextIndex {
  constructor() {
    this.texts = [];
    this.folds = [];
  }

  /** Paragraph texts, in order (more may be added later). */
  add(texts) {
    for (const text of texts) {
      this.texts.push(String(text));
      this.folds.push(null); // folded the first time a search needs it
    }
  }

  get size() {
    return this.texts.length;
  }

  fold(i) {
    this.folds[i] ??= foldText(this.texts[i]);
    return this.folds[i];
  }

  /**
   * Every match of `query` (folded), in book order, at most `limit`: {para, start, end} with
   * start/end offsets in the paragraph's original text. `total` counts them all.
   */
  find(query, limit = Infinity) {
    const needle = foldQuery(query);
    const matches = [];
    let total = 0;
    if (!needle) return { needle, matches, total };
    for (let para = 0; para < this.texts.length; para++) {
      const { folded, start, end } = this.fold(para);
      let at = folded.indexOf(needle);
      while (at !== -1) {
        total += 1;
        if (matches.length < limit) matches.push({ para, start: start[at], end: end[at + needle.length - 1] });
        at = folded.indexOf(needle, at + needle.length);
      }
    }
    return { needle, matches, total };
  }
}

/**
 * The words around a match, cut at word boundaries: {before, match, after} with an ellipsis
 * where the paragraph goes on.
 */
export function context(text, start, end, room = 40) {
  let from = Math.max(0, start - room);
  let to = Math.min(text.length, end + room);
  if (from > 0) {
    const space = text.indexOf(" ", from);
    if (space !== -1 && space < start) from = space + 1;
  }
  if (to < text.length) {
    const space = text.lastIndexOf(" ", to);
    if (space > end) to = space;
  }
  return {
    before: (from > 0 ? "…" : "") + text.slice(from, start),
    match: text.slice(start, end),
    after: text.slice(end, to) + (to < text.length ? "…" : ""),
  };
}
