// The book's chapters: one entry per heading, the chapter being read marked as the reader moves
// (the last heading at or before the section in view), a click or Enter takes the reader there. A column beside the text on a wide screen; below WIDE a drawer
// opened by the header's Contents button (in the ⋯ menu on a phone).
import { el } from "./dom.js";
import { focusBack } from "./layout.js";

const $ = (id) => document.getElementById(id);
const WIDE = "(min-width: 1200px)"; // navigation.css shows the column from this width
const view = { book: null, entries: [], current: -1, goto: () => {}, closeMenu: () => {} };

/** Chapter entries of `paragraphs` from paragraph `from` on: {para, label}, one per heading. */
export function chapterEntries(paragraphs, from = 0) {
  const entries = [];
  for (let i = from; i < paragraphs.length; i++) {
    if (paragraphs[i].kind === "heading") entries.push({ para: i, label: paragraphs[i].text });
  }
  return entries;
}

/** Index of the section holding paragraph `para` (the last section when it is not cut yet). */
function sectionOf(para) {
  const sections = view.book?.sections || [];
  let low = 0;
  let high = sections.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sections[mid].last < para) low = mid + 1;
    else high = mid;
  }
  return Math.max(0, low);
}

function entryNode(entry, index) {
  return el("li", {}, el("button", {
    type: "button", class: "contents-item", title: entry.label, dataset: { entry: index, para: entry.para },
    on: { click: () => jump(index) },
  }, entry.label));
}

function render(entries) {
  const list = $("contents-list");
  const frag = document.createDocumentFragment();
  const start = view.entries.length;
  view.entries.push(...entries);
  entries.forEach((entry, k) => frag.append(entryNode(entry, start + k)));
  list.append(frag);
  $("contents-empty").hidden = view.entries.length > 0;
}

/** A new book on the page (Python's render_book). */
export function showBook(book) {
  view.book = book;
  view.entries = [];
  view.current = -1;
  $("contents-list").replaceChildren();
  render(chapterEntries(book.paragraphs));
}

/** More of a long book arrived (`count` new paragraphs at the end of the book's list). */
export function bookGrew(count) {
  const paragraphs = view.book?.paragraphs || [];
  render(chapterEntries(paragraphs, paragraphs.length - count));
  if (view.current === -1) markSection(currentSection);
}

let currentSection = 0;

/** The reader is at section `index`: mark its chapter (the last heading at or before its end). */
export function markSection(index) {
  currentSection = index;
  const section = view.book?.sections[index];
  if (!section) return;
  let found = -1;
  for (let i = 0; i < view.entries.length && view.entries[i].para <= section.last; i++) found = i;
  if (found === view.current) return;
  view.current = found;
  for (const node of $("contents-list").querySelectorAll("[aria-current]")) node.removeAttribute("aria-current");
  const node = $("contents-list").querySelector(`[data-entry="${found}"]`);
  if (!node) return;
  node.setAttribute("aria-current", "location");
  keepInView(node);
}

// Scroll the list itself (never the page) so the marked entry shows.
function keepInView(node) {
  const list = $("contents");
  const box = node.getBoundingClientRect();
  const frame = list.getBoundingClientRect();
  if (frame.height === 0) return; // a closed drawer: it scrolls when it opens
  if (box.top < frame.top + 40 || box.bottom > frame.bottom) list.scrollTop += box.top - frame.top - frame.height / 3;
}

function jump(index) {
  const entry = view.entries[index];
  if (!entry) return;
  setOpen(false);
  view.goto(sectionOf(entry.para));
  $("reader").focus({ preventScroll: true }); // the keyboard goes on from the chapter's text
}

const wide = () => matchMedia(WIDE).matches;

function setOpen(open) {
  const nav = $("contents");
  if (wide()) open = false;
  nav.classList.toggle("open", open);
  $("contents-toggle").setAttribute("aria-expanded", String(open));
  if (open) {
    const node = $("contents-list").querySelector("[aria-current]") || $("contents-list").querySelector("button");
    requestAnimationFrame(() => node && keepInView(node));
    (node || $("contents-title")).focus?.({ preventScroll: true });
  }
}

export function initContents({ goto, closeMenu }) {
  Object.assign(view, { goto, closeMenu });
  const toggle = $("contents-toggle");
  toggle.addEventListener("click", (e) => {
    e.stopPropagation(); // the ⋯ menu's "click outside" must not see it
    closeMenu();
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Escape" || !$("contents").classList.contains("open")) return;
    const inside = $("contents").contains(document.activeElement);
    setOpen(false);
    if (inside) focusBack(toggle);
  });
  document.addEventListener("click", (e) => {
    if ($("contents").classList.contains("open") && !$("contents").contains(e.target)) setOpen(false);
  });
  matchMedia(WIDE).addEventListener("change", () => setOpen(false));
}
