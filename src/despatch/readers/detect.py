"""Which reader a file needs, from its name and its first bytes."""
from __future__ import annotations

from pathlib import Path

TEXT_SUFFIXES = {".txt", ".text", ".asc", ""}
DOCX_SUFFIXES = {".docx"}
TEI_SUFFIXES = {".xml", ".tei"}
ZIP_MAGIC = b"PK\x03\x04"


def is_document_file(path: Path) -> bool:
    """Whether `path` may hold documents; scoring files, images and hidden files are passed over."""
    if path.name.startswith(".") or path.name.startswith("~$"):
        return False
    return path.suffix.lower() in TEXT_SUFFIXES | DOCX_SUFFIXES | TEI_SUFFIXES


def format_of(path: Path, head: bytes) -> str:
    """"docx", "tei" or "text"; the content decides where name and content disagree."""
    if head.startswith(ZIP_MAGIC) or path.suffix.lower() in DOCX_SUFFIXES:
        return "docx"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if path.suffix.lower() in TEI_SUFFIXES or stripped.startswith((b"<?xml", b"<TEI")):
        return "tei"
    return "text"
