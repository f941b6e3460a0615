"""Reading quality on a ground-truth corpus: known paragraphs typeset in the layouts that damage
PDF reading (tests/unit/bookgen.typeset, and real LaTeX: tests/unit/bookgen_latex.py, Debian's
pdflatex), read by app.ingest and scored against the truth and against `pdftotext`.

Per layout: paragraphs exactly right, line recall against pdftotext, leaked heads and folios,
hyphen errors (hard hyphens lost, soft splits left), headings found, section lengths, pages/s of
ours, pdftotext's and pdf.js's (pdfjs-dist in node, bench/pdfjs_text.mjs) on the same file.
Plain-text novels: chapters found, Gutenberg licence text left in.
"""

from __future__ import annotations

import io
import json
import math
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.ingest.stream import read_book  # noqa: E402
from app.segment import target_words  # noqa: E402
from tests.unit import grade  # noqa: E402
from tests.unit.bookgen import LAYOUTS, Chapter, fixture_chapters, typeset  # noqa: E402
from tests.unit.grade import norm, rejoined, tokens  # noqa: E402

READS = 3  # every speed is the best of three reads, ours, pdftotext's and pdf.js's alike
# Speeds are given in wall-clock time and in CPU time (this process's, pdftotext's and node's own):
# the machine is shared, and CPU time is what the others' load disturbs least.


class Clock:
    """The least wall and CPU time of several runs of one thing."""

    def __init__(self, children: bool = False) -> None:
        self.children = children  # pdftotext runs as a child process: its CPU time is the child's
        self.wall = self.cpu = math.inf

    def _cpu(self) -> float:
        if self.children:
            use = resource.getrusage(resource.RUSAGE_CHILDREN)
            return use.ru_utime + use.ru_stime
        return time.process_time()

    def __enter__(self) -> Clock:
        self._t0, self._c0 = time.perf_counter(), self._cpu()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = min(self.wall, time.perf_counter() - self._t0)
        self.cpu = min(self.cpu, self._cpu() - self._c0)


def score(truth: list[tuple[str, str]], book: Any, heads: list[str], pdf: bytes, clock: Clock,
          pages: int) -> dict[str, Any]:
    paragraphs = rejoined(book)
    exact, total = grade.exact(truth, paragraphs)
    want = Counter(t for _, text in truth for t in tokens(text))
    got = Counter(t for _, text in paragraphs for t in tokens(text))
    hyphenated = [t for t in want if "-" in t.strip("-")]
    kept = sum(min(got[t], want[t]) for t in hyphenated)
    over_joined = sum(got[t.replace("-", "")] - want[t.replace("-", "")] for t in hyphenated
                      if got[t.replace("-", "")] > want[t.replace("-", "")])
    split = sum(n for t, n in got.items() if t.endswith("-") and t not in want)
    out_text = norm(" ".join(text for _, text in paragraphs))
    report: dict[str, Any] = {
        "pages": pages,
        "paragraphs_exact": {k: f"{exact[k]}/{total[k]}" for k in total},
        "paragraphs_exact_pct": round(100 * sum(exact.values()) / max(1, sum(total.values())), 1),
        "leaked_folios": grade.leaked_folios(truth, paragraphs),
        "leaked_heads": grade.leaked_heads(truth, paragraphs, heads),
        "lost_words": grade.lost_words(truth, paragraphs),
        "hard_hyphens_kept_pct": round(100 * kept / max(1, sum(want[t] for t in hyphenated)), 1),
        "hyphen_over_joined": over_joined,
        "hyphen_split_left": split,
        "headings_found": sum(1 for k, _ in paragraphs if k == "heading"),
        "headings_true": total["heading"],
        "section_words": section_lengths(book),
        "pages_per_s": round(pages / clock.wall, 1),
        "pages_per_cpu_s": round(pages / clock.cpu, 1),
    }
    report.update(pdftotext_side(pdf, out_text, heads, pages))
    return report


