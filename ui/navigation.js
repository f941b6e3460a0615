// The reader's navigation, wired in one place: the chapter list (contents.js), the library
// (library.js), find in the book (search.js) and text size and spacing (reading_prefs.js).
// ui/index.js tells this module when a book is shown, grows, or the reader moves.
import { initContents, bookGrew as contentsGrew, markSection, showBook } from "./contents.js";
import { initLibrary } from "./library.js";
import { closeMoreMenu } from "./layout.js";
import { goto } from "./reader.js";
import { wireReadingPrefs } from "./reading_prefs.js";
import { initSearch, bookGrew as searchGrew, bookShown } from "./search.js";

/** A book was rendered (a new one, or the same re-cut at a new speed). */
export function navBookShown(book) {
  showBook(book);
  bookShown();
}

/** `count` paragraphs were appended to the open book (a long book still arriving). */
export function navBookGrew(count) {
  contentsGrew(count);
  searchGrew();
}

/** The reader is at section `index`. */
export function navAt(index) {
  markSection(index);
}

export function wireNavigation() {
  initContents({ goto, closeMenu: closeMoreMenu });
  initLibrary({ closeMenu: closeMoreMenu });
  initSearch({ closeMenu: closeMoreMenu });
  wireReadingPrefs();
}
