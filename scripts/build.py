"""Assemble the deployable static folder `dist/` from the repo and locked registry packages.

Everything the page loads comes from this folder through relative URLs, so it can be served
from any sub-path (GitHub Pages serves https://user.github.io/<repo>/).

Inputs: node_modules/ (from `npm ci`, package-lock.json) and PyPI wheels pinned with hashes in
requirements/pyodide-wheels.txt. Wheels are cached in build/ so a rebuild needs no network.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
BUILD = ROOT / "build"
DIST = ROOT / "dist"

# Source folders and files copied verbatim into dist/.
APP_FILES = ["index.html", "main.py", "LICENSE"]
APP_DIRS = ["ui", "sound", "webllm_bridge", "prompts", "assets", "storage", "python_worker"]
# Python that the worker (python_worker/worker.js) unpacks into its Pyodide filesystem.
PY_PACKAGES = ["app", "prompts"]

# The service worker: source bundled with Workbox into dist/sw.js, with the precache manifest.
SERVICE_WORKER = ROOT / "service_worker" / "sw.js"
# Needed only on some machines, so cached on first use instead of downloaded by every visitor up
# front (the service worker still keeps them, and keeps them across versions while unchanged):
# the two LLM engines (web-llm 6.6 MB for WebGPU, wllama 9.1 MB for the CPU; a reader who loads a
# model has it offline from then on), the in-memory IndexedDB for browsers that refuse storage,
# the General MIDI instruments (8.7 MB, a piece needs one to three of them) and the drums no style
# plays (lazy_prefixes(); the styles' drums, 0.2 MB, are precached). A reader keeps every
# instrument for offline use with one button (ui/offline_panel.js); one never fetched plays as a
# synth stand-in offline (sound/).
LAZY_PREFIXES = (
    "vendor/web-llm/", "vendor/wllama/", "vendor/fake-indexeddb/", "vendor/soundfont/gm_",
    # micropip installs nothing in the page; only the Pyodide test runner uses it.
    "vendor/pyodide/micropip-",
)
# Precompressed copies (scripts/precompress.mjs) are for the host, never for the service worker.
PRECOMPRESSED = (".br", ".gz")
COMPRESS_CACHE = BUILD / "compressed"

PYODIDE_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm"]
# Standard-library modules a page in a browser never imports (mail and FTP clients, process
# pools, profilers, the web-server gateway, sqlite without its C module): Pyodide's stdlib zip
# ships without them, 0.29 MB less for every first visit. The REPL (_pyrepl) and pydoc stay:
# pdb imports them, and pytest imports pdb (the Pyodide test run is the check that this list is
# safe: tests/pyodide/).
STDLIB_UNUSED = frozenset({
    "multiprocessing", "xmlrpc", "wsgiref", "imaplib.py", "smtplib.py", "poplib.py", "ftplib.py",
    "mailbox.py", "webbrowser.py", "antigravity.py", "this.py", "__hello__.py", "__phello__",
    "tabnanny.py", "pyclbr.py", "modulefinder.py", "zipapp.py", "pty.py", "tty.py", "cProfile.py",
    "profile.py", "pstats.py", "trace.py", "sqlite3",
})


DATA_SCRIPT = re.compile(r'"data:text/javascript;base64,([A-Za-z0-9+/=]+)"')


def write_worklets_apart(bundle: Path, out: Path) -> int:
    """Copy Strudel's bundle with each inlined data: script written to worklets/<n>.js beside it
    and its literal replaced by that file's URL (resolved against the module, so it works under
    any sub-path). Returns how many were moved out."""
    text = bundle.read_text(encoding="utf-8")
    found = 0

    def to_file(match: re.Match[str]) -> str:
        nonlocal found
        found += 1
        name = f"worklet-{found}.js"
        (out / "worklets").mkdir(parents=True, exist_ok=True)
        (out / "worklets" / name).write_bytes(base64.b64decode(match.group(1)))
        return f'new URL("./worklets/{name}", import.meta.url).href'

    patched = DATA_SCRIPT.sub(to_file, text)
    out.mkdir(parents=True, exist_ok=True)
    (out / "index.mjs").write_text(patched, encoding="utf-8")
    return found


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dst)


def trim_stdlib(src: Path, dst: Path) -> None:
    """Pyodide's stdlib zip without STDLIB_UNUSED; entries keep their names and dates (the same
    input gives the same bytes)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename.split("/")[0] not in STDLIB_UNUSED:
                zout.writestr(info, zin.read(info), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)


