"""The JSON API: everything the pages show, as data, under `/api`.

The parameters and their bounds are the pages' own (`despatch.web.params`);
the response models below are what `/openapi.json` and `/docs` describe.
Documents and index entries are the model's own dataclasses
(`despatch.model.Document`, `Entity`), so the API's document is the same
shape as `despatch convert --to json` writes. A snippet comes as plain text
with the offsets of its hits, and as HTML already escaped with the hits in
`<mark>`.
"""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request
from pydantic import AfterValidator, BaseModel, Field

from despatch.corpus.api import FACETS, FacetValue, Hit, QueryError, SearchQuery
from despatch.model import Document, Entity
from despatch.web.app import corpus_of
from despatch.web.params import (
    MAX_VALUE,
    DateFrom,
    DateTo,
    Kind,
    Limit,
    Offset,
    SortParam,
    Text,
    Value,
    Year,
    printable,
)
from despatch.web.views import document_url, entity_url, snippet_html, snippet_text

Id = Annotated[str, Path(max_length=MAX_VALUE), AfterValidator(printable)]


class ErrorOut(BaseModel):
    detail: str = Field(description="What went wrong, in words for the user.")
    errors: list[str] | None = Field(None, description="Each parameter that was not accepted, and why.")


ERRORS: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorOut, "description": "No such document or index entry."},
    422: {"model": ErrorOut, "description": "A parameter out of bounds or malformed."},
}
router = APIRouter(prefix="/api", tags=["api"], responses=ERRORS)


class FacetValueOut(BaseModel):
    value: str = Field(description="What the filter of the same name takes: an index id, a channel, a year.")
    label: str = Field(description="What a reader sees.")
    count: int


class HitOut(BaseModel):
    id: str
    url: str = Field(description="The document's page.")
    head: str
    date: str | None = Field(description="ISO 8601.")
    place: str | None
    senders: list[str]
    recipients: list[str]
    channel: str | None
    snippet: str = Field(description="Plain text around the hits.")
    highlights: list[tuple[int, int]] = Field(description="[start, end) of each hit in `snippet`, in characters.")
    snippet_html: str = Field(description="The snippet escaped for HTML, each hit in <mark>.")
    score: float | None = None


class Period(BaseModel):
    period: str = Field(description="A month (1918-03) or a year (1918).")
    count: int


class SearchOut(BaseModel):
    total: int
    offset: int
    limit: int
    hits: list[HitOut]
    facets: dict[str, list[FacetValueOut]] = Field(description=f"Counts by {', '.join(FACETS)}.")
    histogram: list[Period] = Field(description="Matching documents by month or year.")


class DocumentOut(BaseModel):
    id: str
    url: str
    previous: str | None = Field(description="The document before this one in the chronology.")
    next: str | None = Field(description="The document after this one in the chronology.")
    downloads: dict[str, str] = Field(description="The document as a file: tei, json and text.")
    document: Document


class EntityOut(BaseModel):
    url: str
    entity: Entity
    sent: list[HitOut]
    received: list[HitOut]
    mentioned: list[HitOut]
    companions: list[FacetValueOut] = Field(description="People most often named alongside.")


class EntitySummary(BaseModel):
    id: str
    kind: Literal["person", "place", "org", "date"]
    name: str
    url: str
    description: str | None
    documents: int = Field(description="How many documents name it.")


class EntitiesOut(BaseModel):
    kind: str | None
    q: str
    offset: int
    limit: int
    entities: list[EntitySummary]


class ChronologyOut(BaseModel):
    total: int
    months: list[Period]


class Correspondence(BaseModel):
    sender: FacetValueOut
    recipient: FacetValueOut
    count: int


class CorrespondentsOut(BaseModel):
    pairs: list[Correspondence]


class AboutOut(BaseModel):
    title: str
    version: str
    documents: int
    endpoints: list[str]


def _facet(fv: FacetValue) -> FacetValueOut:
    return FacetValueOut(value=fv.value, label=fv.label, count=fv.count)


def _hit(hit: Hit) -> HitOut:
    text, spans = snippet_text(hit.snippet)
    return HitOut(id=hit.doc_id, url=document_url(hit.doc_id), head=hit.head, date=hit.date, place=hit.place,
                  senders=hit.senders, recipients=hit.recipients, channel=hit.channel, snippet=text,
                  highlights=spans, snippet_html=str(snippet_html(hit.snippet)), score=hit.score)


