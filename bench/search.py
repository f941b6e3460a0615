"""Find-in-the-book benchmark: the 300-page generated novel (bench/ingest.py's book, as Markdown)
opened in the real page, then searched the way the find box searches (ui/search.js `run`: fold,
match, list with context, mark in the text) and stepped through. Prints one JSON object (ms):
- first_search_ms: the first search, which folds the whole book once (the index is then kept)
- search_ms: later searches (median over the queries), all work the find box does per keystroke
- match_only_ms: the matching alone (TextIndex.find, median), without the list and the marks
- step_ms: Enter to the next match (median of 20), mark and scroll included
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
from pathlib import Path

from _browser import ROOT, new_context, site_and_browser

sys.path.insert(0, str(ROOT))

from tests.unit.bookgen import long_story

QUERIES = ["window letter", "storm shadow", "Golden", "a", "xyz never", "travelled distant", "the"]
MEASURE = """async (queries) => {
  const search = await import(new URL('ui/search.js', location.href));
  const { TextIndex } = await import(new URL('ui/search_text.js', location.href));
  const input = document.querySelector('#find-input');
  const timed = (fn) => { const t = performance.now(); const r = fn(); return [performance.now() - t, r]; };
  search.open();
  input.value = queries[0];
  const [first, firstResult] = timed(() => search.run());
  const runs = []; const totals = {};
  for (const q of queries) {
    input.value = q;
    const [ms, r] = timed(() => search.run());
    runs.push(ms);
    totals[q] = r.total;
  }
  const index = new TextIndex();
  index.add(window.bookmusic.ui.state.book.paragraphs.map((p) => p.text));
  index.find('warm');  // fold once, as the page's index already is
  const only = queries.map((q) => timed(() => index.find(q))[0]);
  input.value = queries[0]; search.run();
  const steps = [];
  for (let i = 0; i < 20; i++) steps.push(timed(() => search.step(1))[0]);
  const paragraphs = window.bookmusic.ui.state.book.paragraphs;
  return { first, firstTotal: firstResult.total, runs, only, steps, totals,
           paragraphs: paragraphs.length, chars: paragraphs.reduce((n, p) => n + p.text.length, 0) };
}"""


def novel_markdown() -> str:
    chapters = long_story(chapters=102, paragraphs=14)
    return "\n\n".join(f"# {c.title}\n\n" + "\n\n".join(c.paragraphs) for c in chapters)


def main() -> None:
    with site_and_browser() as (site, browser), tempfile.TemporaryDirectory() as tmp:
        ctx = new_context(browser)
        page = ctx.new_page()
        page.set_viewport_size({"width": 1366, "height": 768})
        page.goto(site)
        page.wait_for_function("document.documentElement.dataset.pyReady === '1'", timeout=120_000)
        path = Path(tmp) / "novel.md"
        path.write_text(novel_markdown(), encoding="utf-8")
        page.set_input_files("#file", str(path))
        page.wait_for_function("document.title.startsWith('novel')", timeout=300_000)
        page.wait_for_function("document.getElementById('progress').hidden", timeout=300_000)
        got = page.evaluate(MEASURE, QUERIES)
        assert ctx.outside_requests == [], ctx.outside_requests
        ctx.close()
    median = lambda xs: round(statistics.median(xs), 1)  # noqa: E731
    print(
        json.dumps(
            {
                "book": {
                    "kind": "generated novel (300 pages), Markdown",
                    "paragraphs": got["paragraphs"],
                    "chars": got["chars"],
                },
                "first_search_ms": round(got["first"], 1),
                "search_ms": median(got["runs"]),
                "search_max_ms": round(max(got["runs"]), 1),
                "match_only_ms": median(got["only"]),
                "step_ms": median(got["steps"]),
                "matches": got["totals"],
            }
        )
    )


if __name__ == "__main__":
    main()
