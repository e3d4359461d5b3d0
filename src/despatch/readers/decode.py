"""Bytes to text: the encodings historians' files arrive in, and their line ends.

A fixed cascade instead of statistical detection (charset-normalizer and the
like): the forms we meet are UTF-8 (with or without BOM), UTF-16 with BOM,
Windows-1252 and Latin-1, and between those a cascade is exact where a
detector only guesses. UTF-8 is tried first because it almost never decodes by
accident; cp1252 next because Word on Windows writes it and it differs from
Latin-1 only in 0x80-0x9F, where Latin-1 has control characters no typed text
contains.
"""
from __future__ import annotations

import codecs

from despatch.errors import InputError

BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Control characters other than tab, newline, form feed and carriage return.
CONTROL = set(range(9)) | {11} | set(range(14, 32))


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b in CONTROL)
    return controls > max(8, len(sample) // 100)


def decode_text(data: bytes, path: str) -> tuple[str, str]:
    """The text of a raw file with line ends made "\\n", and the encoding it was read as."""
    if not data.strip():
        raise InputError(path, "empty file")
    encoding = None
    for bom, name in BOMS:
        if data.startswith(bom):
            encoding = name
            break
    if encoding is None:
        if _looks_binary(data):
            raise InputError(path, "binary file, not text")
        for name in ("utf-8", "cp1252", "latin-1"):
            try:
                text = data.decode(name)
            except UnicodeDecodeError:
                continue
            encoding = name
            break
    else:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise InputError(path, f"cannot decode as {encoding}: {exc.reason}") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    if not text.strip():
        raise InputError(path, "empty file")
    return text, encoding or "latin-1"
