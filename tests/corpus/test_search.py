"""Search and the reading API on the dev set: words, phrases, operators, facets, filters, order, hostile input.

The expectations are drawn from the corpus itself (a facet's count is the
total of the search filtered by it; `a NOT b` finds what `a` finds less what
`a b` finds), so they hold whatever the annotators find in the documents.
"""
from __future__ import annotations

import json
import re

import pytest

from conftest import despatch
from corpus.support import EXAMPLE_ID
from despatch.annotate.text import texts
from despatch.corpus import FACETS, Corpus, QueryError, SearchQuery
from despatch.corpus.query import MAX_QUERY_CHARS


def ids(corpus: Corpus, text: str = "", **filters: object) -> set[str]:
    """Every document a search finds, page by page."""
    found: list[str] = []
    offset = 0
    while True:
        result = corpus.search(SearchQuery(text=text, limit=100, offset=offset, **filters))  # type: ignore[arg-type]
        found.extend(h.doc_id for h in result.hits)
        offset += 100
        if offset >= result.total:
            break
    assert len(found) == len(set(found)) == result.total
    return set(found)


def plain_text(corpus: Corpus, doc_id: str) -> str:
    doc = corpus.document(doc_id)
    assert doc is not None
    return " ".join(" ".join(t.text for part in doc.all_documents() for t in texts(part)).split()).casefold()


def marked(snippet: str) -> list[str]:
    return re.findall("\x02(.*?)\x03", snippet, flags=re.DOTALL)


def test_words_and_phrases(dev_corpus: Corpus) -> None:
    phrase = ids(dev_corpus, '"letters of marque"')
    words = ids(dev_corpus, "letters marque")
    assert phrase and phrase <= words
    for doc_id in phrase:
        assert "letters of marque" in plain_text(dev_corpus, doc_id)


def test_a_phrase_stays_within_one_part_of_the_document(dev_corpus: Corpus) -> None:
    # The example's heading ends "to President Roosevelt"; its sender, "The Ambassador in the
    # Soviet Union (Harriman)", is indexed apart: no phrase runs from the one into the other.
    assert EXAMPLE_ID in ids(dev_corpus, '"President Roosevelt"')
    assert EXAMPLE_ID in ids(dev_corpus, '"The Ambassador in the Soviet Union"')
    assert EXAMPLE_ID not in ids(dev_corpus, '"Roosevelt The Ambassador"')


def test_prefix_finds_every_word_it_begins(dev_corpus: Corpus) -> None:
    treaty = ids(dev_corpus, "treaty")
    prefix = ids(dev_corpus, "treat*")
    assert treaty < prefix and ids(dev_corpus, "treaties") <= prefix
    for hit in dev_corpus.search(SearchQuery(text="treat*", limit=100)).hits:
        assert marked(hit.snippet) and all(m.casefold().startswith("treat") for m in marked(hit.snippet))


def test_boolean_operators(dev_corpus: Corpus) -> None:
    treaty, convention = ids(dev_corpus, "treaty"), ids(dev_corpus, "convention")
    privateering = ids(dev_corpus, "privateering")
    assert ids(dev_corpus, "treaty OR convention") == treaty | convention
    assert ids(dev_corpus, "treaty convention") == ids(dev_corpus, "treaty AND convention") == treaty & convention
    assert ids(dev_corpus, "treaty NOT convention") == ids(dev_corpus, "treaty -convention") == treaty - convention
    assert ids(dev_corpus, "(treaty OR convention) NOT privateering") == (treaty | convention) - privateering
    assert ids(dev_corpus, 'treaty -"most favored nation"') == treaty - ids(dev_corpus, '"most favored nation"')
    assert treaty & convention and treaty - convention  # the identities above are not about empty sets


def test_snippets_mark_the_hits_and_diacritics_do_not_matter(dev_corpus: Corpus) -> None:
    result = dev_corpus.search(SearchQuery(text="privateering", limit=100))
    assert result.total and all(marked(h.snippet) for h in result.hits)
    assert {m.casefold() for h in result.hits for m in marked(h.snippet)} == {"privateering"}
    # "Chargé" as printed, found by "charge" as typed on an English keyboard
    plain, accented = dev_corpus.search(SearchQuery(text="charge", limit=100)), dev_corpus.search(
        SearchQuery(text="Chargé", limit=100))
    assert plain.total == accented.total > 0
    assert "Chargé" in {m for h in plain.hits for m in marked(h.snippet)}


