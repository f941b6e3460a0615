// The player bar's line: which section of how many, the reading time left at the reader's speed,
// and the mood of the piece playing. Only presentation: the numbers come from the book Python sent.
const $ = (id) => document.getElementById(id);

/** "Section 2 of 5 · 4 min left" for the reader at section `index` of `book` reading `wpm`. */
export function whereText(book, index, wpm) {
  const sections = book?.sections || [];
  if (!sections.length) return "No book open";
  const at = Math.max(0, Math.min(index, sections.length - 1));
  const words = sections.slice(at).reduce((sum, s) => sum + (s.words || 0), 0);
  const minutes = Math.max(1, Math.round(words / Math.max(1, wpm)));
  return `Section ${at + 1} of ${sections.length} · ${minutes} min left`;
}

export function showWhere(book, index, wpm) {
  $("player-where").textContent = whereText(book, index, wpm);
}

/** The mood of what plays, or nothing when no piece is playing for this section. */
export function showMood(mood) {
  $("player-mood").textContent = mood || "";
}
