"""The version of accord, in one place."""

__version__ = "0.1.0"
