"""The web app in a real browser: Playwright drives Debian's chromium against `despatch serve` on loopback.

The server is the real command, run as its own process on a free port of
127.0.0.1 over the session's corpus; the tests wait for it by polling until
it answers. They search, filter by a facet, open a document and a footnote,
follow a person, download the TEI, and make sure the document that quotes
`<script>` shows it as text with no dialog. Screenshots of the main pages go
to test-artifacts/screenshots/ for a person to look at.

No test skips: without chromium they fail and say that `.ci/run` installs it.
"""
from __future__ import annotations

import re
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from lxml import etree
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, expect, sync_playwright

from conftest import DESPATCH

from .conftest import SCREENSHOTS, SCRIPT, Known, chromium_path

TEI = "{http://www.tei-c.org/ns/1.0}"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
READY_WITHIN = 60.0  # seconds for `despatch serve` to answer; it is up in about one on the project's VM


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(corpus_db: Path) -> Iterator[str]:
    """`despatch serve` on a free loopback port, until the module's tests are done."""
    port = _free_port()
    proc = subprocess.Popen([str(DESPATCH), "serve", "--db", str(corpus_db), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + READY_WITHIN
    try:
        while True:
            if proc.poll() is not None:
                _, err = proc.communicate()
                pytest.fail(f"despatch serve exited with {proc.returncode}: {err.decode(errors='replace')}")
            try:
                if httpx2.get(base + "/api", timeout=2.0).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"despatch serve did not answer on {base} within {READY_WITHIN:.0f} s")
            # poll the port again soon; the loop ends as soon as the server answers
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watched:
    """A page with every dialog and every console error (a CSP violation is one) recorded."""

    def __init__(self, page: Page):
        self.page = page
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)


@pytest.fixture
def watched(browser: Browser, server: str) -> Iterator[Watched]:
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    w = Watched(page)
    yield w
    context.close()
    assert not w.dialogs, f"a dialog opened: {w.dialogs}"
    assert not w.errors, f"errors in the browser console: {w.errors}"


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_search_and_filter_by_a_facet(watched: Watched) -> None:
    page = watched.page
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search the documents")
    page.get_by_label(re.compile("^Words or")).fill("Vladivostok")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"q=Vladivostok"))
    heading = page.locator("#results-heading")
    expect(heading).to_contain_text("found")
    total = int(re.sub(r"\D", "", heading.inner_text().split(" ")[0]))
    assert total > 20
    expect(page.locator("ol.hits > li")).to_have_count(20)
    expect(page.locator("p.snippet mark").first).to_have_text(re.compile("Vladivostok", re.IGNORECASE))
    expect(page.locator("#histogram")).to_be_visible()
    shot(page, "search")

    sender = page.locator("section.facet", has=page.get_by_role("heading", name="Sender")).locator("li").first
    count = int(sender.locator(".count").inner_text())
    name = sender.locator("a").inner_text()
    sender.locator("a").click()
    page.wait_for_url(re.compile(r"sender="))
    expect(heading).to_have_text(re.compile(rf"^{count:,} documents? found"))
    expect(page.locator("ul.filter-chips")).to_contain_text(name)
    assert page.locator("ol.hits > li").count() == min(count, 20)


