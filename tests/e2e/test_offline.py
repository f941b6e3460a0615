"""After one visit the app works with no network (service worker precache), and a new deploy
replaces the old one cleanly: the page runs one version or the other, never a mix."""

import json
import shutil
import time
import zipfile

import pytest
from build import build_service_worker, precache_manifest, precompress
from music_assets import drums_no_style_plays
from serve import serve_in_thread
from test_persistence import READY, at_section, read_to, reload, wait_kept
from test_sound import wait_level

from tests.conftest import ROOT, SUB_PATH

OFFLINE_READY = "document.documentElement.dataset.offlineReady === '1'"
MODEL = "SmolLM2-135M-Instruct.Q4_1.gguf"


def go_offline_and_reload(page):
    failed = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.context.set_offline(True)
    reload(page)
    return failed


def test_precache_manifest_lists_every_built_file_with_its_hash():
    dist = ROOT / "dist"
    manifest, lazy, version = precache_manifest(dist)
    urls = {entry["url"] for entry in manifest}
    lazy_urls = {entry["url"] for entry in lazy}
    built = {p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file()}
    plain = {u for u in built if not u.endswith((".br", ".gz"))}
    assert urls | lazy_urls == plain - {"sw.js"}
    assert {"index.html", "main.py", "python_worker/worker.js", "bookmusic_py.zip"} <= urls
    assert any(u.endswith("pyodide.asm.wasm") for u in urls)
    assert any(u.startswith("vendor/strudel/") for u in urls)
    # Cached on first use, not by every visitor: the engines, the stand-in IndexedDB, the GM
    # instruments (a piece needs one to three), micropip (only the Pyodide test run installs with
    # it) and the drums no style plays (a model may still write them). The styles' drums are
    # precached.
    assert {u for u in lazy_urls if not u.startswith("vendor/soundfont/gm_")} == {
        "vendor/fake-indexeddb/auto.js", "vendor/web-llm/index.js", "vendor/wllama/index.js",
        "vendor/wllama/wllama.wasm", "vendor/pyodide/micropip-0.11.1-py3-none-any.whl",
        "vendor/soundfont/cr/49.ogg", "vendor/soundfont/ht/50.ogg", "vendor/soundfont/oh/46.ogg",
    }
    assert drums_no_style_plays() == ["cr", "ht", "oh"]
    assert any(u.startswith("vendor/soundfont/gm_piano/") for u in lazy_urls)
    assert not [u for u in urls if u.startswith("vendor/soundfont/gm_")]
    for drum in ("bd", "sd", "hh", "rim", "rd", "cp", "lt"):
        assert any(u.startswith(f"vendor/soundfont/{drum}/") for u in urls), drum
    # Pyodide's lock names only the wheels this build serves; its stdlib has no mail clients.
    lock = json.loads((dist / "vendor/pyodide/pyodide-lock.json").read_text())
    assert set(lock["packages"]) == {"micropip", "pypdf"}
    with zipfile.ZipFile(dist / "vendor/pyodide/python_stdlib.zip") as stdlib:
        names = {n.split("/")[0] for n in stdlib.namelist()}
    assert {"smtplib.py", "multiprocessing"}.isdisjoint(names) and {"json", "pdb.py", "_pyrepl"} <= names
    assert all(len(entry["revision"]) == 16 for entry in lazy)
    # What a first visit precaches stays under the 16 MB a reader should download up front.
    assert sum((dist / u).stat().st_size for u in urls) < 16e6
    # The app's Python runs in its own Pyodide worker: no PyScript is shipped at all.
    assert not [u for u in built if "pyscript" in u]
    # Precompressed copies for hosts that serve them; never precached (the plain file is).
    assert {"vendor/pyodide/pyodide.asm.wasm.br", "vendor/pyodide/pyodide.asm.wasm.gz"} <= built
    assert (dist / "vendor/pyodide/pyodide.asm.wasm.br").stat().st_size < 0.4 * (
        dist / "vendor/pyodide/pyodide.asm.wasm").stat().st_size
    assert not [u for u in built if u.endswith((".whl.br", ".zip.br"))]  # compressed already: no copy
    sw = (dist / "sw.js").read_text()
    assert version in sw and json.dumps(manifest) in sw
    assert "__BM_" not in sw


