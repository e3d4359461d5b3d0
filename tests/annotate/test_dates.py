"""The date annotator: the labelled FRUS set, each rule on a real snippet, properties, the example telegram."""
from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from despatch.annotate import dates
from despatch.annotate.context import Context
from despatch.model import Block, Document, Mention, Note
from despatch.readers import read_file

ROOT = Path(__file__).resolve().parents[2]
LABELLED = ROOT / "tests" / "data" / "dates.jsonl"
EXAMPLE = ROOT / "examples" / "harriman-to-roosevelt-1944-06-11.txt"


def found(text: str, doc_date: str | None = None) -> list[tuple[str, str | None, str | None]]:
    """(text, value, precision) of each date mention the annotator adds to a one-paragraph document."""
    doc = Document(id="t", body=[Block(text)])
    dates.annotate(doc, Context(doc_date=doc_date))
    return [(m.text, m.value, m.precision) for m in doc.body[0].mentions]


def one(text: str, doc_date: str | None = None) -> tuple[str, str | None, str | None]:
    result = found(text, doc_date)
    assert len(result) == 1, result
    return result[0]


# ---------------------------------------------------------------- the labelled set


def score() -> tuple[int, int, int, list[str]]:
    """Gold, predicted and right mentions over tests/data/dates.jsonl, and the sentences that differ."""
    gold = predicted = right = 0
    wrong = []
    for line in LABELLED.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        got = Counter(found(row["text"], row["doc_date"]))
        want = Counter((d["text"], d["value"], d["precision"]) for d in row["dates"])
        gold += sum(want.values())
        predicted += sum(got.values())
        right += sum((got & want).values())
        if got != want:
            wrong.append(f"{row['source']}: missing {dict(want - got)}, extra {dict(got - want)}")
    return gold, predicted, right, wrong


def test_labelled_set_is_large_and_varied() -> None:
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    mentions = [d for r in rows for d in r["dates"]]
    assert len(mentions) >= 150
    assert {d["precision"] for d in mentions} >= {"day", "month", "season", "year", "minute"}
    relative = [d for r in rows for d in r["dates"]
                if any(w in d["text"].lower() for w in ("day", "night", "morning", "evening", "instant", "ultimo",
                                                        "last", "next", "this", "month", "week", "morrow"))]
    assert len(relative) >= 30
    assert sum(1 for r in rows if not r["dates"]) >= 10  # sentences with numbers that are not dates
    assert all(r["source"].startswith("frus") for r in rows)


def test_labelled_set_scores_at_least_095_exact() -> None:
    gold, predicted, right, wrong = score()
    precision, recall = right / predicted, right / gold
    f1 = 2 * precision * recall / (precision + recall)
    print(f"dates: {gold} gold, {predicted} found, {right} exact; P {precision:.3f} R {recall:.3f} F1 {f1:.3f}")
    assert right / gold >= 0.95, "\n".join(wrong)
    assert precision >= 0.95, "\n".join(wrong)


# ---------------------------------------------------------------- absolute dates


def test_month_day_year() -> None:
    assert one("In despatch 563, June 12, 1944, the Minister", "1944-06-11") == ("June 12, 1944", "1944-06-12", "day")


def test_day_month_year_forms() -> None:
    assert one("the debts due to them respectively as at 1st May 1921.") == ("1st May 1921", "1921-05-01", "day")
    assert one("(29 May, 1901) (Translation).") == ("29 May, 1901", "1901-05-29", "day")
    assert one("on the 17th of October, 1933, which paragraph") == ("the 17th of October, 1933", "1933-10-17", "day")


def test_day_and_month_take_the_year_of_the_document() -> None:
    assert one("the ultimatum sent on the 19th of June to the members", "1901-02-07") == (
        "the 19th of June", "1900-06-19", "day")  # a past event, not next June
    assert one("with formal introduction of Tangier statute on June 1st, and", "1925-05-31") == (
        "June 1st", "1925-06-01", "day")
    assert one("the 25th August", "1944-09-02") == ("the 25th August", "1944-08-25", "day")
    assert one("dated Aug. 25 last", "1925-09-10")[1] == "1925-08-25"
    assert one("no value without a document date: August 25th") == ("August 25th", None, "day")


