-- The embedded corpus, version 1: files, documents, their notes, mentions and
-- parties, the facet terms a search counts, the full-text index, the index of
-- persons, places and organizations, and the editor's curation of it.
-- Applied by despatch.corpus.schema inside one transaction.

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per raw file ingested; `path` is absolute, so a file is the same file
-- whatever folder the ingest ran from.
CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime REAL NOT NULL,
    ingested_at TEXT NOT NULL,
    annotated INTEGER NOT NULL,  -- 1 if the annotators ran; an ingest with the other setting replaces it
    documents INTEGER NOT NULL
);

-- `n` is the rowid the full-text index shares. `chrono` orders the chronology:
-- the ISO date, or '~' (after every date) when there is none.
CREATE TABLE documents (
    n INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    file INTEGER NOT NULL REFERENCES files(id),
    position INTEGER NOT NULL,
    number TEXT,
    head TEXT NOT NULL,
    date TEXT,
    date_text TEXT,
    precision TEXT,
    chrono TEXT NOT NULL,
    place TEXT,
    channel TEXT,
    classification TEXT NOT NULL,  -- JSON list
    file_numbers TEXT NOT NULL,    -- JSON list
    source_file TEXT,
    source_format TEXT
);
CREATE INDEX documents_chrono ON documents(chrono, n);
CREATE INDEX documents_file ON documents(file, position);

-- The whole Document (compact JSON, zlib: despatch.corpus.codec), apart from the
-- columns above so that a search joining thousands of documents reads small rows.
CREATE TABLE document_data (
    n INTEGER PRIMARY KEY REFERENCES documents(n),
    data BLOB NOT NULL
);

-- Enclosures live inside their parent's `data`; this finds the parent of one.
CREATE TABLE enclosures (
    id TEXT PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents(n)
) WITHOUT ROWID;
CREATE INDEX enclosures_doc ON enclosures(doc);

CREATE TABLE parties (
    doc INTEGER NOT NULL REFERENCES documents(n),
    role TEXT NOT NULL CHECK (role IN ('from', 'to')),
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    name TEXT,
    office TEXT,
    ref TEXT,
    PRIMARY KEY (doc, role, position)
) WITHOUT ROWID;

CREATE TABLE notes (
    doc INTEGER NOT NULL REFERENCES documents(n),
    part INTEGER NOT NULL,          -- which of Document.all_documents(): 0 the document, 1... its enclosures
    position INTEGER NOT NULL,
    n TEXT,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    anchor_part TEXT,
    anchor_block INTEGER,
    anchor_offset INTEGER,
    PRIMARY KEY (doc, part, position)
) WITHOUT ROWID;

CREATE TABLE mentions (
    doc INTEGER NOT NULL REFERENCES documents(n),
    seq INTEGER NOT NULL,
    part INTEGER NOT NULL,          -- as in notes
    holder TEXT NOT NULL,           -- head, dateline, body, closer or note
    block INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    ref TEXT,
    value TEXT,
    precision TEXT,
    form TEXT NOT NULL,
    PRIMARY KEY (doc, seq)
) WITHOUT ROWID;

-- Facet terms: ("sender", "p-w-averell-harriman"), ("channel", "telegram"),
-- ("month", "1944-06")... `docs` counts the documents filed under each, so a
-- search without words or filters needs no counting.
CREATE TABLE terms (
    id INTEGER PRIMARY KEY,
    facet TEXT NOT NULL,
    value TEXT NOT NULL,
    label TEXT NOT NULL,
    docs INTEGER NOT NULL DEFAULT 0,
    UNIQUE (facet, value)
);
CREATE INDEX terms_label ON terms(facet, label COLLATE NOCASE);

-- `facet` repeats the term's facet as a small number (its place in
-- despatch.corpus.prepare.TERM_FACETS), so counting the facets of a result
-- reads only the rows it counts: (doc, facet < 7) is a range of this key.
CREATE TABLE doc_terms (
    doc INTEGER NOT NULL,
    facet INTEGER NOT NULL,
    term INTEGER NOT NULL,
    PRIMARY KEY (doc, facet, term)
) WITHOUT ROWID;
CREATE INDEX doc_terms_term ON doc_terms(term, doc);

CREATE VIRTUAL TABLE documents_fts USING fts5(
    head, body, notes, parties,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- The index, each entry merged from its files' entries (`entity_parts`), so
-- replacing or removing a file gives exactly the entries the others make.
CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    sort_name TEXT NOT NULL,        -- lower case, without diacritics: what a prefix is compared with
    documents INTEGER NOT NULL,
    data TEXT NOT NULL              -- the whole Entity as JSON
) WITHOUT ROWID;
CREATE INDEX entities_kind_name ON entities(kind, sort_name);
CREATE INDEX entities_name ON entities(sort_name);

CREATE TABLE entity_parts (
    entity TEXT NOT NULL,
    file INTEGER NOT NULL REFERENCES files(id),
    data TEXT NOT NULL,             -- the file's own entry as JSON
    PRIMARY KEY (entity, file)
) WITHOUT ROWID;
CREATE INDEX entity_parts_file ON entity_parts(file);

-- What the annotators learnt from every file ingested (despatch.annotate.Knowledge):
-- names known to be people's, and words written in lower case. It only grows, so
-- a file added later is read with what the earlier ones taught.
CREATE TABLE known_names (
    form TEXT PRIMARY KEY,
    name TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE known_words (
    word TEXT PRIMARY KEY
) WITHOUT ROWID;

-- The editor's corrections to the index, in the order made; they outlive every
-- re-ingest and are applied to each file as it is stored.
CREATE TABLE curation (
    seq INTEGER PRIMARY KEY,
    op TEXT NOT NULL CHECK (op IN ('merge', 'split')),
    entry TEXT NOT NULL,            -- merge: the entry merged away; split: the entry a form leaves
    target TEXT NOT NULL,           -- merge: the entry kept; split: the new entry
    document TEXT,                  -- split only
    form TEXT,                      -- split only
    made_at TEXT NOT NULL
);
