"""JSON writer placeholder."""