def test_a_future_cue_looks_forward() -> None:
    assert one("I hope the Department will therefore have no objection to his proceeding August 2.",
               "1934-07-27") == ("August 2", "1934-08-02", "day")


def test_time_of_day_makes_a_minute() -> None:
    assert one("Washington, December 3, 1925—4 p.m.") == ("December 3, 1925—4 p.m.", "1925-12-03T16:00:00", "minute")
    assert one("Department’s number 154, dated May 16, 4 p.m.", "1925-05-18") == (
        "May 16, 4 p.m.", "1925-05-16T16:00:00", "minute")
    assert one("Laleau informed me on telegram No. 96, September 6, noon,", "1934-09-07")[1:] == (
        "1934-09-06T12:00:00", "minute")


def test_month_and_year() -> None:
    assert one("He had told President Arias in October, 1933 that") == ("October, 1933", "1933-10", "month")
    assert one("sold in May 1924 to an American firm")[1:] == ("1924-05", "month")


def test_bare_month_after_a_cue() -> None:
    assert one("since my talk with Stalin in February the Soviets", "1944-06-11") == ("February", "1944-02", "month")
    assert one("By the end of October the Dvina will be frozen", "1918-07-06") == ("October", "1918-10", "month")
    assert found("During the months of May, June, July, and August of the present year, serious", "1900-12-23") == [
        ("May", "1900-05", "month"), ("June", "1900-06", "month"), ("July", "1900-07", "month"),
        ("August of the present year", "1900-08", "month")]


def test_years_after_a_cue_or_naming_a_thing() -> None:
    assert one("the Dahir of 1879 creating Council") == ("1879", "1879", "year")
    assert one("the bonds of the 1912 Loan which had been reserved") == ("1912", "1912", "year")
    assert [t for t, _, _ in found("for the years 1921, 1922 and 1923 under the provision")] == ["1921", "1922", "1923"]
    assert one("from 1926–1927 to the present")[1:] == ("1926/1927", "year")
    assert one("Article 70 of the Haitian Constitution of 1899 [1889] provides")[1] == "1889"


def test_seasons_as_iso_8601_2_codes() -> None:
    assert one("upon his return from Russia in the spring of 1917.") == ("the spring of 1917", "1917-21", "season")
    assert one("the importations of the winter of 1924–25, the shipments") == (
        "the winter of 1924–25", "1924-24", "season")
    assert one("having been actively pushed since spring 1899")[1:] == ("1899-21", "season")
    assert one("after its discussions last spring with the Bank", "1934-10-20") == ("last spring", "1934-21", "season")
    assert one("members of the Tsungli Yamen, executed last summer, are", "1901-02-06")[1] == "1900-22"
    assert one("during the coming winter will be useless.", "1918-09-20")[1] == "1918-24"


# ---------------------------------------------------------------- relative dates


def test_relative_days() -> None:
    assert one("In my talk with Stalin yesterday evening we discussed", "1944-06-11") == (
        "yesterday evening", "1944-06-10", "day")
    assert one("To-day, at a meeting of the diplomatic corps,", "1901-08-12") == ("To-day", "1901-08-12", "day")
    assert one("Jouvenel, arrived day before yesterday and", "1925-12-04")[:2] == ("day before yesterday", "1925-12-02")
    assert one("Cable full report tomorrow.", "1925-01-07")[1] == "1925-01-08"
    assert one("Last night a military coup d’état headed by", "1925-07-10")[1] == "1925-07-09"
    assert one("handed to me this morning by the Minister", "1918-12-27T22:00:00")[1] == "1918-12-27"