def test_open_a_document_and_a_footnote(watched: Watched, known: Known) -> None:
    page = watched.page
    page.goto("/?q=Burrows")
    page.locator("ol.hits > li h3 a").first.click()
    page.wait_for_url(re.compile(r"/documents/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Harriman")
    shot(page, "document")

    marker = page.locator("sup.fnref a", has_text="65")
    marker.click()
    pop = page.locator(".note-pop")
    expect(pop).to_be_visible()
    expect(pop).to_contain_text("Montagu Brocas Burrows")
    expect(marker).to_have_attribute("aria-expanded", "true")
    assert page.url.endswith(f"/documents/{known.example}")  # opened in place, no jump to the end
    shot(page, "document-footnote")
    page.keyboard.press("Escape")
    expect(pop).to_have_count(0)
    expect(marker).to_be_focused()


def test_footnotes_without_javascript_are_links_with_a_way_back(browser: Browser, server: str, known: Known) -> None:
    context = browser.new_context(base_url=server, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/documents/{known.example}")
    page.locator("sup.fnref a", has_text="64").click()
    page.wait_for_url(re.compile(r"#fn-"))
    note = page.locator("li.note:target")
    expect(note).to_contain_text("shuttle raiding bombers")
    note.get_by_role("link", name=re.compile("Back to the text")).click()
    page.wait_for_url(re.compile(r"#fnref-"))
    context.close()


def test_follow_a_person(watched: Watched, known: Known) -> None:
    page = watched.page
    page.goto(f"/documents/{known.example}")
    page.locator("div.body a.mention-person", has_text="Burrows").first.click()
    page.wait_for_url(re.compile(r"/entities/p-"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Burrows")
    expect(page.locator("p.kicker")).to_contain_text("Person")
    expect(page.locator("ol.hits a").first).to_be_visible()
    shot(page, "person")
    page.locator("ol.hits a").first.click()
    page.wait_for_url(re.compile(r"/documents/"))


def test_download_the_tei(watched: Watched, known: Known) -> None:
    page = watched.page
    page.goto(f"/documents/{known.example}")
    with page.expect_download() as info:
        page.get_by_role("link", name="TEI XML").click()
    download = info.value
    assert download.suggested_filename == f"{known.example}.xml"
    path = download.path()
    root = etree.parse(str(path)).getroot()
    assert root.tag == f"{TEI}TEI"
    head = "".join(root.find(f".//{TEI}div[@type='document']/{TEI}head").itertext())
    assert "Harriman" in head and "Roosevelt" in head
    assert root.findall(f".//{TEI}note")


def test_a_document_quoting_script_shows_it_as_text(watched: Watched, known: Known) -> None:
    page = watched.page
    page.goto(f"/documents/{known.hostile}")
    expect(page.get_by_text(SCRIPT).first).to_be_visible()
    shot(page, "document-script")
    assert page.locator("div.body script").count() == 0 and page.locator("img").count() == 0
    page.goto("/?q=onerror")
    expect(page.locator("p.snippet").first).to_contain_text("<img")
    assert watched.dialogs == []


def test_chronology_and_correspondents(watched: Watched) -> None:
    page = watched.page
    page.goto("/chronology")
    expect(page.locator("svg.calendar-chart")).to_be_visible()
    shot(page, "chronology")
    cell = page.locator("table.chronology-table td a").first
    count = int(cell.inner_text())
    cell.click()
    page.wait_for_url(re.compile(r"date_from="))
    expect(page.locator("#results-heading")).to_have_text(re.compile(rf"^{count:,} documents? found"))

    page.goto("/correspondents")
    expect(page.locator("svg.matrix-chart")).to_be_visible()
    shot(page, "correspondents")
    page.locator("svg.matrix-chart a").first.click()
    page.wait_for_url(re.compile(r"sender=.*recipient="))


def test_entity_index_and_a_place(watched: Watched, known: Known) -> None:
    page = watched.page
    page.goto("/entities?kind=place")
    shot(page, "index")
    page.goto(f"/entities/{known.place}")
    expect(page.locator("p.kicker")).to_contain_text("Place")
    shot(page, "place")


def test_keyboard_reaches_the_skip_link_first(watched: Watched) -> None:
    page = watched.page
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_a_bad_search_is_a_friendly_page(watched: Watched) -> None:
    page = watched.page
    page.goto("/")
    page.get_by_label(re.compile("^Words or")).fill("NOT Japan")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"q=NOT"))
    expect(page.get_by_role("alert")).to_contain_text("That search cannot be run")
    expect(page.get_by_label(re.compile("^Words or"))).to_have_value("NOT Japan")
    shot(page, "search-error")
    response = page.goto("/?q=" + "x" * 600)
    assert response is not None and response.status == 422
    expect(page.get_by_role("heading", level=1)).to_have_text("Cannot read this request")
    # the browser logs the 400 and the 422 themselves as failed loads; nothing else may be in the console
    watched.errors = [e for e in watched.errors if "status of 400" not in e and "status of 422" not in e]


def test_the_api_documentation_works_offline(watched: Watched, server: str) -> None:
    """/docs is Swagger UI served from this site: no request leaves the machine, and it lists the API."""
    page = watched.page
    elsewhere: list[str] = []
    page.on("request", lambda request: elsewhere.append(request.url) if not request.url.startswith(server) else None)
    page.goto("/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("despatch", ignore_case=True)
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any(p.startswith("/api/search") for p in paths) and any("/api/documents" in p for p in paths)
    assert elsewhere == []
    shot(page, "api-docs")