def pdftotext_side(pdf: bytes, out_text: str, heads: list[str], pages: int) -> dict[str, Any]:
    """Line recall: pdftotext's lines of three words or more (its heads and folios left out)
    whose inner words appear in our text; pdftotext's and pdf.js's speed on the same file."""
    if not shutil.which("pdftotext"):
        return {"pdftotext": "not installed"}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "book.pdf"
        path.write_bytes(pdf)
        clock = Clock(children=True)
        for _ in range(READS):
            with clock:
                text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                                      check=True).stdout.decode()
        pdfjs = pdfjs_seconds(path)
    head_set = {norm(h) for h in heads}
    lines = [norm(line) for line in text.splitlines()]
    # The first and last word of a line may be halves of a hyphenated word: only inner words count.
    inner = [" ".join(line.split()[1:-1]) for line in lines
             if len(line.split()) >= 4 and line not in head_set]
    missing = [line for line in inner if line not in out_text]
    return {
        "line_recall_vs_pdftotext_pct": round(100 * (len(inner) - len(missing)) / max(1, len(inner)), 1),
        "lines_missing": missing[:3],
        "pdftotext_pages_per_s": round(pages / clock.wall, 1),
        "pdftotext_pages_per_cpu_s": round(pages / clock.cpu, 1),
        **({"pdfjs_pages_per_s": round(pages / pdfjs[0], 1),
            "pdfjs_pages_per_cpu_s": round(pages / pdfjs[1], 1)}
           if pdfjs else {"pdfjs": "pdfjs-dist not installed (npm ci)"}),
    }


def pdfjs_seconds(path: Path) -> tuple[float, float] | None:
    """pdf.js's wall and CPU time to read every page's text of the file (node,
    bench/pdfjs_text.mjs), best of three; None without node or pdfjs-dist."""
    if not shutil.which("node") or not (ROOT / "node_modules/pdfjs-dist").is_dir():
        return None
    done = subprocess.run(["node", str(ROOT / "bench/pdfjs_text.mjs"), str(path)], capture_output=True,
                          text=True, check=True, cwd=ROOT)
    result = json.loads(done.stdout.splitlines()[-1])
    return float(result["seconds"]), float(result["cpu_seconds"])


def generated(chapters: list[Chapter]) -> dict[str, Any]:
    out = {}
    for layout in LAYOUTS:
        book = typeset(chapters, layout)
        out[f"generated/{layout.name}"] = run(book.pdf, book.truth, book.heads)
    out["generated/cjk-font-speed"] = cjk_speed()
    return out


def cjk_speed(pages: int = 60) -> dict[str, Any]:
    """Speed on a book whose one font carries a large ToUnicode map (3,000 CJK glyphs), as
    calibre's CID fonts do: pypdf parsed the map again on every page."""
    from tests.unit.bookgen import Page, Run, make_pdf

    chars = [chr(0x4E00 + i) for i in range(3000)]
    pdf = make_pdf([
        Page([Run(72, 700 - 16 * k, "".join(chars[(n * 37 + k * 11 + j) % 3000] for j in range(30)))
              for k in range(40)])
        for n in range(pages)
    ])
    clock = Clock()
    for _ in range(READS):
        with clock:
            book = read_book(pdf, "cjk.pdf")
    text = "".join(p.text for p in book.paragraphs)
    side = pdftotext_side(pdf, text, [], pages)
    return {"pages": pages, "pages_per_s": round(pages / clock.wall, 1),
            "pages_per_cpu_s": round(pages / clock.cpu, 1),
            **{k: v for k, v in side.items() if "pages_per" in k}}


def run(pdf: bytes, truth: list[tuple[str, str]], heads: list[str]) -> dict[str, Any]:
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    clock = Clock()
    for _ in range(READS):  # the least of three: the machine is shared
        with clock:
            book = read_book(pdf, "book.pdf")
    return score(truth, book, heads, pdf, clock, pages)


# ---- LaTeX (Debian texlive): tests/unit/bookgen_latex.py, shared with the unit tests ----------


def latex(chapters: list[Chapter]) -> dict[str, Any]:
    from tests.unit.bookgen_latex import LATEX_LAYOUTS, have_pdflatex, latex_typeset

    if not have_pdflatex():
        return {"latex": "pdflatex not installed (scripts/setup.sh --tests installs texlive-latex-base)"}
    out = {}
    for layout in LATEX_LAYOUTS:
        book = latex_typeset(chapters, layout)
        out[f"latex/{layout.name}"] = run(book.pdf, book.truth, book.heads)
    return out


# ---- Real PDFs nobody here wrote: the documentation Debian's texlive-base installs --------------
# (setup.sh --tests installs it), made by pdfTeX, LuaTeX, XeTeX, dvipdfm, Ghostscript, Acrobat
# Distiller, Skia and Quartz. No truth to grade against: line recall against pdftotext, speed.

