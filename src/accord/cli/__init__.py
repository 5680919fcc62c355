"""The ``accord`` command line: imports everything, imported by nothing."""

from .app import app, main

__all__ = ["app", "main"]
