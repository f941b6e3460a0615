// The reading view: reflowed text grouped in sections, the current one marked, a highlight that
// follows the reader's scrolling, click-to-start, and a compact overview of the whole book.
// It renders what Python decides (render/append/setCurrent) and reports where the reader is.

const view = { book: null, current: 0, emit: () => {}, observer: null, reader: null, overview: null };

export function initReader({ reader, overview, emit }) {
  Object.assign(view, { reader, overview, emit });
  reader.addEventListener("click", (e) => {
    if (window.getSelection?.().toString()) return; // selecting text is not a jump
    const para = e.target.closest?.("[data-para]");
    const section = para?.closest(".section");
    if (!section) return;
    for (const el of reader.querySelectorAll(".start")) el.classList.remove("start");
    para.classList.add("start");
    view.emit("section", Number(section.dataset.index));
  });
  // The section crossing the reading line (a third of the way down) is the current one.
  view.observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) view.emit("section", Number(entry.target.dataset.index));
      }
    },
    { rootMargin: "-33% 0px -66% 0px" },
  );
  return view;
}

function paragraphNode(p, i) {
  const node = document.createElement(p.kind === "heading" ? "h2" : "p");
  node.textContent = p.text;
  node.dataset.para = i;
  if (p.continued) node.className = "cont";
  return node;
}

function sectionNodes(sections) {
  const frag = document.createDocumentFragment();
  const links = document.createDocumentFragment();
  const { paragraphs } = view.book;
  for (const section of sections) {
    const el = document.createElement("section");
    el.className = "section";
    el.dataset.index = section.index;
    el.id = `s-${section.index}`;
    for (let i = section.first; i <= section.last; i++) el.append(paragraphNode(paragraphs[i], i));
    frag.append(el);
    const link = document.createElement("button");
    link.type = "button";
    link.className = "overview-item";
    link.dataset.index = section.index;
    link.dataset.chapter = section.chapter;
    const heading = paragraphs[section.first]?.kind === "heading" ? ` · ${paragraphs[section.first].text}` : "";
    link.title = `Section ${section.index + 1}: ${section.words} words${heading}`;
    link.setAttribute("aria-label", link.title);
    link.style.flexGrow = String(Math.max(1, section.words));
    link.addEventListener("click", () => goto(section.index));
    links.append(link);
  }
  return { frag, links };
}

/** The paragraph at the reading line and how far it sits from it, to restore after a re-render. */
function anchor() {
  const line = innerHeight / 3;
  for (const el of view.reader.querySelectorAll("[data-para]")) {
    const box = el.getBoundingClientRect();
    if (box.bottom >= line) return { para: el.dataset.para, top: box.top };
  }
  return null;
}

export function renderBook(book) {
  const keep = view.book && view.reader.children.length ? anchor() : null;
  const sameBook = keep && view.book?.title === book.title && view.book?.paragraphs.length === book.paragraphs.length;
  view.book = book;
  view.current = 0;
  view.observer.disconnect();
  const { frag, links } = sectionNodes(book.sections);
  view.reader.replaceChildren(frag);
  view.overview.replaceChildren(links);
  for (const el of view.reader.querySelectorAll(".section")) view.observer.observe(el);
  document.title = `${book.title} — BookMusic`;
  if (sameBook) {
    // Re-cut sections of the same book (a new reading speed): stay on the same words.
    const el = view.reader.querySelector(`[data-para="${keep.para}"]`);
    if (el) scrollBy(0, el.getBoundingClientRect().top - keep.top);
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
  for (const el of added) view.observer.observe(el);
}

export function setCurrent(index) {
  view.current = index;
  for (const el of document.querySelectorAll(".section.current, .overview-item.current")) {
    el.classList.remove("current");
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
  document.querySelector(`#s-${target}`)?.scrollIntoView({ behavior: "smooth", block: "start" });
  view.emit("section", target);
}

export function step(delta) {
  goto(view.current + delta);
}
