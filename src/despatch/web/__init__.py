"""The web reader and JSON API over a corpus: `create_app(path)` gives the ASGI app `despatch serve` runs."""
from despatch.web.app import create_app

__all__ = ["create_app"]