def test_the_why_says_how() -> None:
    doc = Document(id="t", body=[Block("In my talk with Stalin yesterday evening we discussed")])
    dates.annotate(doc, Context(doc_date="1944-06-11"))
    assert doc.body[0].mentions[0].why == "relative: yesterday from 1944-06-11"


def test_instant_ultimo_proximo() -> None:
    assert one("on the 30th ultimo a steam sloop-of-war", "1861-08-07") == ("the 30th ultimo", "1861-07-30", "day")
    assert one("On the 1st instant we received a communication", "1901-03-07")[1] == "1901-03-01"
    assert one("will sail on the 3d proximo", "1925-12-20")[1] == "1926-01-03"
    assert one("your note of the 24th ultimo", "1925-01-10")[1] == "1924-12-24"
    assert one("instruction of the 4th, instant, directing me", "1925-04-07")[:2] == ("the 4th, instant", "1925-04-04")
    assert one("I arrived in Berlin on Thursday, the twenty-seventh ultimo, and", "1861-07-02") == (
        "Thursday, the twenty-seventh ultimo", "1861-06-27", "day")
    assert one("sent him by that body on the 24th of last month, in which", "1901-05-28")[1] == "1901-04-24"
    assert one("dated on the —— day of June ultimo, has been received.", "1861-07-06") == (
        "June ultimo", "1861-06", "month")


def test_weekdays() -> None:
    # 1925-04-07 was a Tuesday
    assert one("his promise of last Thursday to furnish me", "1925-04-07") == ("last Thursday", "1925-04-02", "day")
    assert one("Our army of the Potomac on Sunday last met a reverse", "1861-07-26")[1] == "1861-07-21"
    assert one("Hopes to get vote next Tuesday on our lump-sum proposition", "1901-04-13")[1] == "1901-04-16"
    assert one("told me on Saturday that the Government", "1934-02-12")[1] == "1934-02-10"
    assert one("A brief report on Major Keyser’s plan will be cabled Monday.", "1925-01-03")[1] == "1925-01-05"
    assert one("an interview on Tuesday, the 20th instant, with Mr. Thouvenel", "1861-08-22")[1] == "1861-08-20"
    assert one("he appointed one for ten o’clock on Wednesday, the 12th, at his own house", "1861-06-14")[1] == (
        "1861-06-12")
    assert found("on the preceding Monday. They indicate", "1861-05-31") == []


def test_relative_months_weeks_years() -> None:
    assert one("several conversations last month with Mr. Curtis", "1934-11-21") == ("last month", "1934-10", "month")
    assert one("the election of last November resulted", "1861-02-28") == ("last November", "1860-11", "month")
    assert one("in the communal elections next January, it is", "1925-09-15")[1] == "1926-01"
    assert one("where the Boxers created trouble last year.", "1901-05-04") == ("last year", "1900", "year")
    assert one("the Minister, last week, before his departure", "1934-11-21") == ("last week", "1934-W46", None)
    assert found("During the last year this Government invited", "1900-10-29") == []


def test_a_day_with_no_month() -> None:
    assert one("I have the honor to confirm my telegram of the 28th.", "1900-10-30") == ("the 28th", "1900-10-28", "day")
    assert one("Your telegram of the 8th seems to include", "1901-04-11")[1] == "1901-04-08"
    assert one("your telegram of the 29th was received", "1901-07-26")[1] == "1901-06-29"
    got = found("my despatch of the 4th of September went on the 7th, and that of the 11th on the 14th",
                "1861-10-16")
    assert [v for _, v, _ in got] == ["1861-09-04", "1861-09-07", "1861-09-11", "1861-09-14"]


# ---------------------------------------------------------------- editorial forms


def test_old_and_new_style() -> None:
    assert one("Petrograd, May 2/15, 1917.") == ("May 2/15, 1917", "1917-05-15", "day")
    assert one("the bulletin of the Soviets of January 26/February 8, 1918.")[1] == "1918-02-08"
    assert one("St. Petersburg, April 8–20, 1861.") == ("April 8–20, 1861", "1861-04-20", "day")
    assert one("Referring to your note of August 4 (17), and", "1900-08-25")[:2] == ("August 4 (17)", "1900-08-17")


