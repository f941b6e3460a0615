// The reading view: reflowed text grouped in sections, the current one marked, a highlight that
// follows the reader's scrolling, click-to-start, and a compact overview of the whole book.
// It renders what Python decides (render/append/setCurrent) and reports where the reader is.
import { el } from "./dom.js";

const view = { book: null, current: 0, emit: () => {}, observer: null, reader: null, overview: null, steering: null };

export function initReader({ reader, overview, emit }) {
  Object.assign(view, { reader, overview, emit });
  reader.addEventListener("click", (e) => {
    if (window.getSelection?.().toString()) return; // selecting text is not a jump
    const para = e.target.closest?.("[data-para]");
    const section = para?.closest(".section");
    if (!section) return;
    for (const node of reader.querySelectorAll(".start")) node.classList.remove("start");
    para.classList.add("start");
    view.emit("section", Number(section.dataset.index));
  });
  // The section crossing the reading line (a third of the way down) is the current one.
  view.observer = new IntersectionObserver(
    (entries) => {
      if (view.steering) return; // a step's own scroll passes other sections: not the reader's choice
      for (const entry of entries) {
        if (entry.isIntersecting) view.emit("section", Number(entry.target.dataset.index));
      }
    },
    { rootMargin: "-33% 0px -66% 0px" },
  );
  return view;
}

function paragraphNode(p, i) {
  const cls = p.kind === "footnote" ? "note" : p.continued && "cont";
  return el(p.kind === "heading" ? "h2" : "p", { dataset: { para: i }, class: cls }, p.text);
}

function sectionNodes(sections) {
  const frag = document.createDocumentFragment();
  const links = document.createDocumentFragment();
  const { paragraphs } = view.book;
  for (const section of sections) {
    const texts = [];
    for (let i = section.first; i <= section.last; i++) texts.push(paragraphNode(paragraphs[i], i));
    frag.append(el("section", { class: "section", id: `s-${section.index}`, dataset: { index: section.index } }, texts));
    const heading = paragraphs[section.first]?.kind === "heading" ? ` · ${paragraphs[section.first].text}` : "";
    const title = `Section ${section.index + 1}: ${section.words} words${heading}`;
    links.append(el("button", {
      type: "button", class: "overview-item", title, "aria-label": title,
      dataset: { index: section.index, chapter: section.chapter },
      style: { flexGrow: String(Math.max(1, section.words)) },
      on: { click: () => goto(section.index) },
    }));
  }
  return { frag, links };
}

/** The paragraph at the reading line and how far it sits from it, to restore after a re-render. */
function anchor() {
  const line = innerHeight / 3;
  for (const node of view.reader.querySelectorAll("[data-para]")) {
    const box = node.getBoundingClientRect();
    if (box.bottom >= line) return { para: node.dataset.para, top: box.top };
  }
  return null;
}

export function renderBook(book) {
  const keep = view.reader.children.length ? anchor() : null;
  // The same book re-cut (a new reading speed), or the first paint's copy of this book's start
  // (scripts/first_paint.py): the reader stays on the words they were reading.
  const firstPaint = view.reader.dataset.firstPaint;
  delete view.reader.dataset.firstPaint;
  const sameBook = keep && (view.book
    ? view.book.title === book.title && view.book.paragraphs.length === book.paragraphs.length
    : firstPaint === book.title);
  view.book = book;
  view.current = 0;
  view.observer.disconnect();
  const { frag, links } = sectionNodes(book.sections);
  view.reader.replaceChildren(frag);
  view.overview.replaceChildren(links);
  for (const node of view.reader.querySelectorAll(".section")) view.observer.observe(node);
  document.title = `${book.title} — BookMusic`;
  if (sameBook) {
    // Re-cut sections of the same book (a new reading speed): stay on the same words.
    const node = view.reader.querySelector(`[data-para="${keep.para}"]`);
    if (node) scrollBy(0, node.getBoundingClientRect().top - keep.top);
  } else {
    view.reader.scrollIntoView?.({ block: "start" });
    scrollTo(0, 0);
  }
}

/** Paragraphs and sections that arrived after renderBook (a big book still being parsed). */
export function appendBook(delta) {
  const book = view.book;
  if (!book) return;
  book.paragraphs.push(...delta.paragraphs);
  book.sections.push(...delta.sections);
  const { frag, links } = sectionNodes(delta.sections);
  const added = [...frag.children];
  view.reader.append(frag);
  view.overview.append(links);
  for (const node of added) view.observer.observe(node);
}

export function setCurrent(index) {
  view.current = index;
  for (const node of document.querySelectorAll(".section.current, .overview-item.current")) {
    node.classList.remove("current");
  }
  document.querySelector(`#s-${index}`)?.classList.add("current");
  const link = document.querySelector(`.overview-item[data-index="${index}"]`);
  link?.classList.add("current");
  link?.setAttribute("aria-current", "true");
}

export function goto(index) {
  const count = view.book?.sections.length || 0;
  if (!count) return;
  const target = Math.max(0, Math.min(index, count - 1));
  view.current = target; // so quick repeated keys add up before Python answers
  steer();
  document.querySelector(`#s-${target}`)?.scrollIntoView({ behavior: "smooth", block: "start" });
  view.emit("section", target);
}

// While a step scrolls, the sections it passes are not reported (the music would hop back and
// forth); the reading line takes over again once the scroll has ended.
const STEER_MAX_MS = 1500; // no scroll at all (already in view) fires no scrollend
function steer() {
  clearTimeout(view.steering);
  const done = () => {
    clearTimeout(view.steering);
    view.steering = null;
    removeEventListener("scrollend", done);
  };
  view.steering = setTimeout(done, STEER_MAX_MS);
  addEventListener("scrollend", done, { once: true });
}

export function step(delta) {
  goto(view.current + delta);
}