REAL_DIR = Path("/usr/share/doc/texlive-doc")
REAL = [
    "bibtex/base/btxdoc.pdf",  # pdfTeX, a LaTeX article
    "texlive/texlive-en/texlive-en.pdf",  # pdfTeX, a guide with running heads
    "kpathsea/kpathsea.pdf",  # pdfTeX, a Texinfo manual
    "dvipdfmx/dvipdfmx.pdf",  # XeTeX
    "generic/hyph-utf8/hyph-utf8.pdf",  # LuaTeX
    "etex/base/etex_man.pdf",  # dvipdfm
    "dvips/dvips.pdf",  # Ghostscript
    "support/makeindex/makeindex.pdf",  # Acrobat Distiller
    "luatex/base/graphics/luaharfbuzz.pdf",  # Skia
    "dvipdfmx/tug2005.pdf",  # Quartz, slides
]


def real() -> dict[str, Any]:
    import logging

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # "fontTools is required..." once per font
    out: dict[str, Any] = {}
    for name in REAL:
        path = REAL_DIR / name
        if not path.exists():
            out[f"real/{name}"] = "not installed (texlive-base's documentation)"
            continue
        from pypdf import PdfReader

        pdf = path.read_bytes()
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        clock = Clock()
        try:
            for _ in range(READS):
                with clock:
                    book = read_book(pdf, path.name)
        except Exception as err:  # a real file may be refused: say why, go on
            out[f"real/{name}"] = {"pages": pages, "error": str(err)}
            continue
        text = norm(" ".join(p.text for p in book.paragraphs))
        out[f"real/{name}"] = {
            "pages": pages,
            "paragraphs": len(book.paragraphs),
            "pages_per_s": round(pages / clock.wall, 1),
            "pages_per_cpu_s": round(pages / clock.cpu, 1),
            **pdftotext_side(pdf, text, [], pages),
        }
    return out


_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
LICENCE = "This eBook is for the use of anyone anywhere in the United States and most other parts"


def gutenberg_text(chapters: list[Chapter], style: str) -> str:
    """A plain-text novel as Project Gutenberg prints one: licence header and footer, chapter
    lines in one of the usual styles, paragraphs wrapped at 70 columns."""
    import textwrap

    heads = {"roman": "CHAPTER {r}.", "arabic": "Chapter {n}", "alone": "{r}", "book": "BOOK {w}"}
    words = ["ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX"]
    out = [f"The Project Gutenberg eBook of Sybil\n\n{LICENCE}\n\n"
           "*** START OF THE PROJECT GUTENBERG EBOOK SYBIL ***\n\n\n\nSYBIL\n"]
    for n, chapter in enumerate(chapters):
        out.append("\n\n" + heads[style].format(r=_ROMAN[n], n=n + 1, w=words[n]) + "\n\n")
        out += ["\n".join(textwrap.wrap(p, 70)) + "\n" for p in chapter.paragraphs]
    out.append(f"\n*** END OF THE PROJECT GUTENBERG EBOOK SYBIL ***\n\n{LICENCE}\n")
    return "\n".join(out)


def plain(chapters: list[Chapter]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for style in ("roman", "arabic", "alone", "book"):
        book = read_book(gutenberg_text(chapters, style).encode(), "sybil.txt")
        out[f"plain/{style}"] = {
            "chapters_found": sum(1 for p in book.paragraphs if p.kind == "heading"),
            "chapters_true": len(chapters),
            "licence_text_left": sum(1 for p in book.paragraphs
                                     if "Gutenberg" in p.text or LICENCE in p.text),
            "section_words": section_lengths(book),
        }
    # No sentence ends at all (Ulysses' last chapter, danda-punctuated or unpunctuated texts).
    bare = "\n\n".join(" ".join(p.replace(".", "").replace("!", "").replace("?", "") for p in c.paragraphs)
                       for c in chapters)
    out["plain/no-sentence-ends"] = {"section_words": section_lengths(read_book(bare.encode(), "bare.txt"))}
    return out


def section_lengths(book: Any) -> dict[str, int]:
    words = [s.words for s in book.sections if s.words]
    target = target_words()
    over = sum(1 for w in words if w > 2 * target)
    return {"max": max(words, default=0), "target": target, "over_2x": over}


def quality() -> dict[str, Any]:
    chapters = fixture_chapters(chapters=4)
    return {**generated(chapters), **latex(chapters), **plain(chapters), **real()}


if __name__ == "__main__":
    import json

    print(json.dumps(quality(), indent=2, ensure_ascii=False))