def test_results_carry_what_a_list_shows(dev_corpus: Corpus) -> None:
    hit = dev_corpus.search(SearchQuery(text="Harriman Roosevelt")).hits[0]
    assert hit.doc_id == EXAMPLE_ID and hit.date == "1944-06-11" and hit.place == "Moscow"
    assert hit.channel == "telegram" and hit.senders and hit.recipients
    assert hit.score is not None and hit.score > 0


def test_facet_counts_are_the_totals_of_their_filters(dev_corpus: Corpus) -> None:
    for text in ("treaty", "government", ""):
        result = dev_corpus.search(SearchQuery(text=text, limit=0))
        assert set(result.facets) == set(FACETS)
        for facet, values in result.facets.items():
            assert values, facet
            for value in values[:4]:
                filtered = int(value.value) if facet == "year" else value.value
                query = SearchQuery(text=text, limit=0, **{facet: filtered})  # type: ignore[arg-type]
                assert dev_corpus.search(query).total == value.count
        counts = [v.count for v in result.facets["sender"]]
        assert counts == sorted(counts, reverse=True)


def test_filters_take_names_as_well_as_ids(dev_corpus: Corpus) -> None:
    sender = dev_corpus.search(SearchQuery(limit=0)).facets["sender"][0]
    assert sender.value.startswith("p-")
    assert ids(dev_corpus, sender=sender.value) == ids(dev_corpus, sender=sender.label.upper())
    assert ids(dev_corpus, channel="Telegram") == ids(dev_corpus, channel="telegram")
    assert ids(dev_corpus, "treaty", sender=sender.value) == ids(dev_corpus, "treaty") & ids(dev_corpus,
                                                                                            sender=sender.value)
    assert dev_corpus.search(SearchQuery(sender="nobody of that name")).total == 0


def test_date_range(dev_corpus: Corpus) -> None:
    march = dev_corpus.search(SearchQuery(date_from="1918-03", date_to="1918-03", limit=100, sort="date"))
    assert march.total and all(h.date and h.date.startswith("1918-03") for h in march.hits)
    assert ids(dev_corpus, date_from="1918-03-01", date_to="1918-03-31") == {h.doc_id for h in march.hits}
    year = ids(dev_corpus, date_from="1918", date_to="1918")
    assert year == ids(dev_corpus, year=1918)
    before, after = ids(dev_corpus, date_to="1918-03-15"), ids(dev_corpus, date_from="1918-03-16")
    dated = ids(dev_corpus, date_from="0001")
    assert before and after and not before & after and before | after == dated < ids(dev_corpus)


def test_sorting_and_paging(dev_corpus: Corpus) -> None:
    by_date = dev_corpus.search(SearchQuery(text="government", sort="date", limit=100)).hits
    dates = [h.date or "~" for h in by_date]
    assert dates == sorted(dates)
    newest = dev_corpus.search(SearchQuery(text="government", sort="-date", limit=100)).hits
    dated = [h.date for h in newest if h.date]
    assert dated == sorted(dated, reverse=True) and all(h.date for h in newest[:len(dated)])
    ranked = dev_corpus.search(SearchQuery(text="government", limit=100)).hits
    scores = [h.score or 0.0 for h in ranked]
    assert scores == sorted(scores, reverse=True)
    whole = [h.doc_id for h in dev_corpus.search(SearchQuery(text="government", limit=35)).hits]
    paged = [h.doc_id for k in range(5)
             for h in dev_corpus.search(SearchQuery(text="government", limit=7, offset=7 * k)).hits]
    assert paged == whole
    beyond = dev_corpus.search(SearchQuery(text="government", offset=10_000))
    assert beyond.hits == [] and beyond.total == len(ids(dev_corpus, "government"))


def test_histogram_by_month_or_by_year(dev_corpus: Corpus) -> None:
    in_1918 = dev_corpus.search(SearchQuery(date_from="1918", date_to="1918", limit=100))
    months = [m for m, _ in in_1918.histogram]
    assert months and all(re.fullmatch(r"1918-\d\d", m) for m in months) and months == sorted(months)
    assert sum(c for _, c in in_1918.histogram) == sum(1 for h in in_1918.hits if h.date and len(h.date) >= 7)
    everything = dev_corpus.search(SearchQuery(limit=0))
    years = [int(y) for y, _ in everything.histogram]
    assert years == list(range(years[0], years[-1] + 1)) and years[-1] - years[0] > 10  # by year: 1861 to 1944
    assert sum(c for _, c in everything.histogram) == sum(v.count for v in everything.facets["year"])


