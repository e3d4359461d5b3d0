"""The one error type for input despatch cannot use, carrying the file and the reason."""
from __future__ import annotations


class InputError(Exception):
    """A file that is empty, binary, truncated, malformed or holds no document.

    `str()` gives the one line the CLI prints: ``path: reason``.
    """

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
