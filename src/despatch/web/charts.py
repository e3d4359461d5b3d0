"""Server-rendered SVG charts: results over time, documents per month, who wrote to whom.

Each chart is inline SVG built here with every label escaped (`Markup.format`
escapes its arguments), coloured by CSS classes so the page's stylesheet (and
its dark scheme) decides the colours, and with no style attributes, so the
Content-Security-Policy needs no inline styles. A chart is a picture for the
sighted reader: its links are out of the tab order and every chart is
followed on its page by a table or list with the same figures and links.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from despatch.corpus.api import FacetValue

MONTH_INITIALS = ("J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
SHADES = 5  # colour steps of a heat map, q1 (lightest) to q5; q0 is an empty cell
MAX_MONTHS_AS_MONTHS = 48  # a histogram spanning more months than this is drawn by year
MAX_YEARS_CONTINUOUS = 120  # past this a year axis shows only the years that have documents
MAX_LABELS = 12  # axis labels on a bar chart, so they never overlap
Href = Callable[[str], str | None]


@dataclass
class Bar:
    period: str  # "1918" or "1918-03"
    label: str  # "1918", "March 1918"
    count: int


def month_label(period: str) -> str:
    """ "1918-03" -> "March 1918"; a year stays as it is."""
    if len(period) >= 7 and period[5:7].isdigit() and 1 <= int(period[5:7]) <= 12:
        return f"{MONTH_NAMES[int(period[5:7]) - 1]} {period[:4]}"
    return period


def _year(period: str) -> int | None:
    return int(period[:4]) if period[:4].isdigit() else None


def time_bars(series: list[tuple[str, int]]) -> list[Bar]:
    """A histogram's periods as bars on a time axis with its empty periods kept.

    Months when they span four years or less; otherwise years, every year
    from the first to the last (so gaps show) unless that would be more than
    a century of mostly empty years, when only the years with documents stand.
    """
    series = [(p, n) for p, n in series if _year(p) is not None and n > 0]
    if not series:
        return []
    years = sorted({_year(p) or 0 for p, _ in series})
    by_month = all(len(p) >= 7 for p, _ in series)
    if by_month:
        counts = Counter({p[:7]: 0 for p, _ in series})
        for p, n in series:
            counts[p[:7]] += n
        first, last = min(counts), max(counts)
        span = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7]) - int(first[5:7]) + 1
        if span < 12:
            # a few months alone give no sense of time: show them in their whole year(s)
            first, last = f"{first[:4]}-01", f"{last[:4]}-12"
            span = (int(last[:4]) - int(first[:4]) + 1) * 12
        if span <= MAX_MONTHS_AS_MONTHS:
            bars = []
            y, m = int(first[:4]), int(first[5:7])
            for _ in range(span):
                key = f"{y:04d}-{m:02d}"
                bars.append(Bar(key, month_label(key), counts.get(key, 0)))
                y, m = (y + 1, 1) if m == 12 else (y, m + 1)
            return bars
    per_year: Counter[int] = Counter()
    for p, n in series:
        per_year[_year(p) or 0] += n
    if years[-1] - years[0] < MAX_YEARS_CONTINUOUS:
        years = list(range(years[0], years[-1] + 1))
    return [Bar(f"{y:04d}", f"{y:04d}", per_year.get(y, 0)) for y in years]


def _svg_open(kind: str, chart_id: str, width: float, height: float) -> Markup:
    # Width and height in pixels as well as the viewBox: the stylesheet lets a chart
    # shrink to a narrow screen (max-width) but never blows its text up past its size.
    return Markup('<svg class="chart {}" id="{}" width="{}" height="{}" viewBox="0 0 {} {}" role="img" '
                  'aria-labelledby="{}-title" xmlns="http://www.w3.org/2000/svg">').format(
        kind, chart_id, width, height, width, height, chart_id)


def _axis_label(period: str, first: bool) -> str:
    """ "1918"; "Mar" for a month, "Jan 1918" where a year begins (and on the first bar)."""
    if len(period) < 7:
        return period
    month = MONTH_NAMES[int(period[5:7]) - 1][:3]
    return f"{month} {period[:4]}" if first or period[5:7] == "01" else month


def _nice_max(value: int) -> int:
    """A round top for a count axis: 7 -> 8, 23 -> 25, 480 -> 500."""
    if value <= 5:
        return max(value, 1)
    magnitude = 10 ** int(math.log10(value))
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if value <= step * magnitude:
            return int(step * magnitude)
    return value


def bar_chart(bars: list[Bar], href: Href, label: str, chart_id: str, unit: str = "document") -> Markup:
    """Bars over time: `label` names the chart for assistive technology; each bar links to `href(period)`."""
    width, height = 720, 180
    left, right, top, bottom = 44, 8, 10, 26
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = _nice_max(max((b.count for b in bars), default=0))
    step = min(plot_w / max(len(bars), 1), 48.0)  # a handful of bars stay bars, not slabs
    gap = min(2.0, step * 0.15)
    out = [_svg_open("bar-chart", chart_id, width, height),
        Markup('<title id="{}-title">{}</title>').format(chart_id, label)]
    for value in (0, top_value // 2, top_value) if top_value > 1 else (0, top_value):
        y = top + plot_h - plot_h * value / top_value
        out.append(Markup('<line class="grid" x1="{}" x2="{:.1f}" y1="{:.1f}" y2="{:.1f}"/>'
                          '<text class="axis" x="{}" y="{:.1f}" text-anchor="end" dominant-baseline="middle">{}</text>')
                   .format(left, left + step * len(bars), y, y, left - 6, y, value))
    every = max(1, math.ceil(len(bars) / MAX_LABELS))
    for k, bar in enumerate(bars):
        x = left + k * step
        if bar.count:
            h = max(1.0, plot_h * bar.count / top_value)
            noun = unit if bar.count == 1 else unit + "s"
            rect = Markup('<rect class="bar" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}">'
                          '<title>{}: {} {}</title></rect>').format(
                x + gap / 2, top + plot_h - h, max(step - gap, 0.5), h, bar.label, bar.count, noun)
            link = href(bar.period)
            out.append(Markup('<a href="{}" tabindex="-1">{}</a>').format(link, rect) if link else rect)
        if k % every == 0:
            out.append(Markup('<text class="axis" x="{:.1f}" y="{}" text-anchor="middle">{}</text>').format(
                x + step / 2, height - 8, _axis_label(bar.period, first=k == 0)))
    out.append(Markup("</svg>"))
    return Markup("").join(out)


def shade(count: int, top: int) -> int:
    """The heat-map class of a count, on a log scale so one busy month does not wash out the rest."""
    if count <= 0 or top <= 0:
        return 0
    if top == 1:
        return SHADES
    return 1 + min(SHADES - 1, int((SHADES - 1) * math.log(count) / math.log(top) + 0.5))


@dataclass
class YearRow:
    year: str
    months: list[int]  # twelve counts
    total: int


def year_rows(chronology: list[tuple[str, int]]) -> list[YearRow]:
    """Documents per month as one row of twelve counts per year that has any."""
    rows: dict[str, list[int]] = {}
    for period, count in chronology:
        if len(period) >= 7 and period[:4].isdigit() and period[5:7].isdigit() and 1 <= int(period[5:7]) <= 12:
            rows.setdefault(period[:4], [0] * 12)[int(period[5:7]) - 1] += count
    return [YearRow(y, months, sum(months)) for y, months in sorted(rows.items())]


def calendar_chart(rows: list[YearRow], href: Href, chart_id: str = "chronology-chart") -> Markup:
    """A year-by-month heat map: one row a year, one cell a month, darker for more documents.

    Only years with documents have a row; where years without any lie between
    two rows, a half-row gap with an ellipsis says so.
    """
    cell_w, cell_h, left, top, gap = 46, 24, 52, 22, 12
    ys: list[float] = []
    y = float(top)
    for r, row in enumerate(rows):
        if r and int(row.year) - int(rows[r - 1].year) > 1:
            y += gap
        ys.append(y)
        y += cell_h
    width = left + 12 * cell_w + 60
    height = y + 4
    peak = max((n for r in rows for n in r.months), default=0)
    out = [_svg_open("calendar-chart", chart_id, width, height),
           Markup('<title id="{}-title">Documents per month, one row a year (the table below gives the figures)'
                  '</title>').format(chart_id)]
    for m, initial in enumerate(MONTH_INITIALS):
        out.append(Markup('<text class="axis" x="{}" y="{}" text-anchor="middle">{}</text>').format(
            left + m * cell_w + cell_w / 2, top - 8, initial))
    out.append(Markup('<text class="axis" x="{}" y="{}" text-anchor="start">total</text>').format(
        left + 12 * cell_w + 8, top - 8))
    for r, (row, y) in enumerate(zip(rows, ys)):
        if r and y - ys[r - 1] > cell_h:
            out.append(Markup('<text class="gap" x="{}" y="{}" text-anchor="end" dominant-baseline="middle">…</text>')
                       .format(left - 8, y - gap / 2))
        out.append(Markup('<text class="axis year" x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}'
                          '</text>').format(left - 8, y + cell_h / 2, row.year))
        for m, count in enumerate(row.months):
            q = shade(count, peak)
            noun = "document" if count == 1 else "documents"
            cell = Markup('<rect class="cell q{}" x="{}" y="{}" width="{}" height="{}" rx="2">'
                          '<title>{} {}: {} {}</title></rect>').format(
                q, left + m * cell_w + 1, y + 1, cell_w - 2, cell_h - 2, MONTH_NAMES[m], row.year, count, noun)
            if count:
                cell += Markup('<text class="cell-n q{}" x="{}" y="{}" text-anchor="middle" '
                               'dominant-baseline="middle">{}</text>').format(
                    q, left + m * cell_w + cell_w / 2, y + cell_h / 2 + 1, count)
                link = href(f"{row.year}-{m + 1:02d}")
                out.append(Markup('<a href="{}" tabindex="-1">{}</a>').format(link, cell) if link else cell)
            else:
                out.append(cell)
        out.append(Markup('<text class="axis" x="{}" y="{}" dominant-baseline="middle">{}</text>').format(
            left + 12 * cell_w + 8, y + cell_h / 2 + 1, row.total))
    out.append(Markup("</svg>"))
    return Markup("").join(out)


@dataclass
class Matrix:
    """Correspondents in the same order down the side (as senders) and along the top (as recipients)."""

    people: list[FacetValue]  # busiest first; `count` is what each sent and received together
    cells: dict[tuple[str, str], int]  # (sender value, recipient value) -> documents


def correspondence_matrix(pairs: list[tuple[FacetValue, FacetValue, int]], size: int = 16) -> Matrix:
    """The `size` busiest correspondents and what passed between them.

    One order for rows and columns, so a correspondence both ways shows as two
    cells mirrored across the diagonal.
    """
    total: Counter[str] = Counter()
    labels: dict[str, str] = {}
    cells: dict[tuple[str, str], int] = {}
    for sender, recipient, count in pairs:
        total[sender.value] += count
        total[recipient.value] += count
        labels.setdefault(sender.value, sender.label)
        labels.setdefault(recipient.value, recipient.label)
        cells[(sender.value, recipient.value)] = cells.get((sender.value, recipient.value), 0) + count
    people = [FacetValue(v, labels[v], n) for v, n in total.most_common(size)]
    return Matrix(people, cells)


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[:limit - 1].rstrip() + "…"


def matrix_chart(matrix: Matrix, href: Callable[[str, str], str], chart_id: str = "correspondents-chart") -> Markup:
    """An adjacency matrix: who wrote (rows) to whom (columns), darker for more documents."""
    n = len(matrix.people)
    cell, left, top = 32, 210, 150
    # the last column's label leans out to the right by its length times cos 50°
    width = left + n * cell + 120
    height = top + n * cell + 8
    peak = max(matrix.cells.values(), default=0)
    out = [_svg_open("matrix-chart", chart_id, width, height),
           Markup('<title id="{}-title">Who wrote to whom: senders in rows, recipients in columns, stronger colours for '
                  'more documents (the table below gives the figures)</title>').format(chart_id)]
    out.append(Markup('<text class="axis corner" x="{}" y="{}" text-anchor="end">from ↓ to →</text>').format(
        left - 8, top - 8))
    for c, person in enumerate(matrix.people):
        x = left + c * cell + cell / 2
        out.append(Markup('<text class="axis" transform="translate({:.1f} {}) rotate(-50)" dominant-baseline="middle">'
                          '{}<title>{}</title></text>').format(x, top - 6, _short(person.label, 24), person.label))
    for r, sender in enumerate(matrix.people):
        y = top + r * cell
        out.append(Markup('<text class="axis" x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}'
                          '<title>{}</title></text>').format(left - 8, y + cell / 2, _short(sender.label, 28),
                                                              sender.label))
        for c, recipient in enumerate(matrix.people):
            count = matrix.cells.get((sender.value, recipient.value), 0)
            q = shade(count, peak)
            diagonal = " diagonal" if r == c else ""
            rect = Markup('<rect class="cell q{}{}" x="{}" y="{}" width="{}" height="{}" rx="2"><title>{} to {}: {} '
                          '{}</title></rect>').format(q, diagonal, left + c * cell + 1, y + 1, cell - 2, cell - 2,
                                                       sender.label, recipient.label, count,
                                                       "document" if count == 1 else "documents")
            if count:
                rect += Markup('<text class="cell-n q{}" x="{}" y="{}" text-anchor="middle" dominant-baseline="middle">'
                               '{}</text>').format(q, left + c * cell + cell / 2, y + cell / 2 + 1, count)
                out.append(Markup('<a href="{}" tabindex="-1">{}</a>').format(href(sender.value, recipient.value),
                                                                             rect))
            else:
                out.append(rect)
    out.append(Markup("</svg>"))
    return Markup("").join(out)