REPAIRED = [
    ('"letters of marque', '"letters of marque"'),
    ("privateering AND", "privateering"),
    ("AND privateering", "privateering"),
    ("privateering OR", "privateering"),
    ("OR OR privateering", "privateering"),
    ("(privateering", "privateering"),
    ("privateering)", "privateering"),
    ("((privateering OR treaty)", "privateering OR treaty"),
    ("head:privateering", "privateering"),
    ("privateering NOT", "privateering"),
    ("privateering *", "privateering"),
    ("privateering -", "privateering"),
    ("privateering\x00", "privateering"),
    ("privateering^", "privateering"),
    ("privateering:", "privateering"),
    ("treaty NEAR/3 convention", 'treaty "NEAR 3" convention'),
]


@pytest.mark.parametrize(("typed", "meant"), REPAIRED)
def test_malformed_queries_are_repaired(dev_corpus: Corpus, typed: str, meant: str) -> None:
    assert ids(dev_corpus, typed) == ids(dev_corpus, meant)


REFUSED = ["*", "AND", "OR", "NOT", '"', "()", '""', "NOT privateering", "-privateering", "t*", "--", "&&&",
           "x" * (MAX_QUERY_CHARS + 1), "privateering OR NOT treaty"]


@pytest.mark.parametrize("typed", REFUSED)
def test_queries_that_mean_nothing_are_refused_in_words(dev_corpus: Corpus, typed: str) -> None:
    with pytest.raises(QueryError) as caught:
        dev_corpus.search(SearchQuery(text=typed))
    message = str(caught.value)
    assert message and "\n" not in message and "Traceback" not in message and len(message) < 200


