"""The web app's pure pieces: snippets, the escaping they rely on, chart periods, search URLs."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape

from despatch.corpus.api import FacetValue, Hit
from despatch.web.charts import correspondence_matrix, shade, time_bars
from despatch.web.params import SearchForm, iso_period
from despatch.web.views import date_search_url, snippet_html, snippet_is_head, snippet_text
from despatch.writers.html import escaped

# A snippet as the store returns it for "Vladivostok" in FRUS 1918 Russia III, no. 105.
SNIPPET = ("…Polk the question of the possibility of shipping these bank notes to \x02Vladivostok\x03. "
           "Mr. Polk did not raise any objection…")


def test_snippet_marks_hits_after_escaping() -> None:
    assert snippet_html(SNIPPET) == ("…Polk the question of the possibility of shipping these bank notes to "
                                     "<mark>Vladivostok</mark>. Mr. Polk did not raise any objection…")
    hostile = "The notice read <script>\x02alert\x03(1)</script> & <img src=x>"
    assert snippet_html(hostile) == ("The notice read &lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt; &amp; "
                                     "&lt;img src=x&gt;")


def test_snippet_cut_inside_a_hit_is_closed_and_stray_markers_dropped() -> None:
    assert snippet_html("to \x02Vladivo") == "to <mark>Vladivo</mark>"
    assert snippet_html("stok\x03 and \x02\x02Harbin\x03\x03") == "stok and <mark>Harbin</mark>"
    assert snippet_html("a\x00b\x1b[31m") == "ab[31m"


def test_snippet_text_gives_the_offsets_of_its_hits() -> None:
    text, spans = snippet_text(SNIPPET)
    assert "\x02" not in text and "\x03" not in text
    assert [text[a:b] for a, b in spans] == ["Vladivostok"]


@given(st.text())
def test_escaped_is_markupsafe_escape(text: str) -> None:
    assert escaped(text) == str(escape(text))


@given(st.text(alphabet=st.sampled_from(["a", "<", ">", "&", '"', "\x02", "\x03", " "])))
def test_a_snippet_never_yields_markup_but_mark(text: str) -> None:
    html = snippet_html(text).replace("<mark>", "").replace("</mark>", "")
    assert "<" not in html and ">" not in html and '"' not in html


def test_a_hit_in_the_heading_is_not_repeated() -> None:
    head = "The Consul at Vladivostok (Caldwell) to the Secretary of State"
    hit = Hit("frus1918Russiav03-d1", head, "1918-04-17", "Vladivostok", ["Caldwell"], ["Lansing"], "telegram",
              "The Consul at \x02Vladivostok\x03 (Caldwell) to the Secretary of State")
    assert snippet_is_head(hit)
    hit.snippet = SNIPPET
    assert not snippet_is_head(hit)


def test_time_bars_keep_empty_months_and_show_a_few_months_in_their_year() -> None:
    bars = time_bars([("1918-03", 5), ("1918-05", 2)])
    assert [b.period for b in bars] == [f"1918-{m:02d}" for m in range(1, 13)]
    assert [b.count for b in bars][:6] == [0, 0, 5, 0, 2, 0]
    assert bars[2].label == "March 1918"


def test_time_bars_go_by_year_over_a_long_span() -> None:
    bars = time_bars([("1861-05", 3), ("1861-06", 1), ("1901-01", 4)])
    assert bars[0].period == "1861" and bars[0].count == 4
    assert bars[-1].period == "1901" and bars[-1].count == 4
    assert len(bars) == 41  # every year between, so the gap shows


def test_shade_is_a_log_scale_of_five_steps() -> None:
    assert shade(0, 136) == 0
    assert shade(1, 136) == 1
    assert shade(136, 136) == 5
    assert 1 < shade(12, 136) < 5


def test_correspondence_matrix_has_one_order_for_rows_and_columns() -> None:
    lansing, francis, morris = (FacetValue("p-lansing", "Lansing", 0), FacetValue("p-francis", "Francis", 0),
                                FacetValue("p-morris", "Morris", 0))
    matrix = correspondence_matrix([(morris, lansing, 8), (lansing, francis, 6), (francis, lansing, 5)])
    assert [p.value for p in matrix.people] == ["p-lansing", "p-francis", "p-morris"]
    assert matrix.cells[("p-francis", "p-lansing")] == 5


def test_search_urls_change_one_thing_and_go_back_to_page_one() -> None:
    form = SearchForm(q="Vladivostok", sender="p-lansing", page=3)
    url = form.url(year=1918)
    assert parse_qs(urlsplit(url).query) == {"q": ["Vladivostok"], "sender": ["p-lansing"], "year": ["1918"]}
    assert "sender" not in form.url(sender=None)
    assert "page=4" in form.url(page=4)
    assert SearchForm().url() == "/"


def test_dates_are_checked_against_the_calendar_and_kept_as_written() -> None:
    assert iso_period("1918") == "1918" and iso_period("1918-03") == "1918-03"
    assert iso_period("1918-02-28") == "1918-02-28"
    for bad in ("1918-02-30", "1918-13", "March 1918", "0000", "19180"):
        try:
            iso_period(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad} accepted")
    assert date_search_url("1918-12-27T19:00:00") == "/?date_from=1918-12-27&date_to=1918-12-27&sort=date"
    assert date_search_url("yesterday") is None