def test_ranges() -> None:
    assert one("Conference of American States, December 3–26, 1933.") == (
        "December 3–26, 1933", "1933-12-03/1933-12-26", "day")


def test_corrections() -> None:
    assert one("Managua, February 27 [26], 1934—midnight.") == (
        "February 27 [26], 1934—midnight", "1934-02-26T00:00:00", "minute")
    assert one("Managua, January 3[5?], 1925—10 a.m.")[1] == "1925-01-05T10:00:00"
    assert one("Department’s telegram No. 41, June 7 [4], 4 [7] p.m.;", "1934-06-05")[1] == "1934-06-04T19:00:00"
    assert one("when both were here September 8 [sic]. Allied", "1917-10-14")[1] == "1917-09-08"
    assert one("was issued Saturday [November 30]:", "1918-12-05") == (
        "Saturday [November 30]", "1918-11-30", "day")


def test_lists_share_month_and_year() -> None:
    got = found("May 29, June 2, 16 and 27 and July 10 [11] and 17, 1934, respectively", "1934-07-26")
    assert got == [("May 29", "1934-05-29", "day"), ("June 2", "1934-06-02", "day"), ("16", "1934-06-16", "day"),
                   ("27", "1934-06-27", "day"), ("July 10 [11]", "1934-07-11", "day"), ("17", "1934-07-17", "day")]
    assert [v for _, v, _ in found("Imperial Edicts of the 13th and 21st of February, 1901")] == [
        "1901-02-13", "1901-02-21"]


# ---------------------------------------------------------------- never dates


def test_numbers_that_are_not_dates() -> None:
    for text in ("File No. 861.51/148", "(740.0011 European War 1939/6-1244)", "In fact I fail to understand your 359.",
                 "my despatch No. 224 of", "Foreign Relations, 1918, Russia, vol. ii, p. 202.",
                 "the sum of $1,944 and 1,944 men", "a cargo of 1800 tons of coal", "of the 15th Army Air Force",
                 "on the 4th paragraph", "since the 20th century", "Ibid., 1932, vol. v, p. 887.",
                 "the first of these heads", "We may march to the coast."):
        assert found(text, "1925-06-01") == [], text


def test_every_text_of_a_document_is_read() -> None:
    doc = Document(id="t", head=Block("Memorandum of June 2, 1944", kind="label"), dateline=Block("Moscow, June 11, 1944"),
                   body=[Block("Yesterday he called.")], closer=[Block("June 11, 1944")],
                   notes=[Note("Received on June 12, 1944.")])
    dates.annotate(doc, Context(doc_date="1944-06-11"))
    assert [m.value for m in doc.head.mentions] == ["1944-06-02"]
    assert doc.dateline is not None and [m.value for m in doc.dateline.mentions] == ["1944-06-11"]
    assert [m.value for m in doc.body[0].mentions] == ["1944-06-10"]
    assert [m.value for m in doc.closer[0].mentions] == ["1944-06-11"]
    assert [m.value for m in doc.notes[0].mentions] == ["1944-06-12"]
    text = doc.notes[0].text
    m = doc.notes[0].mentions[0]
    assert text[m.start:m.end] == m.text == "June 12, 1944"


def test_a_date_the_edition_tagged_is_not_doubled() -> None:
    block = Block("on June 2, 1944.", mentions=[Mention("date", 3, 15, "June 2, 1944", value="1944-06-02")])
    doc = Document(id="t", body=[block])
    dates.annotate(doc, Context(doc_date="1944-06-11"))
    assert len(block.mentions) == 1


# ---------------------------------------------------------------- properties

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
SHORT = {1: "Jan.", 2: "Feb.", 8: "Aug.", 9: "Sept.", 10: "Oct.", 11: "Nov.", 12: "Dec."}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'd', 3: 'd'}.get(n % 10, 'th')}"


