"""The page boots from our own files only, Python runs, and page and Python talk both ways."""

import json


def test_python_boots_and_renders_the_sample_story(app):
    # Python called into the page: the sample story is rendered from Python's sections.
    sections = app.locator("#reader .section")
    assert sections.count() >= 4
    assert "Lighthouse" in app.locator("#reader h2").first.inner_text()
    assert app.locator("#play").is_enabled()
    assert app.console_errors == []


def test_page_calls_python_and_gets_an_answer(app):
    text = "# One\n\n" + "calm sea " * 200 + "\n\n# Two\n\nstorm thunder " * 1
    result = app.evaluate("(t) => window.bookmusic.segmentText(t)", text)
    sections = json.loads(result)
    assert [s["chapter"] for s in sections] == [0, 0, 1] or len(sections) >= 2
    assert all(len(s["id"]) == 16 for s in sections)
    # Different text, different ids: computed by app.segment, not a constant.
    again = json.loads(app.evaluate("(t) => window.bookmusic.segmentText(t)", text + " more"))
    assert again[-1]["id"] != sections[-1]["id"]


def test_served_under_a_sub_path_with_relative_urls(app, site):
    assert app.url.startswith(site)
    # Every resource the page loaded came from under the sub-path.
    urls = app.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert urls, "no resources recorded"
    assert all(u.startswith(site) for u in urls), [u for u in urls if not u.startswith(site)]


def test_the_outside_request_guard_really_catches_requests(context, site):
    # The guard every e2e test relies on: prove it records (and blocks) a request off this machine.
    # (From a page of ours without the app's Content-Security-Policy, which would stop the fetch
    # before the guard sees it: test_csp.py covers that layer.)
    page = context.new_page()
    page.goto(site + "assets/icon.svg")
    page.evaluate("fetch('https://example.org/x').catch(() => null)")
    page.wait_for_timeout(200)
    assert context.outside_requests == ["https://example.org/x"]
    context.outside_requests.clear()  # the record was the point of this test


def test_the_page_reads_its_facts_from_python(app):
    """sound/facts.json is app/seam.py's page_facts() (plus the shipped instruments' sample map),
    and the page's modules use it: the Python ports' JS modules are the ones python_worker/ports.js names."""
    from app.seam import page_facts
    from app.strudel.subset import GM_DRUMS, GM_SOUNDS

    facts = app.evaluate("window.bookmusic.facts")
    gm = facts.pop("gm")
    assert json.loads(json.dumps(page_facts())) == facts
    assert sorted(gm["map"]) == sorted(GM_SOUNDS + GM_DRUMS)  # the instruments and the sampled kit
    assert set(gm["map"]) <= set(facts["sounds"]) and set(GM_DRUMS) <= set(facts["drums"])
    assert app.evaluate("window.bookmusic.modes.midiOut.DRUM_KEYS") == facts["drum_keys"]
    picker_groups = app.evaluate("[...document.querySelectorAll('#model optgroup')].map((g) => g.label)")
    assert set(picker_groups) <= set(facts["engine_names"].values())
    assert app.input_value("#wpm") == str(facts["default_wpm"])
