"""What a reader may ask of the web app, bounded before it reaches the corpus.

Every query-string value passes through these types: text is capped in length
and may hold no control characters (a NUL byte or an escape sequence is never
part of a search a person typed), numbers are capped, dates are ISO dates. A
value outside the bounds is a 422 with the reason, which the app shows as a
friendly page to a browser and as JSON to an API client; nothing unbounded or
malformed is ever handed to the store.

`SearchForm` is one search as the pages see it: the query, its filters, the
sort and the page, with the URL of the same search changed in one respect
(another page, a filter added or removed), so that facets, paging and charts
are plain links that work without JavaScript.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Annotated, Literal, get_args
from urllib.parse import quote, urlencode

from fastapi import Query
from pydantic import AfterValidator

from despatch.corpus.api import SearchQuery, Sort

MAX_QUERY = 500  # characters of a full-text query
MAX_VALUE = 200  # characters of a filter value or an id
MAX_PAGE_SIZE = 100
MAX_OFFSET = 10_000  # deep paging past this is a crawler, not a reader; a narrower search serves better
MAX_PAGE = MAX_OFFSET // 10 + 1
DEFAULT_PAGE_SIZE = 20
# Any C0 or C1 control character, DEL and the unpaired surrogates a hostile URL can smuggle in.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# A date filter as a reader types it: "1918", "1918-03" or "1918-03-14".
PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
SORTS: tuple[str, ...] = get_args(Sort)
FACET_FIELDS = ("sender", "recipient", "place", "person", "channel", "year")


def printable(value: str | None) -> str | None:
    """The value unchanged, or a ValueError if it holds a control character."""
    if value is not None and CONTROL.search(value):
        raise ValueError("control characters are not allowed")
    return value


def iso_period(value: str | None) -> str | None:
    """A date filter checked against the calendar and kept as written: "1918", "1918-03" or "1918-03-14".

    The store reads a partial date as the whole period it names (`date_to=1918-03`
    takes in every day of March), so the URL keeps what the reader typed.
    """
    if value is None or value == "":
        return None
    m = PARTIAL_DATE.match(value)
    if not m:
        raise ValueError("a date is written YYYY, YYYY-MM or YYYY-MM-DD")
    try:
        date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
    except ValueError:
        raise ValueError("no such date in the calendar") from None
    return value


# The parameter types, shared by the pages and the API so both document the same bounds.
Text = Annotated[str, Query(max_length=MAX_QUERY, description="Full-text query: words, \"phrases\", "
                            "AND/OR/NOT, prefix*."), AfterValidator(printable)]
Value = Annotated[str | None, Query(max_length=MAX_VALUE), AfterValidator(printable)]
Year = Annotated[int | None, Query(ge=1, le=9999)]
DateFrom = Annotated[str | None, Query(max_length=10, description="Inclusive: YYYY, YYYY-MM or YYYY-MM-DD."),
                     AfterValidator(iso_period)]
DateTo = Annotated[str | None, Query(max_length=10, description="Inclusive: YYYY, YYYY-MM or YYYY-MM-DD."),
                   AfterValidator(iso_period)]
SortParam = Annotated[Literal["relevance", "date", "-date"], Query(description="relevance, date or -date")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
Page = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Kind = Annotated[Literal["person", "place", "org"] | None, Query(description="person, place or org")]


def segment(value: str) -> str:
    """`value` as one path segment of a URL: slashes and all quoted."""
    return quote(value, safe="")


@dataclass(frozen=True)
class SearchForm:
    """One search as the pages see it; `page` counts from 1."""

    q: str = ""
    sender: str | None = None
    recipient: str | None = None
    place: str | None = None
    person: str | None = None
    channel: str | None = None
    year: int | None = None
    date_from: str | None = None
    date_to: str | None = None
    sort: Sort = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PAGE_SIZE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def query(self) -> SearchQuery:
        return SearchQuery(text=self.q.strip(), sender=self.sender, recipient=self.recipient, place=self.place,
                           person=self.person, channel=self.channel, date_from=self.date_from, date_to=self.date_to,
                           year=self.year, sort=self.sort, limit=self.per_page, offset=self.offset)

    @property
    def filters(self) -> list[tuple[str, str]]:
        """The facet filters in force, as (facet, value)."""
        return [(f, str(getattr(self, f))) for f in FACET_FIELDS if getattr(self, f) not in (None, "")]

    @property
    def is_empty(self) -> bool:
        return not self.q.strip() and not self.filters and not self.date_from and not self.date_to

    def url(self, **changes: object) -> str:
        """The search page's URL for this search with `changes`; any change but the page goes back to page 1."""
        if "page" not in changes:
            changes["page"] = 1
        form = replace(self, **changes)  # type: ignore[arg-type]
        default = SearchForm()
        params = [(f.name, getattr(form, f.name)) for f in fields(form)
                  if getattr(form, f.name) not in (None, "") and getattr(form, f.name) != getattr(default, f.name)]
        return "/" + ("?" + urlencode(params) if params else "")
