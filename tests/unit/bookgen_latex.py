"""Known paragraphs typeset by real LaTeX (Debian's texlive, `pdflatex`): the layouts most PDFs
people read come from. Shared by the unit tests (tests/unit/test_layout_latex.py) and the
benchmark (bench/ingest_quality.py); needs `pdflatex` (scripts/setup.sh --tests installs it), so
it cannot run inside Pyodide.

Every layout keeps LaTeX's defaults where they hurt PDF reading: folios low on the page, running
heads that change with the section, TeX's own hyphenation and justification, ligatures (fi, fl,
ff), footnotes under a rule, first paragraphs after a heading not indented.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.unit.bookgen import Chapter, Typeset


@dataclass(frozen=True)
class LatexLayout:
    name: str
    preamble: str  # \documentclass and what the layout needs before \begin{document}
    chapter: str = r"\section*"  # the sectioning command of a chapter
    footnotes: bool = False


LATEX_LAYOUTS = [
    # The default article: plain page style, the folio centred low on the page.
    LatexLayout("article", r"\documentclass{article}"),
    # Running heads that change with the section, the folio in the head.
    LatexLayout("headings", "\\documentclass[twoside]{article}\n\\pagestyle{headings}"),
    LatexLayout("two-column", r"\documentclass[twocolumn]{article}"),
    LatexLayout("footnotes", r"\documentclass{article}", footnotes=True),
    # A novel: book class (running heads, chapters on new pages with their folio at the foot),
    # indented dialogue, many short paragraphs in a row.
    LatexLayout("book", r"\documentclass[openany]{book}", chapter=r"\chapter*"),
]

_ESCAPE = str.maketrans({"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{",
                         "}": r"\}", "~": r"\textasciitilde{}", "^": r"\^{}", "\\": r"\textbackslash{}"})


def have_pdflatex() -> bool:
    return shutil.which("pdflatex") is not None


def tex_source(chapters: list[Chapter], layout: LatexLayout) -> tuple[str, Typeset]:
    """The LaTeX source of a layout, and the truth it must read back as."""
    out = Typeset(b"", [], [], [], [])
    body = []
    notes = 0
    for chapter in chapters:
        head = chapter.title.upper()
        body.append(rf"{layout.chapter}{{{chapter.title}}}\markboth{{{head}}}{{{head}}}")
        out.truth.append(("heading", chapter.title))
        out.heads.append(head)
        for k, text in enumerate(chapter.paragraphs):
            tex = text.translate(_ESCAPE).replace("“", "``").replace("”", "''")
            tex = tex.replace("‘", "`").replace("’", "'").replace("—", "---")
            if layout.footnotes and k % 5 == 2:
                notes += 1
                note = f"A note on this paragraph: the editor's remark {k}."
                tex += rf"\footnote{{{note}}}"
                out.truth.append(("text", f"{text}{notes}"))
                out.truth.append(("footnote", f"{notes} {note}"))
            else:
                out.truth.append(("text", text))
            body.append(tex)
    source = "\n".join([layout.preamble, r"\begin{document}", "\n\n".join(body), r"\end{document}", ""])
    return source, out


def latex_typeset(chapters: list[Chapter], layout: LatexLayout) -> Typeset:
    """Compile with pdflatex in a scratch folder; the PDF and the truth."""
    source, out = tex_source(chapters, layout)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "book.tex").write_text(source, encoding="utf-8")
        done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "book.tex"],
                              cwd=tmp, capture_output=True, text=True, check=False)
        pdf = Path(tmp) / "book.pdf"
        if done.returncode or not pdf.exists():
            raise RuntimeError(f"pdflatex failed on layout {layout.name}: {done.stdout[-2000:]}")
        out.pdf = pdf.read_bytes()
    return out
