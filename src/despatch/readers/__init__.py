"""Readers: every raw form in, `Document`s out.

`read_file` picks the reader for a file and returns its documents; each
reader module covers one raw form. Text forms (Word export, plain
transcription, OCR) and .docx go through `parse.structure`; TEI editions map
their own markup straight onto the model.
"""
from __future__ import annotations

from pathlib import Path

from despatch.errors import InputError
from despatch.model import Document
from despatch.parse.structure import Draft, assemble, complete_years
from despatch.readers import plain, wordexport
from despatch.readers.decode import decode_text
from despatch.readers.detect import format_of, is_document_file

__all__ = ["is_document_file", "read_bytes", "read_file"]


def _text_drafts(text: str) -> tuple[str, list[Draft]]:
    from despatch.readers import ocr

    if wordexport.looks_like(text):
        return "wordexport", wordexport.read_drafts(text)
    if ocr.looks_like(text):
        return "ocr", ocr.read_drafts(text)
    return "plain", plain.read_drafts(text)


def read_bytes(data: bytes, path: str) -> list[Document]:
    """The documents in one raw file's bytes; `path` names the file in messages and ids."""
    kind = format_of(Path(path), data[:64])
    if kind == "tei":
        from despatch.readers import tei

        docs = tei.read_documents(data, path)
        fmt = "tei"
    else:
        if kind == "docx":
            from despatch.readers import docx

            fmt, drafts = "docx", docx.read_drafts(data, path)
        else:
            text, _encoding = decode_text(data, path)
            fmt, drafts = _text_drafts(text)
        stem = Path(path).stem
        drafts = [d for d in drafts if any(line.strip() for line in d.lines)]
        docs = [assemble(d, stem if len(drafts) == 1 else f"{stem}-{k + 1:03d}") for k, d in enumerate(drafts)]
        complete_years(docs)
    if not docs:
        raise InputError(path, "no document found")
    for doc in docs:
        doc.source_file = path
        doc.source_format = fmt
    return docs


def read_file(path: Path) -> list[Document]:
    """The documents in the file at `path`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), exc.strerror or str(exc)) from None
    return read_bytes(data, str(path))