def download_wheels(requirements: Path, dest: Path) -> list[Path]:
    """Fetch pure-Python wheels pinned by hash; reuse the cache when every pin is present."""
    dest.mkdir(parents=True, exist_ok=True)
    pins = [
        line.split("==")
        for line in requirements.read_text().splitlines()
        if "==" in line and not line.startswith((" ", "#"))
    ]
    wanted = {(name.strip().lower().replace("-", "_"), ver.split()[0]) for name, ver in pins}
    have = {
        (w.name.split("-")[0].lower(), w.name.split("-")[1]): w for w in dest.glob("*.whl")
    }
    if not wanted <= have.keys():
        subprocess.run(
            [
                sys.executable, "-m", "pip", "download", "-q", "--no-deps",
                "--only-binary=:all:", "--python-version", "3.14", "--implementation", "py",
                "--abi", "none", "--platform", "any", "--require-hashes",
                "-r", str(requirements), "-d", str(dest),
            ],
            check=True,
        )
        have = {
            (w.name.split("-")[0].lower(), w.name.split("-")[1]): w for w in dest.glob("*.whl")
        }
    return [have[key] for key in sorted(wanted)]


def localize_lock(lock_src: Path, wheels: list[Path], out_dir: Path) -> None:
    """Point pyodide-lock.json at our own copies of the wheels (Pyodide's rebuilt hashes differ)."""
    lock = json.loads(lock_src.read_text())
    packages = lock["packages"]
    for wheel in wheels:
        name = wheel.name.split("-")[0].lower().replace("_", "-")
        version = wheel.name.split("-")[1]
        copy(wheel, out_dir / wheel.name)
        with zipfile.ZipFile(wheel) as zf:
            top = sorted(
                {n.split("/")[0] for n in zf.namelist() if not n.split("/")[0].endswith(".dist-info")}
            )
        entry = packages.get(name) or {
            "name": name,
            "package_type": "package",
            "install_dir": "site",
            "depends": [],
            "imports": [t.removesuffix(".py") for t in top],
            "unvendored_tests": False,
            "shared_library": False,
        }
        entry.update(version=version, file_name=wheel.name, sha256=sha256(wheel))
        packages[name] = entry
    # The lock lists only what this folder serves (112 KB -> 1 KB, read by every visit): the other
    # 350 entries name wheels we do not ship, so loading one of them could only fail.
    shipped = {wheel.name.split("-")[0].lower().replace("_", "-") for wheel in wheels}
    lock["packages"] = {name: entry for name, entry in packages.items() if name in shipped}
    (out_dir / "pyodide-lock.json").write_text(json.dumps(lock, separators=(",", ":")))


