// Find in the book: a box under the header (Find, "/" or Ctrl+F opens it; Escape closes), every
// match counted and listed with the words around it, Enter / Shift+Enter for the next / previous
// one. A jump brings the match's line to the reading line (so the music follows the reader there)
// and marks it with the CSS Custom Highlight API: the book's text nodes are never touched.
// Matching folds case, accents and typographic quotes (ui/search_text.js).
import { state } from "./bus.js";
import { el } from "./dom.js";
import { takesKey } from "./keys.js";
import { focusBack } from "./layout.js";
import { TextIndex, context } from "./search_text.js";

const $ = (id) => document.getElementById(id);
const LISTED = 200; // results listed with their context (all are counted and reachable by Enter)
const MARKED = 1000; // matches marked in the text at once
const WAIT_MS = 120; // typing: search once the reader pauses
const NARROW = "(max-width: 960px)"; // the phone layout (style.css): the list folds after a jump

const find = { index: null, book: null, needle: "", matches: [], total: 0, at: -1, timer: null, opener: null };

const highlights = () => (globalThis.CSS?.highlights && globalThis.Highlight ? CSS.highlights : null);

/** The book changed (a new one, or re-cut at a new speed): the index is rebuilt when next needed. */
export function bookShown() {
  find.index = null;
  find.at = -1;
  if (isOpen()) run();
}

/** More of a long book arrived: search again so the count includes it. */
export function bookGrew() {
  if (isOpen() && find.needle) schedule();
}

function index() {
  const paragraphs = state.book?.paragraphs || [];
  if (!find.index || find.book !== state.book) {
    find.index = new TextIndex();
    find.book = state.book;
  }
  if (find.index.size < paragraphs.length) find.index.add(paragraphs.slice(find.index.size).map((p) => p.text));
  return find.index;
}

const isOpen = () => !$("find").hidden;

function schedule() {
  clearTimeout(find.timer);
  find.timer = setTimeout(run, WAIT_MS);
}

/** Search for what is in the box; the listed results and the marks follow. */
export function run() {
  clearTimeout(find.timer);
  find.timer = null;
  const query = $("find-input").value;
  const result = index().find(query, Infinity);
  find.needle = result.needle;
  find.matches = result.matches;
  find.total = result.total;
  find.at = -1;
  showCount();
  listResults();
  markAll();
  return { total: find.total };
}

function showCount() {
  const count = $("find-count");
  if (!find.needle) count.textContent = "";
  else if (!find.total) count.textContent = "No matches";
  else if (find.at < 0) count.textContent = find.total === 1 ? "1 match" : `${find.total} matches`;
  else count.textContent = `${find.at + 1} of ${find.total}`;
  $("find-prev").disabled = $("find-next").disabled = !find.total;
}

function sectionLabel(para) {
  const sections = state.book?.sections || [];
  const section = sections.find((s) => s.first <= para && para <= s.last);
  return section ? `Section ${section.index + 1}` : "";
}

function listResults() {
  const list = $("find-results");
  const items = find.matches.slice(0, LISTED).map((m, i) => {
    const { before, match, after } = context(state.book.paragraphs[m.para].text, m.start, m.end);
    return el("li", {}, el("button", { type: "button", class: "find-result", dataset: { match: i }, on: { click: () => go(i) } },
      el("span", { class: "find-where" }, sectionLabel(m.para)), " ", before, el("mark", {}, match), after));
  });
  if (find.total > LISTED) {
    items.push(el("li", { class: "find-more" }, `${find.total - LISTED} more: Enter goes on to each of them.`));
  }
  list.replaceChildren(...items);
  $("find").classList.toggle("has-results", items.length > 0);
  $("find").classList.remove("folded");
}

function rangeOf(match) {
  const node = document.querySelector(`#reader [data-para="${match.para}"]`)?.firstChild;
  if (!node || node.nodeType !== Node.TEXT_NODE || node.length < match.end) return null;
  const range = new Range();
  range.setStart(node, match.start);
  range.setEnd(node, match.end);
  return range;
}

function markAll() {
  const marks = highlights();
  if (!marks) return;
  const ranges = find.matches.slice(0, MARKED).map(rangeOf).filter(Boolean);
  marks.set("find", new Highlight(...ranges));
  marks.delete("find-current");
}

