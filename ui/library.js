// The library: the books kept in this browser (storage/book_store.js), newest read first, with how
// far the reader got and when they last read; Open brings one back where they left it (Python
// reopens it: app/session/library.py), Forget removes it after the reader confirms. Everything is
// read from IndexedDB, so it works offline.
import { forget_book, listBooks } from "../storage/book_store.js";
import { emit } from "./bus.js";
import { el } from "./dom.js";

const $ = (id) => document.getElementById(id);
const DAY = 86_400_000;

/** "42 % read" from the first paragraph in view and the book's paragraph count. */
export function readText(paragraph, paragraphs) {
  if (!paragraphs || paragraph <= 0) return "not started";
  const percent = Math.min(100, Math.max(1, Math.round((100 * paragraph) / Math.max(1, paragraphs - 1))));
  return `${percent} % read`;
}

/** When a book was last read, as a reader says it: "just now", "3 hours ago", "yesterday", a date. */
export function whenText(time, now = Date.now()) {
  if (!time) return "";
  const words = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  const ago = Math.max(0, now - time);
  if (ago < 60_000) return "just now";
  if (ago < 3_600_000) return words.format(-Math.round(ago / 60_000), "minute");
  if (ago < DAY) return words.format(-Math.round(ago / 3_600_000), "hour");
  if (ago < 7 * DAY) return words.format(-Math.round(ago / DAY), "day");
  const date = new Date(time);
  const sameYear = date.getFullYear() === new Date(now).getFullYear();
  return `on ${date.toLocaleDateString("en", { day: "numeric", month: "short", year: sameYear ? undefined : "numeric" })}`;
}

function note(text) {
  $("library-note").textContent = text;
}

function bookRow(book) {
  const title = el("h3", { class: "library-title", id: `book-${book.key}` }, book.title || "Untitled");
  const meta = el("p", { class: "library-meta" },
    [readText(book.paragraph, book.paragraphs), book.lastRead && `last read ${whenText(book.lastRead)}`,
      book.open && "open now"].filter(Boolean).join(" · "));
  const buttons = el("div", { class: "library-actions" });
  const row = el("li", { class: "library-book", dataset: { key: book.key } }, title, meta, buttons);
  const described = `book-${book.key}`;
  const normal = () => {
    buttons.replaceChildren(...[
      book.open ? null : el("button", { type: "button", class: "primary", "aria-describedby": described,
        on: { click: () => openBook(book) } }, "Open"),
      el("button", { type: "button", "aria-describedby": described, on: { click: confirm } }, "Forget…"),
    ].filter(Boolean));
  };
  // Forgetting cannot be undone: the row asks first, and "Keep" (the safe answer) takes focus.
  const confirm = () => {
    const keepIt = el("button", { type: "button", on: { click: () => {
      normal();
      buttons.querySelector("button:last-child").focus();
    } } }, "Keep");
    buttons.replaceChildren(
      el("span", { class: "library-ask" }, "Forget its text, place and music?"),
      el("button", { type: "button", class: "danger", "aria-describedby": described, on: { click: () => forget(book) } }, "Forget"),
      keepIt,
    );
    keepIt.focus();
  };
  normal();
  return row;
}

async function render() {
  const books = (await listBooks()).sort((a, b) => (b.lastRead || 0) - (a.lastRead || 0));
  $("library-list").replaceChildren(...books.map(bookRow));
  if (!books.length) note("No books are kept in this browser yet. Open one and it will be here next time.");
  return books;
}

function openBook(book) {
  $("library").close();
  emit("open-kept", book.key);
}

async function forget(book) {
  if (book.open) {
    emit("forget-book"); // Python forgets the open book and opens the sample in its place
    for (let i = 0; i < 40 && (await listBooks()).some((b) => b.key === book.key); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } else {
    await forget_book(book.key);
  }
  await render();
  note(`Forgot “${book.title}”.`);
  ($("library-list").querySelector("button") || $("library-close")).focus();
}

export async function openLibrary() {
  note("");
  const dialog = $("library");
  if (!dialog.open) dialog.showModal();
  await render();
  const first = $("library-list").querySelector("button") || $("library-close");
  first.focus();
}

export function initLibrary({ closeMenu }) {
  $("library-open").addEventListener("click", (e) => {
    e.stopPropagation(); // the ⋯ menu's "click outside" must not see it
    closeMenu();
    openLibrary();
  });
  $("library-close").addEventListener("click", () => $("library").close());
  // A click on the backdrop (outside the dialog's box) closes it.
  $("library").addEventListener("click", (e) => {
    if (e.target === $("library")) $("library").close();
  });
}
