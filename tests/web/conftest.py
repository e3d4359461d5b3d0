"""A real corpus for the web tests: the bundled example, FRUS 1918 Russia documents and a hostile one.

The corpus is built once per session with the real `despatch ingest`, from
the example telegram, the plain transcriptions of FRUS 1918 Russia vol. III
in ../shared/eval/dev, that volume's chapter files (many documents in one
file), a chapter of FRUS 1901 China (so the chronology spans decades), and
one hostile document: a real despatch (Novitsky to Miles, 30
October 1918) into which markup and an ampersand have been pasted, as a
careless transcription or a document about a web page might carry them. The
pages must show that text as text.
"""
from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import EXAMPLE, ROOT, despatch
from despatch.web import create_app

SHARED = ROOT.parent / "shared"
DEV = SHARED / "eval" / "dev"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
EXAMPLE_ID_HINT = "Harriman"  # the example's heading names the Ambassador
# What the hostile document quotes: it must reach every page as text.
SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'
HOSTILE_NUMBER = "9105"


def _hostile_text() -> str:
    """FRUS 1918 Russia III, no. 105, with markup pasted into its heading, body and closer."""
    text = (DEV / "plain" / "frus1918Russiav03-d105.txt").read_text(encoding="utf-8")
    text = text.replace("105.\n", f"{HOSTILE_NUMBER}.\n", 1)
    text = text.replace("Dear Mr. Miles: Previous", f"Dear Mr. Miles: The notice read {SCRIPT} & {IMG}. Previous", 1)
    text = text.replace("I beg to remain [etc.]", "I beg to remain [etc.] <b>&amp;</b>", 1)
    assert SCRIPT in text and IMG in text
    return text


def corpus_sources(folder: Path) -> list[Path]:
    """The files the test corpus is ingested from; the hostile one is written into `folder`."""
    missing = [p for p in (DEV / "plain", DEV / "chapter") if not p.is_dir()]
    if missing:
        pytest.fail(f"the shared evaluation files are not at {DEV} (expected beside the repository as ../shared)")
    hostile = folder / "hostile-frus1918Russiav03-d9105.txt"
    hostile.write_text(_hostile_text(), encoding="utf-8")
    plain = sorted((DEV / "plain").glob("frus1918Russiav03-d*.txt"))
    chapters = sorted((DEV / "chapter").glob("frus1918Russiav03-chapter*.txt"))
    return [EXAMPLE, *plain, *chapters, DEV / "chapter" / "frus1901China-chapter01.txt", hostile]


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus file, built with the real `despatch ingest`."""
    folder = tmp_path_factory.mktemp("web-corpus")
    db = folder / "corpus.sqlite"
    run = despatch("ingest", *corpus_sources(folder), "--db", db)
    assert run.code == 0, f"despatch ingest failed:\n{run.stderr}"
    return db


def digest(path: Path) -> str:
    """What the corpus holds, byte for byte, main file and write-ahead log together."""
    h = hashlib.sha256()
    for p in (path, path.with_name(path.name + "-wal")):
        if p.exists():
            h.update(p.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="session")
def client(corpus_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(corpus_db)) as c:
        yield c


@dataclass(frozen=True)
class Known:
    """Ids the tests look at, found through the API rather than assumed."""

    example: str  # the Harriman telegram of the example
    hostile: str  # the document with markup pasted in
    person: str  # an index entry of a person who sent documents
    place: str
    org: str | None


@pytest.fixture(scope="session")
def known(client: TestClient) -> Known:
    def first_id(**params: str) -> str:
        hits = client.get("/api/search", params=params).json()["hits"]
        assert hits, f"no document for {params}"
        return str(hits[0]["id"])

    example = first_id(q="Burrows")
    hostile = first_id(q="onerror")

    def entity(kind: str) -> str | None:
        items = client.get("/api/entities", params={"kind": kind, "limit": 100}).json()["entities"]
        items.sort(key=lambda e: -e["documents"])
        return items[0]["id"] if items else None

    person, place = entity("person"), entity("place")
    assert person and place
    return Known(example=example, hostile=hostile, person=person, place=place, org=entity("org"))


def chromium_path() -> str:
    """Debian's chromium, which `.ci/run` installs; the browser tests fail (never skip) without it."""
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if not found:
        pytest.fail("chromium is not installed: the browser tests drive Debian's /usr/bin/chromium; "
                    ".ci/run installs it (apt-get install -y chromium fonts-dejavu-core)")
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else found


def words(html: str) -> str:
    """The text of an HTML page with tags dropped and whitespace collapsed, for `in` checks."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