def zip_python(dest: Path) -> None:
    """One zip of the app's Python and data; the Python worker unpacks it into its Pyodide."""
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for pkg in PY_PACKAGES:
            for path in sorted((ROOT / pkg).rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                    zf.write(path, path.relative_to(ROOT).as_posix())


def esbuild(entry: Path, out: Path, *options: str, bundle: bool = True) -> None:
    """Bundle an npm package (or our source using one) into one browser file; with bundle=False,
    only rewrite one module (its syntax left as new as it was)."""
    bundling = ["--bundle", "--platform=browser", "--target=es2020"] if bundle else []
    subprocess.run(
        [
            str(NODE / ".bin" / "esbuild"), str(entry), *bundling, "--minify-syntax",
            "--log-level=warning", f"--outfile={out}", *options,
        ],
        check=True,
    )


def lazy_prefixes() -> tuple[str, ...]:
    """LAZY_PREFIXES and the kit's drums that no style plays (scripts/music_assets.py)."""
    from music_assets import drums_no_style_plays

    return LAZY_PREFIXES + tuple(f"vendor/soundfont/{name}/" for name in drums_no_style_plays())


def precache_manifest(dist: Path) -> tuple[list[dict], list[dict], str]:
    """Every file of the build with its content hash: those precached, those cached on first use
    ({url, revision}), and a version."""
    manifest, lazy = [], []
    lazy_prefixes_ = lazy_prefixes()
    for path in sorted(p for p in dist.rglob("*") if p.is_file()):
        rel = path.relative_to(dist).as_posix()
        if rel == "sw.js" or rel.endswith(PRECOMPRESSED):
            continue
        digest = hashlib.sha256(path.read_bytes())
        if rel.startswith(lazy_prefixes_):
            # Lazy files are versioned too: a changed web-llm changes the version, and the
            # service worker carries a kept file over to a new version only if its revision holds.
            lazy.append({"url": rel, "revision": digest.hexdigest()[:16]})
        else:
            manifest.append(
                {
                    "url": rel,
                    "revision": digest.hexdigest()[:16],
                    # Subresource integrity: the service worker caches exactly these bytes.
                    "integrity": "sha256-" + base64.b64encode(digest.digest()).decode(),
                }
            )
    version = hashlib.sha256(json.dumps([manifest, lazy]).encode()).hexdigest()[:12]
    return manifest, lazy, version


def precompress(dist: Path) -> dict:
    """Brotli and gzip copies beside the files (scripts/precompress.mjs); returns its summary."""
    done = subprocess.run(
        ["node", str(ROOT / "scripts" / "precompress.mjs"), str(dist), str(COMPRESS_CACHE)],
        check=True, capture_output=True, text=True,
    )
    return dict(json.loads(done.stdout))


def build_service_worker(dist: Path) -> None:
    manifest, lazy, version = precache_manifest(dist)
    out = dist / "sw.js"
    esbuild(SERVICE_WORKER, out, "--format=iife", "--minify", "--define:process.env.NODE_ENV=\"production\"")
    code = out.read_text()
    for placeholder, value in {
        "self.__BM_PRECACHE": manifest,
        "self.__BM_LAZY": lazy,
        "self.__BM_VERSION": version,
    }.items():
        if code.count(placeholder) != 1:
            sys.exit(f"service worker: expected {placeholder} once in the bundle")
        code = code.replace(placeholder, json.dumps(value))
    out.write_text(code)


def build(dist: Path) -> dict:
    if not NODE.exists():
        sys.exit("node_modules/ is missing: run `npm ci` first (make setup does it).")
    if dist.exists():
        shutil.rmtree(dist)
    dist.mkdir(parents=True)
    vendor = dist / "vendor"

    for name in APP_FILES:
        if (ROOT / name).exists():
            copy(ROOT / name, dist / name)
    for name in APP_DIRS:
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, dist / name, ignore=shutil.ignore_patterns("__pycache__"))
    zip_python(dist / "bookmusic_py.zip")
    # Text at first paint: the sample's first section, drawn by the Python that draws it later.
    from first_paint import write_first_paint

    write_first_paint(dist / "index.html")

    # Pyodide runtime plus a lock rewritten so every package we use loads from our folder.
    pyodide_dir = vendor / "pyodide"
    for name in PYODIDE_FILES:
        copy(NODE / "pyodide" / name, pyodide_dir / name)
    trim_stdlib(NODE / "pyodide" / "python_stdlib.zip", pyodide_dir / "python_stdlib.zip")
    wheels = download_wheels(ROOT / "requirements/pyodide-wheels.txt", BUILD / "wheels")
    localize_lock(NODE / "pyodide/pyodide-lock.json", wheels, pyodide_dir)

    # Strudel: one self-contained ES module plus its clock worker. Its audio worklets come inlined as
    # data: URLs, which the page's Content-Security-Policy (script-src 'self') refuses: every
    # worklet effect (.shape, ...) left its layer silent. They ship as files of the site instead.
    strudel = NODE / "@strudel/web/dist"
    write_worklets_apart(strudel / "index.mjs", vendor / "strudel")
    # Its bundle comes formatted for reading (0.75 MB, every visitor precaches it): spaces and
    # line breaks out, names kept (Strudel finds its functions by name when it evaluates a piece).
    bundle = vendor / "strudel" / "index.mjs"
    esbuild(bundle, bundle, "--format=esm", "--minify-whitespace", "--allow-overwrite", bundle=False)
    for src in (strudel / "assets").iterdir():
        copy(src, vendor / "strudel" / "assets" / src.name)

    # LLM engines, loaded lazily by webllm_bridge/.
    copy(NODE / "@mlc-ai/web-llm/lib/index.js", vendor / "web-llm" / "index.js")
    copy(NODE / "@wllama/wllama/esm/index.js", vendor / "wllama" / "index.js")
    copy(NODE / "@wllama/wllama/esm/wasm/wllama.wasm", vendor / "wllama" / "wllama.wasm")

    # Music: the page's facts (sound/facts.json, from app/seam.py), the converted GM instruments.
    from music_assets import build_music_assets

    build_music_assets(dist)

    # The code view's editor (CodeMirror 6): one ES module, imported by ui/code_editor.js after
    # the first paint, so the page and Python do not wait for it.
    editor = vendor / "codemirror" / "index.js"
    esbuild(ROOT / "scripts" / "codemirror.js", editor, "--format=esm", "--minify")

    # In-memory IndexedDB for browsers that refuse storage (storage/boot.js loads it only then).
    esbuild(NODE / "fake-indexeddb/auto/index.mjs", vendor / "fake-indexeddb" / "auto.js", "--format=esm")

    # Last: the service worker's precache manifest lists everything built above, and every file
    # (sw.js included) gets its precompressed copies.
    build_service_worker(dist)
    compressed = precompress(dist)

    # Wheels that only the in-browser test runner needs live outside dist/.
    download_wheels(ROOT / "requirements/pyodide-test-wheels.txt", BUILD / "test-wheels")

    files = [p for p in dist.rglob("*") if p.is_file()]
    plain = [p for p in files if not p.name.endswith(PRECOMPRESSED)]
    return {"dist": str(dist), "files": len(plain), "bytes": sum(p.stat().st_size for p in plain),
            "brotli_bytes": compressed["br_served_bytes"], "gzip_bytes": compressed["gz_served_bytes"],
            "code_editor_bytes": editor.stat().st_size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DIST)
    args = parser.parse_args()
    print(json.dumps(build(args.out)))


if __name__ == "__main__":
    main()
