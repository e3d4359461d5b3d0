"""The reading pages: search, document, index entries, chronology, correspondents.

Each handler asks the corpus one or two questions, turns the answers into
views (`despatch.web.views`, `despatch.web.charts`) and fills a template.
Every page works without JavaScript: facets, paging, sorting and the charts
are links; the footnote popovers of `static/app.js` only enhance links that
already lead to the notes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import AfterValidator

from despatch.corpus.api import FACETS, QueryError, SearchResult
from despatch.web import charts
from despatch.web.app import EDITION, corpus_of, templates
from despatch.web.downloads import DOWNLOADS, filename
from despatch.web.params import (
    MAX_OFFSET,
    MAX_VALUE,
    DateFrom,
    DateTo,
    Kind,
    Limit,
    Page,
    SearchForm,
    SortParam,
    Text,
    Value,
    Year,
    printable,
)
from despatch.web.views import KIND_LABELS, KIND_SINGULAR, document_page, document_url, entity_url

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)
Id = Annotated[str, Path(max_length=MAX_VALUE), AfterValidator(printable)]
FACET_LABELS = {"sender": "Sender", "recipient": "Recipient", "place": "Place", "person": "Person named",
                "channel": "Channel", "year": "Year"}
SORT_OPTIONS = [("relevance", "relevance"), ("date", "date, oldest first"), ("-date", "date, newest first")]
FACET_SHOWN = 12  # values listed per facet; the rest are reached by searching
ENTITIES_PER_PAGE = 50


@dataclass
class FacetLink:
    label: str
    count: int
    href: str
    active: bool


@dataclass
class ActiveFilter:
    facet: str
    name: str  # the facet's label
    value: str
    label: str  # the value as a reader knows it
    remove: str  # the URL without this filter


def _render(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    return templates().TemplateResponse(request, template, context, status_code=status)


def _facet_links(form: SearchForm, result: SearchResult) -> dict[str, list[FacetLink]]:
    out: dict[str, list[FacetLink]] = {}
    for facet in FACETS:
        current = getattr(form, facet)
        links = []
        for fv in result.facets.get(facet, [])[:FACET_SHOWN]:
            active = current is not None and str(current) == fv.value
            value: object = fv.value
            if facet == "year":
                if not fv.value.isdigit():
                    continue
                value = int(fv.value)
            href = form.url(**{facet: None if active else value})
            links.append(FacetLink(fv.label or fv.value, fv.count, href, active))
        if links:
            out[facet] = links
    return out


def _active_filters(form: SearchForm, result: SearchResult | None) -> list[ActiveFilter]:
    out = []
    for facet, value in form.filters:
        label = next((fv.label for fv in (result.facets.get(facet, []) if result else []) if fv.value == value), value)
        out.append(ActiveFilter(facet, FACET_LABELS[facet], value, label, form.url(**{facet: None})))
    if form.date_from or form.date_to:
        span = f"{form.date_from or '…'} to {form.date_to or '…'}"
        out.append(ActiveFilter("date", "Dates", span, span, form.url(date_from=None, date_to=None)))
    return out


def _period_href(form: SearchForm) -> charts.Href:
    def href(period: str) -> str:
        return form.url(date_from=period, date_to=period)
    return href


@router.get("/")
def search_page(request: Request, q: Text = "", sender: Value = None, recipient: Value = None, place: Value = None,
                person: Value = None, channel: Value = None, year: Year = None, date_from: DateFrom = None,
                date_to: DateTo = None, sort: SortParam = "relevance", page: Page = 1,
                per_page: Limit = 20) -> Response:
    form = SearchForm(q=q, sender=sender, recipient=recipient, place=place, person=person, channel=channel,
                      year=year, date_from=date_from, date_to=date_to, sort=sort, page=page, per_page=per_page)
    if form.offset > MAX_OFFSET:
        raise HTTPException(422, f"Results are listed up to the {MAX_OFFSET:,}th; narrow the search to see more.")
    corpus = corpus_of(request)
    try:
        result = corpus.search(form.query())
    except QueryError as exc:
        return _render(request, "search.html", status=400, title="Search", nav="search", form=form, result=None,
                       query_error=str(exc), facets={}, filters=_active_filters(form, None), chart=None, bars=[],
                       pages=None, facet_labels=FACET_LABELS, sorts=SORT_OPTIONS)
    bars = charts.time_bars(result.histogram)
    chart = charts.bar_chart(bars, _period_href(form), "Matching documents over time (the table after the chart "
                             "gives the figures)", "histogram") if bars else None
    last_page = max(1, -(-result.total // form.per_page))
    pages = {"current": page, "last": last_page,
             "previous": form.url(page=page - 1) if page > 1 else None,
             "next": form.url(page=page + 1) if page < last_page and form.offset + form.per_page <= MAX_OFFSET else None,
             "first_shown": form.offset + 1, "last_shown": form.offset + len(result.hits)}
    title = f"{form.q.strip()} – Search" if form.q.strip() else "Search"
    return _render(request, "search.html", title=title, nav="search", form=form, result=result, query_error=None,
                   facets=_facet_links(form, result), filters=_active_filters(form, result), chart=chart, bars=bars,
                   period_href=_period_href(form), pages=pages, facet_labels=FACET_LABELS, sorts=SORT_OPTIONS)


@router.get("/documents/{name}")
def document(request: Request, name: Id) -> Response:
    """A document's page; `ID.xml`, `ID.json` and `ID.txt` download it."""
    corpus = corpus_of(request)
    doc = corpus.document(name)
    if doc is None:
        stem, dot, suffix = name.rpartition(".")
        download = DOWNLOADS.get(suffix) if dot else None
        found = corpus.document(stem) if download else None
        if download is None or found is None:
            raise HTTPException(404, "There is no document with this id.")
        return Response(download.render(found, corpus), media_type=download.media_type,
                        headers={"Content-Disposition": f'attachment; filename="{filename(found.id, download.suffix)}"'})
    url = str(request.url_for("document", name=doc.id))
    view = document_page(doc, url, date.today(), EDITION)
    previous_id, next_id = corpus.neighbours(doc.id)
    neighbours = []
    for rel, label, other_id in (("prev", "Previous", previous_id), ("next", "Next", next_id)):
        if other_id:
            other = corpus.document(other_id)
            heading = (other.head.text or other.label or other_id) if other else other_id
            when = other.date.day if other and other.date else None
            neighbours.append({"rel": rel, "label": label, "href": document_url(other_id), "heading": heading,
                               "date": when})
    downloads = [(label, f"{document_url(doc.id)}.{suffix}", filename(doc.id, suffix))
                 for label, suffix in (("TEI XML", "xml"), ("JSON", "json"), ("Plain text", "txt"))]
    return _render(request, "document.html", title=doc.head.text or doc.label or doc.id, nav="", doc=doc, page=view,
                   url=url, neighbours=neighbours, downloads=downloads, kind_labels=KIND_LABELS,
                   entity_url=entity_url)


