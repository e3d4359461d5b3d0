"""despatch: raw transcriptions of diplomatic documents into a structured, annotated, searchable edition."""

__version__ = "0.1.0"
