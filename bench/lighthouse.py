"""Lighthouse (npm `lighthouse`, a locked devDependency) on the built app, served on localhost, in
Debian's Chromium: the desktop and mobile presets, light and dark. Prints JSON: per preset and
theme the performance, accessibility and best-practices scores (0-100), CLS, LCP and TBT, the
findings that cost points, and how many requests left localhost (must be 0).

Targets (issue #16): performance >= 90 desktop and >= 75 mobile, CLS < 0.05, LCP < 2.5 s desktop,
accessibility 100. Lighthouse's own throttling is simulated (its defaults per preset), so the
numbers are comparable between runs on one machine; on 2 shared cores they still move by a few
points: `--runs N` reports the median of N.

    .venv/bin/python bench/lighthouse.py [--runs 1] [--preset desktop --preset mobile] [--theme light]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "tests"), str(ROOT)]

from conftest import CHROMIUM, CHROMIUM_ARGS, LOCAL_HOSTS, SUB_PATH  # noqa: E402
from serve import serve_in_thread  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices")
# Lighthouse's preset flags: mobile is its default (a phone's screen, simulated slow 4G and CPU).
PRESETS = {"desktop": ["--preset=desktop"], "mobile": []}
# Chromium's dark theme for prefers-color-scheme (checked: matchMedia says dark with this flag).
THEMES = {"light": [], "dark": ["--force-dark-mode"]}
METRICS = {
    "cls": "cumulative-layout-shift",
    "lcp_s": "largest-contentful-paint",
    "tbt_ms": "total-blocking-time",
    "fcp_s": "first-contentful-paint",
}


def run_lighthouse(url: str, preset: str, theme: str, keep: Path | None = None) -> dict:
    flags = [a for a in CHROMIUM_ARGS if a != "--autoplay-policy=no-user-gesture-required"]
    chrome_flags = " ".join(["--headless=new", *flags, *THEMES[theme]])
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        subprocess.run(
            [
                str(LIGHTHOUSE), url, *PRESETS[preset], f"--only-categories={','.join(CATEGORIES)}",
                f"--chrome-flags={chrome_flags}", "--output=json", f"--output-path={out}",
                "--quiet", "--no-enable-error-reporting", "--max-wait-for-load=60000",
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            timeout=300,
        )
        if keep:  # the whole report, for a closer look at a finding
            keep.mkdir(parents=True, exist_ok=True)
            (keep / f"{preset}-{theme}.json").write_text(out.read_text())
        return json.loads(out.read_text())


def summary(report: dict) -> dict:
    audits = report["audits"]
    scores = {name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES}
    numbers = {key: audits[audit]["numericValue"] for key, audit in METRICS.items()}
    numbers["lcp_s"] /= 1000
    numbers["fcp_s"] /= 1000
    requests = audits.get("network-requests", {}).get("details", {}).get("items", [])
    outside = sorted({r["url"] for r in requests
                      if r["url"].startswith("http") and urlsplit(r["url"]).hostname not in LOCAL_HOSTS})
    # What cost points: failed audits that carry weight in a category we score.
    refs = [ref for name in CATEGORIES for ref in report["categories"][name]["auditRefs"]]
    weighted = {ref["id"] for ref in refs if ref["weight"]}
    findings = sorted(
        f"{audit_id}: {audits[audit_id]['title']}"
        + (f" ({audits[audit_id]['displayValue']})" if audits[audit_id].get("displayValue") else "")
        for audit_id in weighted
        if audits[audit_id].get("score") is not None and audits[audit_id]["score"] < 0.9
    )
    return {**scores, **{k: round(v, 3) for k, v in numbers.items()}, "outside_requests": outside,
            "findings": findings}


def median_of(runs: list[dict]) -> dict:
    """The median of every number over the runs; the findings and outside requests of them all."""
    out: dict = {}
    for key, value in runs[0].items():
        if isinstance(value, list):
            out[key] = sorted({item for run in runs for item in run[key]})
        else:
            out[key] = statistics.median(run[key] for run in runs)
    return out


TARGETS = {"desktop": {"performance": 90, "lcp_s": 2.5}, "mobile": {"performance": 75}}


def meets(preset: str, result: dict) -> bool:
    target = TARGETS[preset]
    return (
        result["performance"] >= target["performance"]
        and result["lcp_s"] < target.get("lcp_s", float("inf"))
        and result["cls"] < 0.05
        and result["accessibility"] == 100
        and not result["outside_requests"]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--preset", action="append", choices=sorted(PRESETS))
    parser.add_argument("--theme", action="append", choices=sorted(THEMES))
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="the built app to serve")
    parser.add_argument("--keep", type=Path, help="a folder to keep the full reports in")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("node_modules/.bin/lighthouse is missing: run `npm ci`.")
    if not (args.dist / "index.html").exists():
        sys.exit(f"{args.dist} has no index.html: run `.venv/bin/python scripts/build.py`.")
    server, base = serve_in_thread({SUB_PATH: args.dist})
    results: dict = {}
    try:
        for preset in args.preset or list(PRESETS):
            for theme in args.theme or list(THEMES):
                url = base + SUB_PATH
                runs = [summary(run_lighthouse(url, preset, theme, args.keep)) for _ in range(args.runs)]
                result = median_of(runs)
                result["meets_targets"] = meets(preset, result)
                results[f"{preset}/{theme}"] = result
    finally:
        server.shutdown()
    print(json.dumps({"runs": args.runs, "lighthouse": lighthouse_version(), "results": results}, indent=1))


def lighthouse_version() -> str:
    return subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True).stdout.strip()


if __name__ == "__main__":
    main()
