"""Deployment smoke test: the built folder served under /bookmusic/, as GitHub Pages serves a
project site. Everything loads from under that path, nothing is missing, the service worker is
scoped to it, and the app plays."""

from test_sound import wait_level

from tests.conftest import ROOT

OFFLINE_READY = "document.documentElement.dataset.offlineReady === '1'"


def test_smoke_under_the_pages_sub_path(page, site):
    assert site.endswith("/bookmusic/")
    requests, bad = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("response", lambda r: r.status >= 400 and bad.append(f"{r.status} {r.url}"))
    page.goto(site)
    page.wait_for_function("document.documentElement.dataset.pyReady === '1'", timeout=60_000)
    page.wait_for_function(OFFLINE_READY, timeout=60_000)
    page.click("#play")
    assert wait_level(page, above=0.01, timeout=20_000) > 0.01

    assert bad == []
    http = [u for u in requests if u.startswith("http")]
    assert http and all(u.startswith(site) for u in http), [u for u in http if not u.startswith(site)]
    scope = page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.scope)")
    assert scope == site
    # The precache holds the app's files, all under the sub-path.
    cached = page.evaluate(
        """async () => {
            const names = await caches.keys();
            const cache = await caches.open(names.find((n) => n.startsWith('workbox-precache')));
            return (await cache.keys()).map((r) => r.url);
        }"""
    )
    assert cached and all(u.startswith(site) for u in cached)
    assert any(u.split("?")[0] == site + "index.html" for u in cached)
    assert page.console_errors == []


def test_pages_workflow_builds_with_the_project_build_and_publishes_dist():
    workflow = (ROOT / ".github/workflows/pages.yml").read_text()
    assert "./scripts/setup.sh" in workflow  # the same setup + scripts/build.py as `make serve`
    assert "actions/upload-pages-artifact" in workflow and "path: dist" in workflow
    assert "actions/deploy-pages" in workflow
    assert "pages: write" in workflow and "id-token: write" in workflow
