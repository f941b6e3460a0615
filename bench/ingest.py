"""Ingest benchmark: a generated 300-page PDF novel, read in Pyodide in the browser (the real page:
drop → Python worker → reader) and in CPython, side by side, and the reading quality on a
ground-truth corpus (bench/ingest_quality.py; `--quality-only` skips the browser). Prints one JSON
object.

Browser timings start at the drop event:
- first_section_s: the new book's first section is on screen (what the reader waits for)
- whole_book_s: the progress bar is gone, every section is rendered
CPython timings run the same pipeline (app.ingest.stream.book_events) in this process.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import time

from _browser import ROOT, new_context, site_and_browser, summary

sys.path.insert(0, str(ROOT))

from app.ingest.stream import book_events
from tests.unit.bookgen import layout_book, long_story, make_pdf

PAGES = 300

MEASURE = """async ([name, b64]) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const dt = new DataTransfer();
  dt.items.add(new File([bytes], name, { type: "application/pdf" }));
  const t = { };
  const t0 = performance.now();
  const title = name.replace(/\\.pdf$/, "");
  const seen = new Promise((resolve) => {
    const check = () => {
      const shown = document.title.startsWith(title) && document.querySelector("#reader .section");
      if (t.first_section == null && shown) {
        t.first_section = performance.now() - t0;
      }
      if (t.first_section != null && document.getElementById("progress").hidden) {
        t.whole_book = performance.now() - t0;
        t.sections = document.querySelectorAll("#reader .section").length;
        return resolve(t);
      }
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
  const drop = new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true });
  document.getElementById("reader").dispatchEvent(drop);
  return await seen;
}"""


def build_pdf() -> bytes:
    book = long_story(chapters=PAGES // 3 + 2, paragraphs=14)
    pages = layout_book("Benchmark Novel", book, lines_per_page=42)
    return make_pdf(pages[:PAGES])


def cpython_run(pdf: bytes) -> dict:
    t0 = time.perf_counter()
    first = None
    sections = 0
    for event in book_events(pdf, f"bench-{PAGES}.pdf", every=0.25):
        if event["type"] == "chunk" and event["sections"] and first is None:
            first = time.perf_counter() - t0
        if event["type"] == "done":
            sections = event["sections"]
    total = time.perf_counter() - t0
    return {"first_section_s": first, "whole_book_s": total, "sections": sections}


def browser_runs(pdf: bytes, runs: int) -> list[dict]:
    out = []
    b64 = base64.b64encode(pdf).decode()
    with site_and_browser() as (url, browser):
        for n in range(runs):
            ctx = new_context(browser)
            page = ctx.new_page()
            page.goto(url)
            page.wait_for_function("document.documentElement.dataset.pyReady === '1'", timeout=180_000)
            page.wait_for_function("window.bookmusic.ingest !== undefined", timeout=180_000)
            assert page.evaluate("window.bookmusic.ingest.readerReady()"), "the PDF reader did not start"
            t = page.evaluate(MEASURE, [f"bench{n}-{PAGES}.pdf", b64])
            assert not ctx.outside_requests, ctx.outside_requests
            ctx.close()
            out.append({(k if k == "sections" else f"{k}_s"): (v if k == "sections" else v / 1000)
                        for k, v in t.items()})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quality-only", action="store_true",
                        help="the ground-truth corpus only, no browser")
    args = parser.parse_args()
    from ingest_quality import quality

    report = quality()
    if args.quality_only:
        print(json.dumps({"benchmark": "ingest", "quality": report}, indent=2, ensure_ascii=False))
        return
    pdf = build_pdf()
    cpython = [cpython_run(pdf) for _ in range(args.runs)]
    browser = browser_runs(pdf, args.runs)

    def side(rows: list[dict], keys: list[str]) -> dict:
        result = {k: summary([r[k] for r in rows]) for k in keys}
        result["pages_per_s"] = round(PAGES / result["whole_book_s"]["median"], 1)
        result["sections"] = rows[0]["sections"]
        return result

    print(
        json.dumps(
            {
                "benchmark": "ingest",
                "book": {"pages": PAGES, "bytes": len(pdf), "kind": "generated PDF novel"},
                "unit": {"time": "s"},
                "pyodide_browser": side(
                    browser, ["first_section_s", "whole_book_s"]
                ),
                "cpython": side(cpython, ["first_section_s", "whole_book_s"]),
                "targets": {"first_section_s": 1.0, "browser_whole_book_s": 10.0},
                "quality": report,
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
