"""The app's unit tests, run again inside Pyodide in Chromium: `app/` must work in the browser too."""

import base64
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CARRIED = ["app", "prompts", "tests/unit", "tests/fixtures"]


def collect_files() -> dict[str, str]:
    files = {}
    for folder in CARRIED:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                files[path.relative_to(ROOT).as_posix()] = base64.b64encode(path.read_bytes()).decode()
    return files


def test_unit_tests_pass_inside_pyodide(page, site):
    base = site.split("/bookmusic/")[0]
    page.goto(f"{base}/pyodide-runner/runner.html")
    page.wait_for_function("window.runnerReady === true")
    wheels = sorted(p.name for p in (ROOT / "build/test-wheels").glob("*.whl"))
    if not wheels:
        pytest.fail("build/test-wheels is empty: run scripts/build.py")
    result = page.evaluate(
        "(opts) => window.runPyodideTests(opts)",
        {
            "indexURL": f"{site}vendor/pyodide/",
            "wheels": [f"{base}/test-wheels/{w}" for w in wheels],
            "files": collect_files(),
            "args": ["-q", "-p", "no:cacheprovider", "tests/unit"],
        },
    )
    print(result["out"])
    assert result["version"].startswith("0.") or result["version"]
    assert result["code"] == 0, result["out"][-4000:]
    assert " passed" in result["out"]
