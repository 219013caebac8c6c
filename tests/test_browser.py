"""The participant site in a real browser: Debian's Chromium driven by Playwright, on 127.0.0.1."""

import functools
import http.server
import re
import shutil
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

from conftest import REPO

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic"]
SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def server(built_workbooks):
    handler = functools.partial(_QuietHandler, directory=str(built_workbooks / "site"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make system-deps` as root "
                    "(or apt-get install chromium) before the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    context.close()


def test_navigate_from_home_to_a_worksheet_and_download_the_workbook(page, server, tmp_path):
    page.goto(server)
    page.get_by_role("link", name="Topics", exact=True).first.click()
    page.wait_for_url(re.compile(r"/topics/$"))
    page.locator("article").get_by_role("link", name="Management", exact=True).click()
    page.wait_for_url(re.compile(r"/topics/management/$"))
    page.locator("article").get_by_role("link", name="Handing Work Over").click()
    page.wait_for_url(re.compile(r"/modules/first-module/$"))
    page.locator("article").get_by_role("link", name="Session 1: Exploration").click()
    page.wait_for_url(re.compile(r"/modules/first-module/session-1/$"))
    worksheet = page.locator("#worksheet-task-list")
    worksheet.scroll_into_view_if_needed()
    assert worksheet.is_visible()
    worksheet.locator("textarea").first.fill("Weekly rota")  # the form takes writing
    with page.expect_download() as download:
        page.locator("article").get_by_role("link", name=re.compile("participant workbook")).click()
    saved = tmp_path / "workbook.pdf"
    download.value.save_as(saved)
    from pypdf import PdfReader

    assert saved.read_bytes().startswith(b"%PDF") and len(PdfReader(saved).pages) > 5


def search(page, server, query):
    page.goto(server)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    # Typed key by key, as a person would: Material searches on keyboard events.
    page.locator("input.md-search__input").press_sequentially(query, delay=30)
    meta = page.locator(".md-search-result__meta")
    page.wait_for_function("() => /matching|No matching/.test("
                           "document.querySelector('.md-search-result__meta').textContent)")
    return meta.inner_text(), [a.get_attribute("href") for a in page.locator(".md-search-result__link").all()]


def test_search_finds_participant_text_and_not_facilitator_text(page, server):
    meta, links = search(page, server, "PARTBODY-5e5e")
    assert any("modules/first-module/session-1/" in (link or "") for link in links), (meta, links)
    meta, links = search(page, server, "FACKEY-7777")
    assert links == [] and "No matching documents" in meta, (meta, links)


@pytest.mark.parametrize("path", ["", "topics/", "modules/first-module/", "modules/first-module/session-1/"])
def test_pages_request_nothing_off_the_machine_and_pass_axe(page, server, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(server + path)
    page.wait_for_load_state("networkidle")
    outside = [url for url in page.requests if not url.startswith(server) and not url.startswith("data:")]
    assert outside == []
    results = Axe().run(page)
    serious = [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []


@pytest.mark.parametrize("path", ["", "topics/", "modules/first-module/", "modules/first-module/session-1/"])
def test_screenshots_at_desktop_and_phone_width(browser, server, path):
    folder = REPO / "build" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    name = path.strip("/").replace("/", "-") or "home"
    for screen, size in SCREENS.items():
        context = browser.new_context(viewport=size)
        page = context.new_page()
        page.goto(server + path)
        target = folder / f"{name}-{screen}.png"
        page.screenshot(path=str(target), full_page=True)
        context.close()
        assert target.stat().st_size > 10_000


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if attributes.get("name") and tag == "a":
            self.ids.add(attributes["name"])
        for key in ("href", "src"):
            if attributes.get(key) and not (tag == "link" and attributes.get("rel") in ("canonical",)):
                self.links.append(attributes[key])


def broken_links(site: Path) -> list[str]:
    parsed = {}
    for page in site.rglob("*.html"):
        parser = _Links()
        parser.feed(page.read_text())
        parsed[page] = parser
    broken = []
    for page, parser in parsed.items():
        base = "http://site/" + page.relative_to(site).as_posix()
        for link in parser.links:
            if link.startswith(("http://", "https://", "mailto:", "data:", "javascript:")) and \
                    not link.startswith("http://127.0.0.1:8000/"):
                continue
            url = urlparse(urljoin(base, link.replace("http://127.0.0.1:8000/", "/")))
            target = site / unquote(url.path).lstrip("/")
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)} → {link}")
            elif url.fragment and target.suffix == ".html" and url.fragment not in (
                    parsed[target].ids if target in parsed else set()):
                broken.append(f"{page.relative_to(site)} → {link} (no such anchor)")
    return broken


def test_no_broken_internal_links_or_anchors(built_workbooks):
    assert broken_links(built_workbooks / "site") == []


@pytest.fixture(scope="module")
def shipped_site(shipped_workbooks) -> Path:
    """The shipped catalog's participant site: the one build of it that tests/test_page_fill.py also reads."""
    return shipped_workbooks / "site"


def test_the_shipped_catalog_builds_with_no_broken_links(shipped_site):
    assert broken_links(shipped_site) == []


@pytest.mark.parametrize("which", ["fixture", "shipped"])
def test_axe_finds_nothing_on_any_page(browser, built_workbooks, shipped_site, which):
    """Every HTML page, all impacts: Material's own markup included (see overrides/partials)."""
    from axe_playwright_python.sync_playwright import Axe

    site = built_workbooks / "site" if which == "fixture" else shipped_site
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    axe, page, found = Axe(), browser.new_page(), []
    try:
        for path in sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")):
            page.goto(base + path)
            found += [f"{path}: {v['id']} ({v['impact']}, {len(v['nodes'])} nodes)"
                      for v in axe.run(page).response["violations"]]
    finally:
        page.close()
        httpd.shutdown()
    assert found == []


def test_session_clock_runs_the_agenda_offline_and_passes_axe(page, server):
    from axe_playwright_python.sync_playwright import Axe

    page.clock.install()
    page.goto(server + "modules/first-module/session-1/")
    page.click("text=Session clock")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("modules/first-module/session-1-clock/")
    assert [url for url in page.requests if not url.startswith(server) and not url.startswith("data:")] == []
    violations = [f"{v['id']} ({v['impact']})" for v in Axe().run(page).response["violations"]]
    assert violations == []
    clock = page.locator(".pp-clock")
    assert clock.locator(".pp-clock-title").inner_text() == "Check-in"
    assert clock.locator(".pp-clock-left").inner_text() == "10:00"
    assert "PARTMETHOD-1e1e" in clock.locator(".pp-clock-method").inner_text()
    clock.locator(".pp-clock-toggle").click()
    page.clock.run_for(61_000)
    assert clock.locator(".pp-clock-left").inner_text() == "8:59"
    assert clock.locator(".pp-clock-toggle").inner_text() == "Pause"
    page.clock.run_for(9 * 60_000)
    assert clock.locator(".pp-clock-left").inner_text() == "−0:01"  # over time shows, and counts on
    assert "pp-clock-over" in clock.get_attribute("class")
    clock.locator(".pp-clock-forward").click()
    assert clock.locator(".pp-clock-title").inner_text() == "Stories and framework"
    assert clock.locator(".pp-clock-left").inner_text() == "75:00"
    assert clock.locator(".pp-clock-next").inner_text() == "Next: Evaluation (5 min)"
    page.context.set_offline(True)  # once loaded, the clock needs nothing from anywhere
    page.clock.run_for(60_300)  # the display updates on a quarter-second tick
    assert clock.locator(".pp-clock-left").inner_text() == "74:00"
    page.clock.run_for(74 * 60_000 + 300)  # the rest of the 90 minutes, item by item
    assert clock.locator(".pp-clock-left").inner_text() == "0:00"
    clock.locator(".pp-clock-forward").click()
    assert clock.locator(".pp-clock-title").inner_text() == "Evaluation"
    assert clock.locator(".pp-clock-next").inner_text() == "Last item"
    assert clock.locator(".pp-clock-forward").is_disabled()
    page.clock.run_for(5 * 60_000 + 300)
    assert clock.locator(".pp-clock-left").inner_text() == "0:00"
    assert clock.locator(".pp-clock-step").inner_text() == "Item 3 of 3"
    page.context.set_offline(False)
