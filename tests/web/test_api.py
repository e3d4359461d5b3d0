"""The web app through FastAPI's TestClient against a real SQLite corpus: every endpoint, its shape, its bounds.

Pages and API alike: 404 for unknown ids, 422 (a page or JSON saying why) for
parameters out of bounds, a friendly 400 for a malformed search, and never a
500 whatever a visitor sends. Document text is escaped everywhere, and no
request changes the corpus.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from fastapi.testclient import TestClient
from lxml import etree
from lxml import html as lxml_html

from despatch.corpus.api import FACETS
from despatch.web.params import MAX_OFFSET, MAX_PAGE_SIZE, MAX_QUERY
from despatch.writers.json import from_json

from .conftest import IMG, SCRIPT, Known, digest, words

TEI = "{http://www.tei-c.org/ns/1.0}"
PAGES = ["/", "/chronology", "/correspondents", "/entities"]


def assert_inert(body: str, context: object) -> None:
    """Whatever a document or a visitor put in, the page runs only its own script and loads nothing else."""
    assert "<script>alert" not in body and "<img" not in body, context
    root = lxml_html.fromstring(body)
    assert [s.get("src") for s in root.xpath("//script")] == ["/static/app.js"], context
    assert not root.xpath("//img|//iframe|//object|//embed"), context
    assert not root.xpath("//@*[starts-with(name(), 'on')]"), context
    for url in root.xpath("//@href|//@src|//@action"):
        assert url.startswith(("/", "#", "http://testserver/", "https://www.openstreetmap.org/")), (context, url)


def page(client: TestClient, url: str, status: int = 200) -> lxml_html.HtmlElement:
    r = client.get(url)
    assert r.status_code == status, (url, r.status_code, r.text[:500])
    assert r.headers["content-type"].startswith("text/html")
    return lxml_html.fromstring(r.text)


def test_every_page_has_landmarks_a_skip_link_and_one_h1(client: TestClient, known: Known) -> None:
    urls = [*PAGES, f"/documents/{known.example}", f"/entities/{known.person}", f"/entities/{known.place}"]
    for url in urls:
        root = page(client, url)
        assert root.get("lang") == "en"
        assert root.xpath("//header[@role='banner']") and root.xpath("//footer[@role='contentinfo']"), url
        assert root.xpath("//nav[@aria-label='Site']"), url
        main = root.xpath("//main[@id='main']")
        assert main, url
        skip = root.xpath("//body/a[1]")[0]
        assert skip.get("href") == "#main" and "skip" in skip.get("class"), url
        assert len(root.xpath("//h1")) == 1, url
        # every form control has a label
        for control in root.xpath("//input[not(@type='hidden')]|//select"):
            assert control.get("id") and root.xpath(f"//label[@for='{control.get('id')}']"), (url, control.get("name"))


def test_pages_need_no_inline_script_or_style(client: TestClient, known: Known) -> None:
    """The Content-Security-Policy allows no inline script or style; the pages must not need any."""
    for url in [*PAGES, "/?q=Vladivostok", f"/documents/{known.example}", f"/entities/{known.person}"]:
        r = client.get(url)
        root = lxml_html.fromstring(r.text)
        assert not root.xpath("//script[not(@src)]"), url
        assert not root.xpath("//*[@style]") and not root.xpath("//style"), url
        assert not root.xpath("//@*[starts-with(name(), 'on')]"), url


def test_security_headers_on_pages_api_and_errors(client: TestClient, known: Known) -> None:
    for url in ["/", f"/documents/{known.example}", "/api/search?q=Stalin", "/documents/nope", "/?per_page=999",
                "/static/style.css"]:
        r = client.get(url)
        csp = r.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp, url
        assert "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"


# --- search ------------------------------------------------------------------------------------------------


def test_search_api_shape(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "Vladivostok", "limit": 5})
    assert r.status_code == 200
    data = r.json()
    assert data["total"] > 5 and len(data["hits"]) == 5 and data["limit"] == 5 and data["offset"] == 0
    assert set(data["facets"]) <= set(FACETS) and data["facets"]
    for values in data["facets"].values():
        assert all(v["count"] > 0 and v["value"] and v["label"] for v in values)
    assert sum(b["count"] for b in data["histogram"]) <= data["total"]
    assert all(re.fullmatch(r"\d{4}(-\d{2})?", b["period"]) for b in data["histogram"])
    hit = data["hits"][0]
    assert hit["url"] == f"/documents/{quote(hit['id'], safe='')}"
    assert "\x02" not in hit["snippet"] and hit["highlights"]
    for start, end in hit["highlights"]:
        assert hit["snippet"][start:end].lower().startswith("vladivostok")
    assert "<mark>" in hit["snippet_html"]


def test_search_paging_and_sorting(client: TestClient) -> None:
    first = client.get("/api/search", params={"q": "Vladivostok", "limit": 3}).json()
    second = client.get("/api/search", params={"q": "Vladivostok", "limit": 3, "offset": 3}).json()
    assert {h["id"] for h in first["hits"]}.isdisjoint(h["id"] for h in second["hits"])
    dated = client.get("/api/search", params={"q": "Vladivostok", "sort": "date", "limit": 100}).json()["hits"]
    dates = [h["date"] for h in dated if h["date"]]
    assert dates == sorted(dates)
    newest = client.get("/api/search", params={"q": "Vladivostok", "sort": "-date", "limit": 100}).json()["hits"]
    assert [h["date"] for h in newest if h["date"]] == sorted(dates, reverse=True)


def test_search_page_lists_hits_with_marked_snippets_facets_and_a_histogram(client: TestClient) -> None:
    root = page(client, "/?q=Vladivostok")
    hits = root.xpath("//ol[@class='hits']/li")
    assert len(hits) == 20
    assert root.xpath("//p[@class='snippet']/mark")
    assert "found" in root.xpath("//h2[@id='results-heading']")[0].text_content()
    chart = root.xpath("//figure//*[local-name()='svg'][@role='img']")
    assert chart and chart[0].xpath(".//*[local-name()='title']")
    assert root.xpath("//details[@class='figures']//table//tr")  # the chart's text alternative
    facets = root.xpath("//aside[@class='facets']//section[@class='facet']")
    assert len(facets) >= 3
    nxt = root.xpath("//nav[@class='pager']/a[@rel='next']")
    assert nxt and "page=2" in nxt[0].get("href")
    page_two = page(client, nxt[0].get("href"))
    assert page_two.xpath("//ol[@class='hits']")[0].get("start") == "21"


def test_a_facet_link_filters_the_search(client: TestClient) -> None:
    root = page(client, "/?q=Vladivostok")
    link = root.xpath("//section[@class='facet'][h3='Sender']//li/a")[0]
    count = int(link.getparent().xpath("span[@class='count']")[0].text)
    href = link.get("href")
    assert "sender=" in href
    filtered = page(client, href)
    heading = filtered.xpath("//h2[@id='results-heading']")[0].text_content()
    assert heading.startswith(f"{count:,} document")
    # the filter is in force: a ticked checkbox in the form and a removable chip
    assert filtered.xpath("//input[@type='checkbox'][@name='sender'][@checked]")
    chip = filtered.xpath("//ul[@class='filter-chips']//a")[0].get("href")
    assert "sender=" not in chip
    api = client.get("/api/search", params={"q": "Vladivostok", "sender": parse_qs(urlsplit(href).query)["sender"][0]})
    assert api.json()["total"] == count


def test_year_and_date_filters(client: TestClient) -> None:
    every = client.get("/api/search").json()
    years = every["facets"]["year"]
    year = years[0]
    by_year = client.get("/api/search", params={"year": year["value"]}).json()
    assert by_year["total"] == year["count"]
    by_dates = client.get("/api/search", params={"date_from": year["value"], "date_to": year["value"]}).json()
    assert by_dates["total"] == year["count"]
    month = client.get("/api/search", params={"date_from": "1918-03", "date_to": "1918-03", "limit": 100}).json()
    assert month["total"] and all(h["date"].startswith("1918-03") for h in month["hits"])
    assert client.get("/api/search", params={"date_from": "1918-02-30"}).status_code == 422
    assert client.get("/api/search", params={"date_from": "March 1918"}).status_code == 422
    backwards = client.get("/api/search", params={"date_from": "1919", "date_to": "1918"})
    assert backwards.status_code == 400 and backwards.json()["detail"]


def test_an_empty_search_browses_the_whole_corpus(client: TestClient) -> None:
    data = client.get("/api/search").json()
    assert data["total"] == client.get("/api").json()["documents"]
    root = page(client, "/")
    assert root.xpath("//h2[@id='results-heading']")[0].text_content().startswith("All ")


@pytest.mark.parametrize("query", ["*", "NOT Japan", "a*", "AND", '""', "(" , " ".join(["word"] * 40)])
def test_a_query_that_cannot_be_run_gets_a_friendly_answer(client: TestClient, query: str) -> None:
    r = client.get("/", params={"q": query})
    assert r.status_code == 400, r.text[:300]
    root = lxml_html.fromstring(r.text)
    notice = root.xpath("//div[@class='notice'][@role='alert']")
    assert notice and "cannot be run" in notice[0].text_content()
    assert len(notice[0].xpath("p")[0].text_content()) > 10  # the store's reason, in words
    assert root.xpath("//input[@id='q']")[0].get("value") == query  # kept for the reader to correct
    assert len(root.xpath("//select[@id='sort']/option")) == 3  # the whole form, ready for another try
    api = client.get("/api/search", params={"q": query})
    assert api.status_code == 400 and api.json()["detail"] and "Traceback" not in api.text


@pytest.mark.parametrize("query", ['"Soviet Far', "treaty OR", "NEAR(Vladivostok", "(Harbin", "Harbin)"])
def test_a_query_with_a_slip_is_repaired_or_explained(client: TestClient, query: str) -> None:
    for url in ("/", "/api/search"):
        r = client.get(url, params={"q": query})
        assert r.status_code in (200, 400), (url, r.text[:300])


# --- documents -----------------------------------------------------------------------------------------------


def test_document_page(client: TestClient, known: Known) -> None:
    root = page(client, f"/documents/{known.example}")
    h1 = root.xpath("//h1")[0].text_content()
    assert "Harriman" in h1 and "Roosevelt" in h1
    assert "Moscow" in root.xpath("//p[@class='dateline']")[0].text_content()
    assert root.xpath("//dl[@class='meta']/dt[.='Classification']")
    source = root.xpath("//p[@class='source']")[0].text_content()
    assert "Franklin D. Roosevelt Library" in source
    # note markers lead to their notes, and the notes back
    markers = root.xpath("//sup[@class='fnref']/a[@role='doc-noteref']")
    assert len(markers) == 4  # three footnotes and the source note's marker on the heading
    for marker in markers:
        note = root.get_element_by_id(marker.get("href")[1:])
        assert note.xpath(".//a[@role='doc-backlink']")[0].get("href") == "#" + marker.get("id")
    # people, places and dates are links; pronouns are not
    burrows = root.xpath("//div[@class='body']//a[contains(@class,'mention-person')][contains(., 'Burrows')]")
    assert burrows and burrows[0].get("href").startswith("/entities/p-")
    assert root.xpath("//div[@class='body']//a[contains(@class,'mention-place')][.='Vladivostok']")
    assert not root.xpath("//a[contains(@class,'pronoun')]")
    people = root.xpath("//section[@class='named']//a[contains(@class,'mention-person')]/text()")
    assert any("Burrows" in p for p in people)
    # citation, downloads, neighbours
    citation = root.xpath("//p[@id='citation']")[0].text_content()
    assert citation.startswith("The Ambassador in the Soviet Union (Harriman) to President Roosevelt, Moscow, 11 June 1944")
    assert f"http://testserver/documents/{known.example}" in citation and re.search(r"accessed \d{4}-\d\d-\d\d$",
                                                                                     citation)
    downloads = root.xpath("//section[@class='downloads']//a")
    assert [a.get("href").rsplit(".", 1)[1] for a in downloads] == ["xml", "json", "txt"]
    assert all(a.get("download") for a in downloads)
    assert root.xpath("//nav[@class='neighbours']//a[@rel='prev']")  # the 1918 documents come before 1944


def test_document_neighbours_follow_the_chronology(client: TestClient) -> None:
    hits = client.get("/api/search", params={"sort": "date", "limit": 100}).json()["hits"]
    dated = [h for h in hits if h["date"]]
    middle = dated[len(dated) // 2]
    doc = client.get(f"/api/documents/{quote(middle['id'], safe='')}").json()
    assert doc["previous"] and doc["next"]
    before = client.get(f"/api/documents/{quote(doc['previous'], safe='')}").json()["document"]
    after = client.get(f"/api/documents/{quote(doc['next'], safe='')}").json()["document"]
    assert (before["date"]["when"] or "") <= middle["date"] <= (after["date"]["when"] or "9999")


def test_document_api_is_the_model(client: TestClient, known: Known) -> None:
    r = client.get(f"/api/documents/{known.example}")
    assert r.status_code == 200
    data = r.json()
    assert data["id"] == known.example and data["url"] == f"/documents/{known.example}"
    assert set(data["downloads"]) == {"tei", "json", "text"}
    doc = data["document"]
    assert doc["id"] == known.example and doc["place"] == "Moscow" and len(doc["notes"]) == 4
    assert any(m["kind"] == "person" for b in doc["body"] for m in b["mentions"])


def test_downloads(client: TestClient, known: Known) -> None:
    tei = client.get(f"/documents/{known.example}.xml")
    assert tei.status_code == 200 and tei.headers["content-type"].startswith("application/tei+xml")
    assert f'filename="{known.example}.xml"' in tei.headers["content-disposition"]
    root = etree.fromstring(tei.content)
    assert root.tag == f"{TEI}TEI"
    assert "Harriman" in "".join(root.find(f".//{TEI}head").itertext())
    # the index entries the text points to are in the back matter, so every ref resolves
    refs = {r.lstrip("#") for r in root.xpath("//@ref")}
    ids = set(root.xpath("//tei:back//@xml:id", namespaces={"tei": TEI[1:-1]}))
    assert refs and refs <= ids | {r for r in refs if not r.startswith(("p-", "pl-", "o-"))}

    js = client.get(f"/documents/{known.example}.json")
    assert js.headers["content-type"].startswith("application/json")
    docs = from_json(js.content)
    assert [d.id for d in docs] == [known.example]

    txt = client.get(f"/documents/{known.example}.txt")
    assert txt.headers["content-type"].startswith("text/plain")
    text = txt.text
    assert text.startswith("The Ambassador in the Soviet Union (Harriman) to President Roosevelt")
    assert "General Burrows[65]" in text and "\n[65] [Orig. Note] Lt. Gen. Montagu Brocas Burrows" in text


def test_the_hostile_document_is_text_everywhere(client: TestClient, known: Known) -> None:
    for url in [f"/documents/{known.hostile}", "/?q=onerror", "/?q=alert", "/api/search?q=alert",
                f"/api/documents/{known.hostile}", f"/documents/{known.hostile}.txt"]:
        r = client.get(url)
        assert r.status_code == 200, url
        if r.headers["content-type"].startswith("text/html"):
            assert_inert(r.text, url)
            # the search pages mark the hit inside it: "&lt;script&gt;<mark>alert</mark>(1)…"
            unmarked = r.text.replace("<mark>", "").replace("</mark>", "")
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in unmarked, url
            assert SCRIPT in lxml_html.fromstring(unmarked).text_content(), url
    doc = client.get(f"/api/documents/{known.hostile}").json()["document"]
    assert any(SCRIPT in b["text"] and IMG in b["text"] for b in doc["body"])
    hit = client.get("/api/search", params={"q": "onerror"}).json()["hits"][0]
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in hit["snippet_html"].replace("<mark>", "").replace(
        "</mark>", "") or "&lt;img" in hit["snippet_html"]
    assert "<img" not in hit["snippet_html"] and "<script" not in hit["snippet_html"]
    tei = client.get(f"/documents/{known.hostile}.xml").content
    assert b"<script>" not in tei and b"&lt;script&gt;alert(1)&lt;/script&gt;" in tei


# --- index entries -------------------------------------------------------------------------------------------


def test_entity_pages(client: TestClient, known: Known) -> None:
    data = client.get(f"/api/entities/{known.person}").json()
    entity = data["entity"]
    assert entity["id"] == known.person and entity["kind"] == "person" and entity["name"]
    assert data["sent"] or data["received"] or data["mentioned"]
    for hit in data["sent"] + data["received"] + data["mentioned"]:
        assert client.get(hit["url"]).status_code == 200
    root = page(client, f"/entities/{known.person}")
    assert root.xpath("//h1")[0].text_content() == entity["name"]
    listed = root.xpath("//ol[@class='hits']//a/@href")
    assert listed and all(h.startswith("/documents/") for h in listed)
    for companion in root.xpath("//section[@aria-labelledby='companions-title']//a/@href"):
        assert companion.startswith("/entities/") and client.get(companion).status_code == 200
    place = page(client, f"/entities/{known.place}")
    assert "Place" in place.xpath("//p[@class='kicker']")[0].text_content()
    # the documents written at the place: the search's place filter, which the place facet counts
    written = place.xpath("//dl[contains(@class,'entity-meta')]//a[starts-with(@href, '/?')]/@href")[0]
    found = client.get("/api/search", params=parse_qs(urlsplit(written).query)).json()
    facet = {v["value"]: v["count"] for v in client.get("/api/search").json()["facets"]["place"]}
    assert found["total"] == facet.get(known.place, 0)


def test_a_burrows_entry_has_his_description(client: TestClient, known: Known) -> None:
    root = page(client, f"/documents/{known.example}")
    href = root.xpath("//div[@class='body']//a[contains(@class,'mention-person')][contains(., 'Burrows')]/@href")[0]
    data = client.get("/api" + href).json()
    assert "Montagu Brocas Burrows" in data["entity"]["name"]
    assert any(h["id"] == known.example for h in data["mentioned"] + data["sent"] + data["received"])


def test_entity_index_by_kind_and_prefix(client: TestClient) -> None:
    people = client.get("/api/entities", params={"kind": "person", "limit": 100}).json()["entities"]
    assert people and all(e["kind"] == "person" for e in people)
    name = people[0]["name"]
    prefixed = client.get("/api/entities", params={"q": name[:3]}).json()["entities"]
    assert any(e["id"] == people[0]["id"] for e in prefixed)
    root = page(client, "/entities?kind=place")
    assert root.xpath("//nav[@class='tabs']//a[@aria-current='page']")[0].text == "Places"
    assert root.xpath("//ol[@class='entries']/li")
    two = client.get("/api/entities", params={"limit": 2, "offset": 0}).json()["entities"]
    next_two = client.get("/api/entities", params={"limit": 2, "offset": 2}).json()["entities"]
    assert {e["id"] for e in two}.isdisjoint(e["id"] for e in next_two)


# --- chronology, correspondents ------------------------------------------------------------------------------


def test_chronology(client: TestClient) -> None:
    data = client.get("/api/chronology").json()
    assert data["months"] and data["total"] == sum(m["count"] for m in data["months"])
    assert [m["period"] for m in data["months"]] == sorted(m["period"] for m in data["months"])
    root = page(client, "/chronology")
    svg = root.xpath("//*[local-name()='svg'][@role='img']")[0]
    cells = svg.xpath(".//*[local-name()='a']")
    assert len(cells) == sum(1 for m in data["months"] if m["count"])
    table_links = root.xpath("//table[@class='chronology-table']//td/a")
    assert len(table_links) == len(cells)
    first = data["months"][0]
    href = next(a.get("href") for a in table_links if f"date_from={first['period']}" in a.get("href"))
    assert client.get("/api/search", params=parse_qs(urlsplit(href).query)).json()["total"] == first["count"]


def test_correspondents(client: TestClient) -> None:
    data = client.get("/api/correspondents").json()
    pairs = data["pairs"]
    assert pairs and [p["count"] for p in pairs] == sorted((p["count"] for p in pairs), reverse=True)
    root = page(client, "/correspondents")
    assert root.xpath("//*[local-name()='svg'][@role='img']//*[local-name()='rect']")
    rows = root.xpath("//table[@class='pairs']/tbody/tr")
    assert len(rows) == len(pairs)
    top = pairs[0]
    found = client.get("/api/search", params={"sender": top["sender"]["value"],
                                              "recipient": top["recipient"]["value"]}).json()
    assert found["total"] == top["count"]


# --- the API's description -----------------------------------------------------------------------------------


def test_openapi_describes_every_endpoint(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ["/api", "/api/search", "/api/documents/{doc_id}", "/api/entities", "/api/entities/{entity_id}",
                 "/api/chronology", "/api/correspondents"]:
        get = paths[path]["get"]
        assert "$ref" in json.dumps(get["responses"]["200"]), path
    assert not [p for p in paths if not p.startswith("/api")]  # the pages are not part of the API
    assert {"SearchOut", "DocumentOut", "EntityOut", "Document", "Entity"} <= set(spec["components"]["schemas"])
    search_params = {p["name"]: p for p in paths["/api/search"]["get"]["parameters"]}
    assert search_params["q"]["schema"]["maxLength"] == MAX_QUERY
    assert search_params["limit"]["schema"]["maximum"] == MAX_PAGE_SIZE
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


# --- bounds, unknown ids, hostile input ----------------------------------------------------------------------


@pytest.mark.parametrize(("url", "status"), [
    ("/api/search?limit=101", 422), ("/api/search?limit=0", 422), ("/api/search?offset=-1", 422),
    (f"/api/search?offset={MAX_OFFSET + 1}", 422), ("/api/search?q=" + "a" * (MAX_QUERY + 1), 422),
    ("/api/search?year=99999999999999999999999", 422), ("/?per_page=101", 422), ("/?page=0", 422),
    ("/?page=99999999999999999999", 422), ("/?page=1000&per_page=100", 422), ("/?q=" + "a" * (MAX_QUERY + 1), 422), ("/?sort=random", 422),
    ("/api/entities?kind=planet", 422), ("/api/correspondents?limit=100000", 422),
    ("/documents/nope", 404), ("/api/documents/nope", 404), ("/entities/p-nobody", 404),
    ("/api/entities/p-nobody", 404), ("/documents/nope.xml", 404), ("/no/such/page", 404),
])
def test_bounds_and_unknown_ids(client: TestClient, url: str, status: int) -> None:
    r = client.get(url)
    assert r.status_code == status, (url, r.text[:300])
    if url.startswith("/api"):
        assert r.json()["detail"]
    else:
        root = lxml_html.fromstring(r.text)
        assert root.xpath("//h1") and root.xpath("//main")


def test_a_page_out_of_bounds_says_why(client: TestClient) -> None:
    root = page(client, "/?per_page=500", status=422)
    assert "per_page" in root.xpath("//ul[@class='errors']")[0].text_content()


# Strings a hostile or careless visitor sends: markup, SQL, FTS5 syntax, traversal, control characters,
# huge and negative numbers, odd unicode (bidi overrides, combining marks, astral planes, a lone surrogate's
# UTF-8 encoding, which is not UTF-8 at all).
NASTY = [
    "", " ", "\x00", "a\x00b", "\x1b[31m", "\r\nSet-Cookie: x=1", "../../../../etc/passwd", "..\\..\\windows",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd", SCRIPT, '"><img src=x onerror=alert(1)>', "javascript:alert(1)",
    "' OR 1=1 --", "'; DROP TABLE documents; --", '"', "'", "*", "^", "NEAR(a b, 2)", "head:Lansing", "{a b}",
    "a" * 600, "9" * 40, "-1", "-9" * 30, "1e309", "NaN", "null", "[]", "{}", "AND OR NOT", "((((((((((",
    "\u202egnp.exe", "e\u0301\u0301\u0301", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "\ufeff\u200b", "Ⅻ", "ﬁ", "İstanbul", "\ufffd",
]
RAW_NASTY = ["%ED%A0%80", "%FF%FE", "%", "%zz", "%00"]  # sent as they are, not quoted again
QUERY_PARAMS = {
    "/": ["q", "sender", "recipient", "place", "person", "channel", "year", "date_from", "date_to", "sort", "page",
          "per_page"],
    "/api/search": ["q", "sender", "recipient", "place", "person", "channel", "year", "date_from", "date_to", "sort",
                    "limit", "offset"],
    "/entities": ["kind", "q", "page"],
    "/api/entities": ["kind", "q", "limit", "offset"],
    "/api/correspondents": ["limit"],
    "/chronology": ["junk"], "/correspondents": ["junk"], "/api/chronology": ["junk"], "/api": ["junk"],
}
ID_ROUTES = ["/documents/{}", "/documents/{}.xml", "/documents/{}.json", "/documents/{}.txt", "/api/documents/{}",
             "/entities/{}", "/api/entities/{}"]


def _check(r_status: int, body: str, content_type: str, context: object) -> None:
    assert r_status < 500, context
    if content_type.startswith("text/html"):
        assert_inert(body, context)


@pytest.mark.parametrize("nasty", NASTY, ids=[repr(n)[:30] for n in NASTY])
def test_hostile_strings_never_cause_a_500(client: TestClient, known: Known, nasty: str) -> None:
    for route, params in QUERY_PARAMS.items():
        for param in params:
            r = client.get(route, params={param: nasty})
            _check(r.status_code, r.text, r.headers.get("content-type", ""), (route, param, nasty))
            # the parameter beside a good search, so the store sees it alongside real work
            r = client.get(route, params={"q": "Vladivostok", param: nasty} if param != "q" else {param: nasty})
            _check(r.status_code, r.text, r.headers.get("content-type", ""), (route, param, nasty))
    for route in ID_ROUTES:
        r = client.get(route.format(quote(nasty, safe="")))
        _check(r.status_code, r.text, r.headers.get("content-type", ""), (route, nasty))
        assert r.status_code in (200, 404, 422), (route, nasty, r.status_code)


@pytest.mark.parametrize("raw", RAW_NASTY)
def test_malformed_percent_encoding_never_causes_a_500(client: TestClient, raw: str) -> None:
    for route, params in QUERY_PARAMS.items():
        for param in params:
            r = client.get(f"{route}?{param}={raw}")
            _check(r.status_code, r.text, r.headers.get("content-type", ""), (route, param, raw))
    for route in ID_ROUTES:
        r = client.get(route.format(raw))
        assert r.status_code in (404, 422), (route, raw, r.status_code)


def test_path_traversal_reaches_nothing(client: TestClient) -> None:
    for url in ["/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd", "/static/..%2fapp.py",
                "/documents/..%2f..%2fetc%2fpasswd", "/documents/../../etc/passwd", "/static/%00"]:
        r = client.get(url)
        assert r.status_code in (404, 422), url
        assert "root:" not in r.text and "import" not in r.text, url


def test_nothing_changes_the_corpus(client: TestClient, corpus_db: Path, known: Known) -> None:
    """Read-only: only GET routes exist, and a burst of requests leaves the file as it was."""
    before = digest(corpus_db)
    urls = ["/", "/api/search", f"/documents/{known.example}", f"/api/documents/{known.example}", "/entities",
            f"/entities/{known.person}", "/chronology", "/correspondents", "/api/chronology", "/api/correspondents"]
    for url in urls:
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            r = client.request(method, url, content=b"{}")
            assert r.status_code == 405, (method, url, r.status_code)
        assert client.get(url).status_code == 200
    assert digest(corpus_db) == before
    assert "read-only" in words(client.post("/").text).lower()


def test_serve_refuses_a_missing_corpus_in_one_line(tmp_path: Path) -> None:
    from conftest import despatch

    missing = tmp_path / "nothing.sqlite"
    run = despatch("serve", "--db", missing, "--port", "0")
    assert run.code == 1
    assert len(run.stderr.strip().splitlines()) == 1 and str(missing) in run.stderr
    assert not missing.exists()  # read-only: serving never creates a corpus
