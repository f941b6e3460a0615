// The reader's text size and line spacing, applied before the first paint. A classic script in
// <head> (index.html), so the text is laid out once at the reader's size: restoring it after the
// settings store answers (IndexedDB is asynchronous) would move every line. It reads the copy
// ui/reading_prefs.js mirrors into localStorage; the settings store stays the one that counts.
(function () {
  const KEY = "bookmusic.reading";
  // The bounds of each preference and its default (the stylesheet's own values).
  const RANGE = { scale: [0.8, 1.8, 1], leading: [1.3, 2.4, 1.7] };

  /** {scale, leading} within bounds; anything else (missing, damaged) is the default. */
  function clean(prefs) {
    const out = {};
    for (const [name, [low, high, fallback]] of Object.entries(RANGE)) {
      const value = Number(prefs?.[name]);
      out[name] = Number.isFinite(value) && value >= low && value <= high ? value : fallback;
    }
    return out;
  }

  function apply(prefs) {
    const { scale, leading } = clean(prefs);
    const style = document.documentElement.style;
    style.setProperty("--read-scale", String(scale));
    style.setProperty("--read-leading", String(leading));
    return { scale, leading };
  }

  function saved() {
    try {
      return JSON.parse(localStorage.getItem(KEY) || "null");
    } catch {
      return null; // storage refused or a damaged copy: the defaults
    }
  }
  const applied = apply(saved());
  window.bookmusicReading = { KEY, RANGE, clean, apply, applied };
})();