FORMATS = [
    lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
    lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}",
    lambda d: f"{_ordinal(d.day)} {MONTHS[d.month - 1]}, {d.year}",
    lambda d: f"the {_ordinal(d.day)} of {MONTHS[d.month - 1]}, {d.year}",
    lambda d: f"{SHORT.get(d.month, MONTHS[d.month - 1])} {d.day}, {d.year}",
    lambda d: f"{WEEKDAYS[d.weekday()]}, {MONTHS[d.month - 1]} {d.day}, {d.year}",
]


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1600, 1, 1), max_value=date(2099, 12, 31)), st.sampled_from(FORMATS),
       st.sampled_from(["I have the honor to refer to my note of ", "Signed at Paris on ", ""]),
       st.sampled_from([", which was received.", ".", " and the reply."]))
def test_any_absolute_date_in_any_supported_form(day: date, form, before: str, after: str) -> None:  # type: ignore[no-untyped-def]
    printed = form(day)
    assert found(before + printed + after, "1925-06-01") == [(printed, day.isoformat(), "day")]


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1800, 1, 1), max_value=date(2000, 12, 31)), st.integers(0, 6),
       st.sampled_from(["last {}", "{} last", "next {}", "{} next"]))
def test_relative_weekdays_land_on_their_weekday(doc_day: date, weekday: int, form: str) -> None:
    phrase = form.format(WEEKDAYS[weekday])
    (text, value, precision), = found(f"He called {phrase} at the Legation.", doc_day.isoformat())
    assert text == phrase and precision == "day" and value is not None
    when = date.fromisoformat(value)
    assert when.weekday() == weekday
    if "last" in form:
        assert doc_day - timedelta(days=7) <= when < doc_day
    else:
        assert doc_day < when <= doc_day + timedelta(days=7)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1800, 1, 1), max_value=date(2000, 12, 31)),
       st.sampled_from([("yesterday", -1), ("to-day", 0), ("to-morrow", 1), ("the day before yesterday", -2)]))
def test_relative_days_count_from_the_document(doc_day: date, phrase_offset: tuple[str, int]) -> None:
    phrase, offset = phrase_offset
    assert found(f"The Minister said {phrase} that he agreed.", doc_day.isoformat()) == [
        (phrase, (doc_day + timedelta(days=offset)).isoformat(), "day")]


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1800, 3, 1), max_value=date(2000, 12, 31)), st.integers(1, 28),
       st.sampled_from([("instant", 0), ("ultimo", -1), ("proximo", 1)]))
def test_instant_ultimo_proximo_shift_the_month(doc_day: date, day: int, word_shift: tuple[str, int]) -> None:
    word, shift = word_shift
    k = doc_day.year * 12 + doc_day.month - 1 + shift
    expected = date(k // 12, k % 12 + 1, day)
    assert found(f"your note of the {_ordinal(day)} {word} was received", doc_day.isoformat()) == [
        (f"the {_ordinal(day)} {word}", expected.isoformat(), "day")]


# ---------------------------------------------------------------- the example


def test_example_yesterday_evening_is_1944_06_10() -> None:
    doc = read_file(EXAMPLE)[0]
    context = Context().for_document(doc)
    assert context.doc_date is not None and context.doc_date.startswith("1944-06-11")
    dates.annotate(doc, context)
    mentions = [m for b in doc.body for m in b.mentions if m.kind == "date"]
    evening = [m for m in mentions if m.text == "yesterday evening"]
    assert len(evening) == 1 and evening[0].value == "1944-06-10" and evening[0].precision == "day"
    in_notes = {m.text: m.value for n in doc.notes for m in n.mentions if m.kind == "date"}
    assert in_notes.get("June 2, 1944") == "1944-06-02"
    assert in_notes.get("June 4") == "1944-06-04"