@router.get("/entities")
def entity_index(request: Request, kind: Kind = None, q: Value = None, page: Page = 1) -> Response:
    corpus = corpus_of(request)
    prefix = (q or "").strip()
    offset = (page - 1) * ENTITIES_PER_PAGE
    # one more than a page tells whether there is a next page without counting them all
    entries = corpus.entities(kind, prefix=prefix, limit=ENTITIES_PER_PAGE + 1, offset=offset)
    more = len(entries) > ENTITIES_PER_PAGE

    def url(**changes: object) -> str:
        params = {"kind": kind, "q": prefix or None, "page": page, **changes}
        return "/entities?" + urlencode({k: v for k, v in params.items() if v not in (None, "", 1)})

    return _render(request, "entities.html", title="Index", nav="entities", entries=entries[:ENTITIES_PER_PAGE],
                   kind=kind, q=prefix, page=page, offset=offset,
                   previous=url(page=page - 1) if page > 1 else None, next=url(page=page + 1) if more else None,
                   kinds=[(None, "All"), ("person", "People"), ("place", "Places"), ("org", "Organizations")],
                   kind_url=lambda k: url(kind=k, page=1), kind_singular=KIND_SINGULAR, entity_url=entity_url)


@router.get("/entities/{entity_id}")
def entity(request: Request, entity_id: Id) -> Response:
    corpus = corpus_of(request)
    found = corpus.entity(entity_id, limit=50)
    if found is None:
        raise HTTPException(404, "There is no index entry with this id.")
    e = found.entity
    # the search's person filter is "named anywhere"; its place filter is where a document was
    # written, which is a list of its own on a place's page
    search_all = SearchForm(person=e.id, sort="date").url() if e.kind == "person" else None
    written_here = SearchForm(place=e.id, sort="date").url() if e.kind == "place" else None
    return _render(request, "entity.html", title=e.name, nav="entities", page=found, e=e,
                   kind_singular=KIND_SINGULAR, entity_url=entity_url, document_url=document_url,
                   sent_url=SearchForm(sender=e.id, sort="date").url(),
                   received_url=SearchForm(recipient=e.id, sort="date").url(), search_all=search_all,
                   written_here=written_here)


@router.get("/chronology")
def chronology(request: Request) -> Response:
    rows = charts.year_rows(corpus_of(request).chronology())

    def href(period: str) -> str:
        return SearchForm(date_from=period, date_to=period, sort="date").url()

    return _render(request, "chronology.html", title="Chronology", nav="chronology", rows=rows,
                   chart=charts.calendar_chart(rows, href) if rows else None, href=href,
                   month_names=charts.MONTH_NAMES, total=sum(r.total for r in rows))


@router.get("/correspondents")
def correspondents(request: Request) -> Response:
    pairs = corpus_of(request).correspondents(limit=200)
    matrix = charts.correspondence_matrix(pairs)

    def href(sender: str, recipient: str) -> str:
        return SearchForm(sender=sender, recipient=recipient, sort="date").url()

    return _render(request, "correspondents.html", title="Correspondents", nav="correspondents", pairs=pairs,
                   chart=charts.matrix_chart(matrix, href) if pairs else None, href=href,
                   sender_url=lambda v: SearchForm(sender=v, sort="date").url(),
                   recipient_url=lambda v: SearchForm(recipient=v, sort="date").url())