HOSTILE = [
    "'; DROP TABLE documents; --",
    "\" OR 1=1 --",
    "1) OR (1=1",
    "x' UNION SELECT data FROM documents --",
    "%", "_", "*", "?",
    "\x00\x01\x02",
    "🤖" * 50,
    "\u202eevil\u202c",
    "e\u0301\u0301\u0301",
    "\ud800broken",
    "Ω" * 200,
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_inputs_in_every_field(dev_corpus: Corpus, value: str) -> None:
    before = dev_corpus.count()
    for field in ("text", "sender", "recipient", "place", "person", "channel"):
        try:
            result = dev_corpus.search(SearchQuery(**{field: value}))  # type: ignore[arg-type]
        except QueryError as exc:
            assert str(exc)
            continue
        if field != "text":
            assert result.total == 0 or value.strip("\x00\x01\x02") == ""
    for field in ("date_from", "date_to"):
        with pytest.raises(QueryError):
            dev_corpus.search(SearchQuery(**{field: value}))  # type: ignore[arg-type]
    assert dev_corpus.document(value) is None
    assert dev_corpus.entity(value) is None
    assert dev_corpus.neighbours(value) == (None, None)
    assert isinstance(dev_corpus.entities(prefix=value), list)
    assert isinstance(dev_corpus.entities(kind=value), list)
    assert dev_corpus.count() == before


@pytest.mark.parametrize("query", [
    SearchQuery(limit=101), SearchQuery(limit=-1), SearchQuery(offset=-1), SearchQuery(offset=10_001),
    SearchQuery(sort="date; DROP TABLE documents"),  # type: ignore[arg-type]
    SearchQuery(year="1918"),  # type: ignore[arg-type]
    SearchQuery(year=True),  # type: ignore[arg-type]
    SearchQuery(date_from="1918-02-30"), SearchQuery(date_from="1918-13"), SearchQuery(date_to="yesterday"),
    SearchQuery(date_from="1919", date_to="1918"),
    SearchQuery(sender="x" * 201),
])
def test_out_of_bounds_queries_are_refused(dev_corpus: Corpus, query: SearchQuery) -> None:
    with pytest.raises(QueryError):
        dev_corpus.search(query)


def test_long_but_allowed_inputs(dev_corpus: Corpus) -> None:
    words = " OR ".join(["privateering"] * 30)
    assert ids(dev_corpus, words) == ids(dev_corpus, "privateering")
    assert dev_corpus.search(SearchQuery(sender="x" * 200)).total == 0


# -- the reading API the web app uses -------------------------------------------


def test_neighbours_walk_the_chronology(dev_corpus: Corpus) -> None:
    first = dev_corpus.search(SearchQuery(sort="date", limit=1)).hits[0].doc_id
    walked = [first]
    while True:
        before, after = dev_corpus.neighbours(walked[-1])
        assert before == (walked[-2] if len(walked) > 1 else None)
        if after is None:
            break
        walked.append(after)
    assert len(walked) == dev_corpus.count()
    assert walked[:50] == [h.doc_id for h in dev_corpus.search(SearchQuery(sort="date", limit=50)).hits]


def test_chronology_and_correspondents(dev_corpus: Corpus) -> None:
    months = dev_corpus.chronology()
    assert [m for m, _ in months] == sorted(m for m, _ in months) and all(c > 0 for _, c in months)
    for month, count in months[:5]:
        assert dev_corpus.search(SearchQuery(date_from=month, date_to=month)).total >= count
    pairs = dev_corpus.correspondents(limit=10)
    assert pairs and [c for *_, c in pairs] == sorted((c for *_, c in pairs), reverse=True)
    for sender, recipient, count in pairs[:3]:
        assert dev_corpus.search(SearchQuery(sender=sender.value, recipient=recipient.value)).total == count


def test_entity_pages(dev_corpus: Corpus) -> None:
    person = dev_corpus.search(SearchQuery(limit=0)).facets["sender"][0]
    page = dev_corpus.entity(person.value, limit=5)
    assert page is not None and page.entity.id == person.value and page.entity.kind == "person"
    sent = ids(dev_corpus, sender=person.value)
    assert len(page.sent) == min(5, len(sent)) and {h.doc_id for h in page.sent} <= sent
    dates = [h.date or "~" for h in page.sent]
    assert dates == sorted(dates)
    named = ids(dev_corpus, person=person.value)
    assert {h.doc_id for h in page.mentioned} <= named and all(marked(h.snippet) for h in page.mentioned)
    assert page.companions and person.value not in {c.value for c in page.companions}
    assert set(page.entity.documents) >= named
    assert dev_corpus.entity("p-nobody-at-all") is None


def test_entities_browse_by_kind_and_any_word_of_the_name(dev_corpus: Corpus) -> None:
    people = dev_corpus.entities(kind="person", limit=1000)
    assert people and all(e.kind == "person" for e in people)
    surname = next(e for e in people if " " in e.name).name.split()[-1]
    found = dev_corpus.entities(prefix=surname[:3].lower(), limit=1000)
    assert found and all(any(w.casefold().startswith(surname[:3].casefold()) for w in e.name.split())
                         for e in found)
    assert dev_corpus.entities(kind="place", limit=3) != dev_corpus.entities(kind="person", limit=3)
    paged = dev_corpus.entities(limit=5, offset=5)
    assert paged == dev_corpus.entities(limit=10)[5:]


# -- the command -------------------------------------------------------------------


def test_search_command(dev_corpus_url: str, dev_corpus: Corpus) -> None:
    run = despatch("search", "privateering", "--db", dev_corpus_url, "--limit", "3")
    assert run.code == 0, run.stderr
    total = dev_corpus.search(SearchQuery(text="privateering")).total
    assert run.stdout.startswith(f"1-3 of {total} documents")
    assert "sender: " in run.stdout and "year: " in run.stdout
    as_json = despatch("search", "privateering", "--db", dev_corpus_url, "--json", "--channel", "telegram")
    data = json.loads(as_json.stdout)
    assert data["total"] == dev_corpus.search(SearchQuery(text="privateering", channel="telegram")).total
    assert set(data["facets"]) == set(FACETS) and all("\x02" in h["snippet"] for h in data["hits"])


def test_search_command_failures(dev_corpus_url: str, tmp_path: object) -> None:
    bad = despatch("search", "NOT privateering", "--db", dev_corpus_url)
    assert bad.code == 2 and len(bad.stderr.splitlines()) == 1 and "NOT privateering" in bad.stderr
    dates = despatch("search", "x", "--db", dev_corpus_url, "--date-from", "1918-13")
    assert dates.code == 2 and "date_from" in dates.stderr
    missing = despatch("search", "treaty", "--db", f"{tmp_path}/none.sqlite")
    assert missing.code == 1 and "no corpus here" in missing.stderr


def test_one_corpus_serves_many_threads(dev_corpus: Corpus) -> None:
    # A web app's requests share one corpus object from a pool of threads.
    from concurrent.futures import ThreadPoolExecutor

    queries = [SearchQuery(text=t, limit=10) for t in ("treaty", "government", "privateering", '"letters of marque"',
                                                        "minister NOT legation", "Seward")]
    alone = [dev_corpus.search(q) for q in queries]
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(dev_corpus.search, queries * 8))
        pages = list(pool.map(dev_corpus.document, [h.doc_id for r in alone for h in r.hits] * 2))
    assert together == alone * 8
    assert all(page is not None for page in pages)