def test_boots_offline_reopens_the_last_book_in_place_and_plays(app, tmp_path):
    app.wait_for_function(OFFLINE_READY, timeout=60_000)
    book = tmp_path / "journey.md"
    book.write_text("\n\n".join(["The train left the calm station in the quiet morning. " * 30] * 6))
    app.set_input_files("#file", str(book))
    app.wait_for_function("document.title.startsWith('journey')")
    read_to(app, 2)
    wait_kept(app, at_section(2))

    failed = go_offline_and_reload(app)
    assert app.title().startswith("journey")
    assert app.evaluate("window.bookmusic.ui.state.current") == 2
    assert "back at section 3" in app.inner_text("#status")
    # Music from the instant composer, with Strudel loaded for the first time while offline.
    app.click("#play")
    assert wait_level(app, above=0.01, timeout=30_000) > 0.01
    assert "Section 3" in app.inner_text("#now-meta")
    assert failed == [], f"requests that needed the network: {failed}"
    assert app.console_errors == []


def kept_instruments(page) -> dict:
    return page.evaluate("window.bookmusic.offline.instrumentsKept()")


def wait_until(check, timeout_s=30.0):
    end = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.2)


def test_instruments_are_kept_on_first_use_a_synth_stands_in_offline_and_all_can_be_kept(app):
    app.wait_for_function(OFFLINE_READY, timeout=60_000)
    failed = []
    app.on("requestfailed", lambda r: failed.append(r.url))
    first = kept_instruments(app)
    assert first["kept"] < first["total"] >= 24 and first["missingBytes"] > 5e6

    # Online: a piece fetches its instrument, and the service worker keeps it.
    app.evaluate("(code) => window.bookmusic.sound.play(code)", 'note("c4 e4 g4 c5").s("gm_piano")')
    assert wait_level(app, above=0.005, timeout=30_000) > 0.005
    wait_until(lambda: kept_instruments(app)["kept"] == first["kept"] + 1)
    app.evaluate("window.bookmusic.sound.stop()")

    # Offline, an instrument never kept plays as a synth stand-in, says so, and asks for nothing.
    app.context.set_offline(True)
    app.evaluate("(code) => window.bookmusic.sound.play(code)", 'note("c4 e4 g4 c5").s("gm_flute")')
    assert wait_level(app, above=0.005, timeout=30_000) > 0.005
    assert app.evaluate("window.bookmusic.sound.standInSounds()") == ["gm_flute"]
    assert "flute was never kept; a synth plays its part" in app.inner_text("#status")
    app.evaluate("window.bookmusic.sound.stop()")

    # Back online, one button keeps them all; then offline the flute plays itself.
    app.context.set_offline(False)
    app.click("#offline-panel summary")
    button = app.locator("#keep-instruments")
    button.wait_for()
    assert " MB)" in button.inner_text()
    button.click()
    app.wait_for_function(
        "/Every instrument is kept/.test(document.getElementById('status').textContent)", timeout=120_000,
    )
    assert kept_instruments(app)["kept"] == first["total"]
    app.wait_for_function("document.getElementById('keep-instruments').hidden")
    assert "All " in app.inner_text("#instruments-count")

    app.context.set_offline(True)
    app.evaluate("(code) => window.bookmusic.sound.play(code)", 'note("c4 e4 g4 c5").s("gm_flute")')
    assert wait_level(app, above=0.005, timeout=30_000) > 0.005
    assert app.evaluate("window.bookmusic.sound.standInSounds()") == []
    assert [u for u in failed if "soundfont" in u] == []
    assert app.console_errors == []