@router.get("", response_model=AboutOut, summary="What this edition holds")
def about(request: Request) -> AboutOut:
    return AboutOut(title=request.app.title, version=request.app.version, documents=corpus_of(request).count(),
                    endpoints=sorted({getattr(r, "path", "") for r in router.routes}))


@router.get("/search", response_model=SearchOut, summary="Full-text search with facets and a histogram",
            responses={400: {"model": ErrorOut, "description": "A malformed query; `detail` says why."}})
def search(request: Request, q: Text = "", sender: Value = None, recipient: Value = None, place: Value = None,
           person: Value = None, channel: Value = None, year: Year = None, date_from: DateFrom = None,
           date_to: DateTo = None, sort: SortParam = "relevance", limit: Limit = 20, offset: Offset = 0) -> SearchOut:
    query = SearchQuery(text=q.strip(), sender=sender, recipient=recipient, place=place, person=person,
                        channel=channel, year=year, date_from=date_from, date_to=date_to, sort=sort, limit=limit,
                        offset=offset)
    try:
        result = corpus_of(request).search(query)
    except QueryError as exc:
        raise HTTPException(400, str(exc)) from None
    return SearchOut(total=result.total, offset=offset, limit=limit, hits=[_hit(h) for h in result.hits],
                     facets={k: [_facet(v) for v in vs] for k, vs in result.facets.items()},
                     histogram=[Period(period=p, count=n) for p, n in result.histogram])


@router.get("/documents/{doc_id}", response_model=DocumentOut, summary="One document, with its neighbours")
def document(request: Request, doc_id: Id) -> DocumentOut:
    corpus = corpus_of(request)
    doc = corpus.document(doc_id)
    if doc is None:
        raise HTTPException(404, "There is no document with this id.")
    previous, following = corpus.neighbours(doc.id)
    url = document_url(doc.id)
    return DocumentOut(id=doc.id, url=url, previous=previous, next=following, document=doc,
                       downloads={"tei": f"{url}.xml", "json": f"{url}.json", "text": f"{url}.txt"})


@router.get("/entities", response_model=EntitiesOut, summary="Index entries, by kind and name prefix")
def entities(request: Request, kind: Kind = None,
             q: Annotated[str, Query(max_length=MAX_VALUE, description="The start of a name."),
                          AfterValidator(printable)] = "",
             limit: Limit = 50, offset: Offset = 0) -> EntitiesOut:
    found = corpus_of(request).entities(kind, prefix=q.strip(), limit=limit, offset=offset)
    return EntitiesOut(kind=kind, q=q.strip(), offset=offset, limit=limit, entities=[
        EntitySummary(id=e.id, kind=e.kind, name=e.name, url=entity_url(e.id), description=e.description,
                      documents=len(e.documents)) for e in found])


@router.get("/entities/{entity_id}", response_model=EntityOut, summary="An index entry and where it stands")
def entity(request: Request, entity_id: Id, limit: Limit = 50) -> EntityOut:
    page = corpus_of(request).entity(entity_id, limit=limit)
    if page is None:
        raise HTTPException(404, "There is no index entry with this id.")
    return EntityOut(url=entity_url(page.entity.id), entity=page.entity, sent=[_hit(h) for h in page.sent],
                     received=[_hit(h) for h in page.received], mentioned=[_hit(h) for h in page.mentioned],
                     companions=[_facet(c) for c in page.companions])


@router.get("/chronology", response_model=ChronologyOut, summary="Documents per month")
def chronology(request: Request) -> ChronologyOut:
    months = corpus_of(request).chronology()
    return ChronologyOut(total=sum(n for _, n in months), months=[Period(period=p, count=n) for p, n in months])


@router.get("/correspondents", response_model=CorrespondentsOut, summary="Who wrote to whom, how often")
def correspondents(request: Request,
                   limit: Annotated[int, Query(ge=1, le=1000, description="Pairs, most frequent first.")] = 200,
                   ) -> CorrespondentsOut:
    pairs = corpus_of(request).correspondents(limit=limit)
    return CorrespondentsOut(pairs=[Correspondence(sender=_facet(s), recipient=_facet(r), count=n)
                                    for s, r, n in pairs])