function clearMarks() {
  highlights()?.delete("find");
  highlights()?.delete("find-current");
}

/** The first match at or after the reader's place (for the first Enter). */
function firstFromHere(direction) {
  const here = state.book?.sections[state.current]?.first ?? 0;
  if (direction > 0) {
    const i = find.matches.findIndex((m) => m.para >= here);
    return i === -1 ? 0 : i;
  }
  for (let i = find.matches.length - 1; i >= 0; i--) if (find.matches[i].para < here) return i;
  return find.matches.length - 1;
}

/** Go to the next (1) or previous (-1) match, wrapping round the book. */
export function step(direction) {
  if (find.timer) run(); // the box changed since the last search
  if (!find.total) return;
  const count = find.matches.length;
  go(find.at < 0 ? firstFromHere(direction) : (find.at + direction + count) % count);
}

function go(i) {
  const match = find.matches[i];
  if (!match) return;
  find.at = i;
  showCount();
  const range = rangeOf(match);
  if (range) {
    highlights()?.set("find-current", new Highlight(range));
    // The match's line on the reading line (a third of the way down), where the section in
    // view is read from: the music follows the reader to it.
    const box = range.getBoundingClientRect();
    scrollBy({ top: box.top - innerHeight / 3 + 4, behavior: "instant" });
  }
  for (const node of $("find-results").querySelectorAll("[aria-current]")) node.removeAttribute("aria-current");
  const item = $("find-results").querySelector(`[data-match="${i}"]`);
  if (item) {
    item.setAttribute("aria-current", "true");
    const list = $("find-results");
    const box = item.getBoundingClientRect();
    const frame = list.getBoundingClientRect();
    if (box.top < frame.top || box.bottom > frame.bottom) list.scrollTop += box.top - frame.top - frame.height / 3;
  }
  // On a phone the list would cover the text: it folds to the box's one row until the next search.
  if (matchMedia(NARROW).matches) $("find").classList.add("folded");
}

export function open() {
  const box = $("find");
  if (box.hidden) find.opener = document.activeElement;
  box.hidden = false;
  $("find-open").setAttribute("aria-expanded", "true");
  const input = $("find-input");
  input.focus();
  input.select();
  if (input.value) run();
}

export function close() {
  clearTimeout(find.timer);
  find.timer = null;
  $("find").hidden = true;
  $("find-open").setAttribute("aria-expanded", "false");
  clearMarks();
  const back = find.opener;
  find.opener = null;
  // Focus returns where it was (the text if that was nowhere in particular; the ⋯ button if it
  // was the Find button folded away in the phone's menu).
  if (back === $("find-open")) focusBack(back);
  else if (back && back !== document.body && back.isConnected && back.offsetParent) back.focus({ preventScroll: true });
  else $("reader").focus({ preventScroll: true });
}

export function initSearch({ closeMenu }) {
  const input = $("find-input");
  $("find-open").addEventListener("click", (e) => {
    e.stopPropagation(); // the ⋯ menu's "click outside" must not see it
    closeMenu();
    if (isOpen()) close();
    else open();
  });
  input.addEventListener("input", () => {
    $("find").classList.remove("folded");
    schedule();
  });
  input.addEventListener("click", () => $("find").classList.remove("folded"));
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      step(e.shiftKey ? -1 : 1);
    } else if (e.key === "Escape") {
      e.preventDefault(); // a search field's own Escape empties it: the words stay for next time
      close();
    }
  });
  $("find-next").addEventListener("click", () => step(1));
  $("find-prev").addEventListener("click", () => step(-1));
  $("find-close").addEventListener("click", close);
  document.addEventListener("keydown", (e) => {
    const ctrlF = (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === "f";
    const slash = e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey && !takesKey(e.target, "/");
    if ((ctrlF || slash) && !document.querySelector("dialog[open]")) { // a modal dialog has the page
      e.preventDefault();
      open();
    } else if (e.key === "Escape" && isOpen() && !e.defaultPrevented) {
      if (document.querySelector("dialog[open]")) return; // a dialog's Escape is the dialog's
      close();
    }
  });
}