def test_cpu_model_runs_offline_from_the_engine_cache(app, site):
    """wllama's runtime comes from the precache; the model from wllama's own cache (not ours)."""
    if not (ROOT / "build/models" / MODEL).exists():
        pytest.fail("test model missing: run scripts/fetch_test_models.py (make test does)")
    app.wait_for_function(OFFLINE_READY, timeout=60_000)
    model_url = site.split(SUB_PATH)[0] + "/models/" + MODEL
    script = """async (url) => {
        const { Wllama } = await import('./vendor/wllama/index.js');
        const wllama = new Wllama({ default: new URL('./vendor/wllama/wllama.wasm', location.href).href },
                                  { suppressNativeLog: true, allowOffline: true });
        wllama.setCompat(null);
        await wllama.loadModelFromUrl(url, { n_threads: 1, n_ctx: 256 });
        const out = await wllama.createCompletion({ prompt: 'The sea is', max_tokens: 6, temperature: 0 });
        await wllama.exit();
        return out.choices[0].text;
    }"""
    online = app.evaluate(script, model_url)
    assert online.strip()
    report = app.evaluate("window.bookmusic.offline.storageReport()")
    # The model is in the engine's storage, listed in the panel, and not in the app's precache.
    assert any(e["bytes"] > 50e6 for e in report["engineFiles"] + report["caches"] if e["kind"] != "app")
    app_cache = next(c for c in report["caches"] if c["kind"] == "app")
    assert app_cache["bytes"] < 40e6

    failed = go_offline_and_reload(app)
    offline = app.evaluate(script, model_url)
    assert offline == online  # same model, greedy sampling: the same words, with no network
    assert not [u for u in failed if "/bookmusic/" in u]

    # The storage panel shows the model with its size and removes it on request.
    app.click("#offline-panel summary")
    model_row = app.locator("#kept-list li[data-kind='engine'], #kept-list li[data-kind='model']").first
    model_row.wait_for()
    assert float(model_row.get_attribute("data-bytes")) > 50e6
    assert " MB" in model_row.inner_text()
    model_row.locator("button").click()
    app.wait_for_function(
        "!document.querySelector(\"#kept-list li[data-kind='engine'], #kept-list li[data-kind='model']\")"
    )
    assert app.locator("#kept-list li[data-kind='app']").count() == 1  # the app copy stays


def test_a_new_deploy_replaces_the_old_one_without_mixing(page, tmp_path):
    site_copy = tmp_path / "site"
    shutil.copytree(ROOT / "dist", site_copy)
    server, base = serve_in_thread({SUB_PATH: site_copy})
    try:
        page.goto(base + SUB_PATH)
        page.wait_for_function(READY, timeout=60_000)
        page.wait_for_function(OFFLINE_READY, timeout=60_000)
        old = page.evaluate("window.bookmusic.offline.state.version")
        # An instrument kept on first use (a file cached on first use, as the engines are).
        page.evaluate("(code) => window.bookmusic.sound.play(code)", 'note("c4 e4").s("gm_piano")')
        wait_until(lambda: kept_instruments(page)["kept"] == 1)
        page.evaluate("window.bookmusic.sound.stop()")

        # Deploy: one file changes, the build writes a new service worker.
        css = site_copy / "ui" / "style.css"
        css.write_text(css.read_text() + "\n/* deploy-2 */\n")
        build_service_worker(site_copy)
        precompress(site_copy)
        page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
        page.locator("#update-bar").wait_for(timeout=60_000)
        # The running page keeps its own version: the new file is not served to it.
        css_now = "fetch('./ui/style.css').then((r) => r.text())"
        assert "deploy-2" not in page.evaluate(css_now)

        with page.expect_navigation():
            page.click("#update-bar button")
        page.wait_for_function(READY, timeout=60_000)
        page.wait_for_function(OFFLINE_READY, timeout=60_000)
        new = page.evaluate("window.bookmusic.offline.state.version")
        assert new != old
        assert "deploy-2" in page.evaluate(css_now)
        # Old entries are gone: the app cache holds exactly the new manifest.
        report = page.evaluate("window.bookmusic.offline.storageReport()")
        app_caches = [c for c in report["caches"] if c["kind"] == "app"]
        assert len(app_caches) == 1
        assert app_caches[0]["entries"] == len(precache_manifest(site_copy)[0])
        # The instrument kept under the old version is carried over (its file did not change);
        # the old version's cache of such files is gone.
        extras = [c for c in report["caches"] if c["kind"] == "app-extra"]
        assert len(extras) == 1 and new in extras[0]["name"] and extras[0]["entries"] >= 10
        assert kept_instruments(page)["kept"] == 1
        # And the new version works offline.
        go_offline_and_reload(page)
        assert "deploy-2" in page.evaluate(css_now)
    finally:
        server.shutdown()
